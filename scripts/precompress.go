//go:build precompress

// precompress writes FILE.br (brotli, quality 11) and FILE.gz (gzip -9) beside
// each named file, so a static host (the dev portal, nginx brotli_static /
// gzip_static) can serve them with Content-Encoding instead of compressing on
// every request. Used by `make build` for the wasm files; pure Go, so a fresh
// machine needs only Go.
//
//	go run scripts/precompress.go widget/pinall.wasm widget/install.wasm
//
// The build tag (not "ignore") keeps go mod tidy counting the brotli module,
// which this script alone uses: it never enters the wasm build
// (wasm/deps_test.go).
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/precompress.go FILE...")
		os.Exit(2)
	}
	// One goroutine a file: quality 11 is slow and the files are independent.
	errs := make([]error, len(os.Args)-1)
	var wg sync.WaitGroup
	for i, name := range os.Args[1:] {
		wg.Go(func() { errs[i] = compress(name) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func compress(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if fresh(name, src) {
		// Still newer than the rebuilt file: the dev portal serves a sibling
		// only when it is not older than its file (a stale one is ignored).
		now := time.Now()
		return errors.Join(os.Chtimes(name+".br", now, now), os.Chtimes(name+".gz", now, now))
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := bw.Write(src); err != nil {
		return err
	}
	if err := bw.Close(); err != nil {
		return err
	}
	var gz bytes.Buffer
	// A fixed header (no name, zero time): the same input gives the same file.
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := io.Copy(gw, bytes.NewReader(src)); err != nil {
		return err
	}
	if err := gw.Close(); err != nil {
		return err
	}
	// Written beside, then renamed: a server never sees half a file.
	for _, out := range []struct {
		ext  string
		data []byte
	}{{".br", br.Bytes()}, {".gz", gz.Bytes()}} {
		tmp := name + out.ext + ".tmp"
		if err := os.WriteFile(tmp, out.data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, name+out.ext); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	fmt.Printf("%s: %d bytes, brotli %d, gzip %d\n", name, len(src), br.Len(), gz.Len())
	return nil
}

// fresh reports whether both siblings already hold name's bytes: make
// build runs this every time, go build rewrites the wasm even when unchanged,
// and brotli at quality 11 takes seconds, decoding milliseconds.
func fresh(name string, src []byte) bool {
	for _, ext := range []string{".br", ".gz"} {
		f, err := os.Open(name + ext)
		if err != nil {
			return false
		}
		var r io.Reader = brotli.NewReader(f)
		if ext == ".gz" {
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
