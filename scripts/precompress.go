//go:build precompress

// precompress turns each raw wasm into the two files the widget serves:
//
//   - NAME: the gzip stream of the wasm. loader.js fetches this one file and
//     unpacks it with the browser's DecompressionStream, so a host that
//     serves files as they are (Bitrix24 serves an uploaded zip so) still
//     sends a quarter of the bytes.
//   - NAME.br: brotli (quality 11) of the raw wasm, for a host that
//     negotiates Content-Encoding (the dev portal, nginx brotli_static,
//     Caddy precompressed): the browser decodes it and hands loader.js plain
//     wasm, told apart by its first bytes.
//
// With -o DIR both go to DIR (make build: build/NAME.wasm -> widget/);
// without it beside the input, which the gzip file then replaces (the bench's
// variants). Pure Go, so a fresh machine needs only Go; gzip at stdlib's best
// level: no maintained pure-Go zopfli is on the module proxy (what zopfli
// would save: docs/install.md).
//
//	go run scripts/precompress.go -o widget build/pinall.wasm build/install.wasm
//
// The build tag (not "ignore") keeps go mod tidy counting the brotli module,
// which this script alone uses: it never enters the wasm build
// (wasm/deps_test.go).
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

func main() {
	dir := flag.String("o", "", "the folder to write to (default: beside each input, replacing it)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/precompress.go [-o DIR] RAW.wasm...")
		os.Exit(2)
	}
	// One goroutine a file: quality 11 is slow and the files are independent.
	errs := make([]error, flag.NArg())
	var wg sync.WaitGroup
	for i, name := range flag.Args() {
		out := name
		if *dir != "" {
			out = filepath.Join(*dir, filepath.Base(name))
		}
		wg.Go(func() { errs[i] = compress(name, out) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func compress(name, out string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if bytes.HasPrefix(src, []byte{0x1f, 0x8b}) {
		return fmt.Errorf("%s is gzip already: give the raw wasm", name)
	}
	if fresh(out, src) {
		// Touched in order: the dev portal serves a .br sibling only when it
		// is not older than its file (a stale one is ignored).
		now := time.Now()
		return errors.Join(os.Chtimes(out, now, now), os.Chtimes(out+".br", now, now))
	}
	var gz bytes.Buffer
	// A fixed header (no name, zero time): the same input gives the same file.
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := gw.Write(src); err != nil {
		return err
	}
	if err := gw.Close(); err != nil {
		return err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := bw.Write(src); err != nil {
		return err
	}
	if err := bw.Close(); err != nil {
		return err
	}
	// Written beside, then renamed (a server never sees half a file); the
	// gzip first, so the .br is not older than it.
	for _, f := range []struct {
		path string
		data []byte
	}{{out, gz.Bytes()}, {out + ".br", br.Bytes()}} {
		tmp := f.path + ".tmp"
		if err := os.WriteFile(tmp, f.data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, f.path); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	fmt.Printf("%s: %d bytes, gzip %d (%s), brotli %d (%s.br)\n", name, len(src), gz.Len(), out, br.Len(), out)
	return nil
}

// fresh reports whether out (gzip) and out.br already hold src: make build
// runs this every time, go build rewrites the wasm even when unchanged, and
// brotli at quality 11 takes seconds, decoding milliseconds.
func fresh(out string, src []byte) bool {
	for _, path := range []string{out, out + ".br"} {
		f, err := os.Open(path)
		if err != nil {
			return false
		}
		var r io.Reader = brotli.NewReader(f)
		if path == out {
			if r, err = gzip.NewReader(f); err != nil {
				f.Close()
				return false
			}
		}
		got, err := io.ReadAll(r)
		f.Close()
		if err != nil || !bytes.Equal(got, src) {
			return false
		}
	}
	return true
}
