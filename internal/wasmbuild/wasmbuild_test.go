package wasmbuild

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// build builds testdata/hello as o says and returns the wasm.
func build(t *testing.T, o Options) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "hello.wasm")
	if err := Build(context.Background(), out, "./testdata/hello", o); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The named build is what the bench profiles and splits by package: it must
// be the release build's code, only with names.
func TestNamedBuildIsTheReleaseCodeWithNames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two wasm programs")
	}
	release, named := build(t, Options{}), build(t, Options{Named: true})
	if _, err := ReadSizes(release, nil); !errors.Is(err, errNoNames) {
		t.Fatalf("release build: ReadSizes error %v, want ErrNoNames (no name section)", err)
	}
	pkgs, err := Deps(context.Background(), "./testdata/hello")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadSizes(named, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"runtime", "strings", "main"} {
		if s.Code[p] == 0 || s.Funcs[p] == 0 {
			t.Errorf("named build: no code for package %s; code by package: %v, functions: %v", p, s.Code, s.Funcs)
		}
	}
	if s.Funcs["main"] != 1 {
		t.Errorf("named build: %d functions in package main, want 1 (main.main)", s.Funcs["main"])
	}
	code := 0
	for _, n := range s.Code {
		code += n
	}
	if code+s.Data+s.Other != s.Total || s.Total != len(named) {
		t.Errorf("code %d + data %d + other %d != total %d (file %d bytes)", code, s.Data, s.Other, s.Total, len(named))
	}
	if s.Total-s.Names != len(release) {
		t.Errorf("named build %d bytes, %d of them names; release build %d bytes", s.Total, s.Names, len(release))
	}
	if got := codeAndData(t, release); got != code+s.Data {
		t.Errorf("release build: code and data %d bytes, named build %d: the builds differ beyond names", got, code+s.Data)
	}
}

// codeAndData is the size of the code section's function bodies and the
// data section of a wasm file with or without names.
func codeAndData(t *testing.T, wasm []byte) int {
	t.Helper()
	// Give the file a name section naming nothing, so ReadSizes reads it.
	s, err := ReadSizes(append(wasm, 0, 8, 4, 'n', 'a', 'm', 'e', 1, 1, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	code := 0
	for _, n := range s.Code {
		code += n
	}
	return code + s.Data
}

func TestReadSizesRefusesWhatIsNotWasm(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\x00asm\x02\x00\x00\x00"), []byte("<!doctype html>"),
		// A section announcing more bytes than the file holds.
		[]byte("\x00asm\x01\x00\x00\x00\x0a\x7f\x00")} {
		if _, err := ReadSizes(b, nil); err == nil || errors.Is(err, errNoNames) {
			t.Errorf("ReadSizes(%q): error %v, want a refusal", b, err)
		}
	}
}

func TestPackageOfTheLinkersSpelling(t *testing.T) {
	pkgs := map[string]string{}
	for _, p := range []string{"runtime", "internal/runtime/maps", "github.com/hack-pad/safejs",
		"github.com/hack-pad/safejs/internal/catch", "main"} {
		pkgs[wasmName.ReplaceAllString(p, "_")] = p
	}
	for sym, want := range map[string]string{
		"runtime.mallocgc":                              "runtime",
		"runtime.__mheap_.allocSpan.func1":              "runtime",
		"internal_runtime_maps.__Map_.getWithKey":       "internal/runtime/maps",
		"github.com_hack_pad_safejs.Value.Get":          "github.com/hack-pad/safejs",
		"github.com_hack_pad_safejs_internal_catch.Try": "github.com/hack-pad/safejs/internal/catch",
		"main.main":           "main",
		"type_.eq.__2_string": "(compiler)",
		"wasm_pc_f_loop":      "(other)",
		"runtimeX.f":          "(other)", // a prefix that stops short of the dot is not the package
	} {
		if got := packageOf(sym, pkgs); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", sym, got, want)
		}
	}
}
