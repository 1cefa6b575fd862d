//go:build ignore

// zipdist writes a zip of the named files of a folder, each at the zip's
// root (the layout of a Bitrix24 static local app), with fixed timestamps so
// the same files give the same zip. A page (.html) goes in packed, its
// stylesheet and scripts inlined (internal/distpage), so those need not be
// named. Used by `make dist`; Go's archive/zip keeps the build free of a zip
// tool.
//
//	go run scripts/zipdist.go -o dist/pinall.zip -C widget index.html ...
package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/distpage"
)

func main() {
	out := flag.String("o", "", "the zip to write")
	dir := flag.String("C", ".", "the folder holding the files")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/zipdist.go -o OUT.zip [-C DIR] FILE...")
		os.Exit(2)
	}
	if err := write(*out, *dir, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "zipdist:", err)
		os.Remove(*out)
		os.Exit(1)
	}
}

func write(out, dir string, names []string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	stamp := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	for _, name := range names {
		data, err := read(name)
		if err == nil && strings.HasSuffix(name, ".html") {
			data, err = distpage.Inline(data, read)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.Base(name), Method: zip.Deflate, Modified: stamp})
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
