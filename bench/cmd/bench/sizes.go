//go:build !js

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/pinall/pinall/bench/internal/report"
	"github.com/pinall/pinall/internal/wasmbuild"
)

// measureSize measures what v ships: its wasm (A, C, D) or its script (B,
// S), raw, gzip -9 and brotli -q 11.
func measureSize(v *variant) (report.Size, error) {
	file := v.ships
	b, err := os.ReadFile(filepath.Join(v.dir, file))
	if errors.Is(err, os.ErrNotExist) && file == "pinall.wasm" {
		b, err = os.ReadFile(filepath.Join(v.dir, file+".gz")) // a build that ships only the gzip'd wasm
	}
	if err != nil {
		return report.Size{}, err
	}
	raw := gunzipped(b)
	s := report.Size{What: file, Raw: len(raw)}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(raw)
	w.Close()
	s.Gz = gz.Len()
	s.Br, s.BrErr = brotliSize(raw)
	_, e1 := os.Stat(filepath.Join(v.dir, file+".br"))
	_, e2 := os.Stat(filepath.Join(v.dir, file+".gz"))
	s.PreBr, s.PreGz = e1 == nil, e2 == nil
	return s, nil
}

// gunzipped is b decompressed when it is gzip (the loader may ship the wasm
// so, told apart by its first bytes), else b: sizes are of the program.
func gunzipped(b []byte) []byte {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return b
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return b
	}
	return raw
}

// brotliSize compresses with the brotli CLI at quality 11 (Debian package
// brotli; make bench installs it when it can).
func brotliSize(b []byte) (int, string) {
	path, err := exec.LookPath("brotli")
	if err != nil {
		return 0, "brotli CLI not found (apt-get install brotli)"
	}
	cmd := exec.Command(path, "-q", "11", "-c")
	cmd.Stdin = bytes.NewReader(b)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return 0, "brotli: " + err.Error()
	}
	return out.Len(), ""
}

// namedWasm is where packageSizes leaves A's named build, for the profiles.
func namedWasm(work string) string { return filepath.Join(work, "named", "A", "raw", "pinall.wasm") }

// packageSizes builds A and D with names (the release builds' code) and
// splits each by package.
func packageSizes(work string) (map[string]wasmbuild.Sizes, error) {
	out := map[string]wasmbuild.Sizes{}
	for name, pkg := range map[string]string{"A": "./wasm", "D": "./bench/floor/safejs"} {
		raw := filepath.Join(work, "named", name, "raw", "pinall.wasm")
		ctx := context.Background()
		if err := wasmbuild.Build(ctx, raw, pkg, wasmbuild.Options{Named: true}); err != nil {
			return nil, err
		}
		b, err := os.ReadFile(raw)
		if err != nil {
			return nil, err
		}
		pkgs, err := wasmbuild.Deps(ctx, pkg)
		if err != nil {
			return nil, err
		}
		if out[name], err = wasmbuild.ReadSizes(b, pkgs); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return out, nil
}
