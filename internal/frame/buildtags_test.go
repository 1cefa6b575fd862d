package frame

import (
	"bufio"
	"go/build/constraint"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// nativeFiles are the deliberate exceptions: the protocol, the kinds of its
// errors and the kept answer to getInitData are plain Go, so they are tested
// (and fuzzed) natively.
var nativeFiles = map[string]bool{
	"frame/protocol.go":       true,
	"frame/kinds.go":          true,
	"frame/answer.go":         true,
	"frame/protocol_test.go":  true,
	"frame/answer_test.go":    true,
	"frame/buildtags_test.go": true,
}

// TestBrowserPackagesAreTagged fails when a file in the browser glue
// packages lacks `//go:build js && wasm`: without it a file would break the
// native build, or (worse) pull syscall/js assumptions into it.
func TestBrowserPackagesAreTagged(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("reads source files; runs natively")
	}
	for _, dir := range []string{"../jsutil", "../jsfetch", "."} {
		matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) == 0 {
			t.Errorf("%s: no Go files found", dir)
		}
		for _, path := range matches {
			abs, _ := filepath.Abs(path)
			rel := filepath.Base(filepath.Dir(abs)) + "/" + filepath.Base(abs)
			tagged := hasJSWasmTag(t, path)
			switch {
			case nativeFiles[rel] && tagged:
				t.Errorf("%s: must build natively, but is tagged js && wasm", rel)
			case !nativeFiles[rel] && !tagged:
				t.Errorf("%s: lacks //go:build js && wasm", rel)
			}
		}
	}
}

func hasJSWasmTag(t *testing.T, path string) bool {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if constraint.IsGoBuild(line) {
			expr, err := constraint.Parse(line)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return false
			}
			// Tagged means: true for js/wasm and false for a native build.
			js := expr.Eval(func(tag string) bool { return tag == "js" || tag == "wasm" })
			native := expr.Eval(func(tag string) bool { return tag == "linux" || tag == "amd64" })
			return js && !native
		}
		if strings.HasPrefix(line, "package ") {
			return false
		}
	}
	return false
}
