//go:build ignore

// buildjs writes widget/build.js (internal/buildjs) for `make build`: the
// version, and for each raw wasm named its SHA-256, its size, and the size of
// the gzip'd file of the same name beside the output (scripts/precompress.go
// writes it first); and beside it one words file per catalogue
// (words-<catalogue>.json, gzip'd as the wasm is), which build.js names with
// their SHA-256 and sizes.
//
//	go run scripts/buildjs.go -version v1.0.0 -o widget/build.js build/pinall.wasm build/install.wasm
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pinall/pinall/internal/buildjs"
	"github.com/pinall/pinall/internal/l10n/catalog"
)

func main() {
	out := flag.String("o", "", "the build.js to write; the served (gzip'd) wasm files are beside it")
	version := flag.String("version", "dev", "the build's version (git describe)")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/buildjs.go -o widget/build.js [-version V] RAW.wasm...")
		os.Exit(2)
	}
	if err := write(*out, *version, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "buildjs:", err)
		os.Exit(1)
	}
}

func write(out, version string, raws []string) error {
	b := buildjs.Build{Version: version, Wasm: map[string]buildjs.Wasm{}}
	for _, raw := range raws {
		src, err := os.ReadFile(raw)
		if err != nil {
			return err
		}
		name := filepath.Base(raw)
		served, err := os.Stat(filepath.Join(filepath.Dir(out), name))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(src)
		b.Wasm[name] = buildjs.Wasm{SHA256: hex.EncodeToString(sum[:]), Raw: int64(len(src)), Gzip: served.Size()}
	}
	dir := filepath.Dir(out)
	old, _ := filepath.Glob(filepath.Join(dir, buildjs.WordsName("*")))
	for _, f := range old {
		// A catalogue renamed or dropped leaves no file behind.
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	for _, name := range catalog.Names() {
		words, err := buildjs.WordsFile(name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		served, err := buildjs.Served(words)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, buildjs.WordsName(name)), served); err != nil {
			return err
		}
	}
	js, err := buildjs.Generate(b)
	if err != nil {
		return err
	}
	return writeFile(out, js)
}

// writeFile writes a file whole or not at all.
func writeFile(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
