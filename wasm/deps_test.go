//go:build !js

package main

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/pinall/pinall/internal/wasmbuild"
)

// heavy packages would each add much to the download, for work the widget
// does with less (their sizes: bench/results.md).
var heavy = []string{
	"net/http", "net/url", "net/netip", "encoding/json", "text/template", "html/template",
	"regexp", "crypto/rand", "crypto/tls", "math/big", "compress/gzip", "log",
}

// TestNoHeavyPackagesInTheWasm fails when one of them enters the js/wasm
// build of the widget, directly or through a dependency.
func TestNoHeavyPackagesInTheWasm(t *testing.T) {
	touchSources(t) // so go test's cache reruns this when an import changes
	cmd := exec.Command("go", "list", "-deps", ".", "./installer")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	if !deps["github.com/pinall/pinall/internal/b24"] {
		t.Fatal("go list did not see the widget's own packages; the check would prove nothing")
	}
	for _, h := range heavy {
		if deps[h] {
			t.Errorf("%s is in the wasm build; find who imports it: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./wasm | grep %s", h, h)
		}
	}
}

// The widget's page hands it one language's words (internal/host): the
// catalogues of every language stay out of its download; the installer,
// which an administrator downloads once, carries them for LANG_ALL.
func TestTheWidgetCarriesNoCatalogue(t *testing.T) {
	touchSources(t)
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/pinall/pinall/internal/l10n") {
		t.Fatal("go list did not see internal/l10n; the check would prove nothing")
	}
	if slices.Contains(deps, "github.com/pinall/pinall/internal/l10n/catalog") {
		t.Error("internal/l10n/catalog (every language's words) is in the widget's wasm")
	}
}

// touchSources reads the module's Go files: go test caches a result by the
// files the test opened, and go list's reads are invisible to it.
func touchSources(t *testing.T) {
	err := fs.WalkDir(os.DirFS(".."), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			_, err = os.ReadFile("../" + path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// leftOut are standard functions that cost the download far more than the
// widget's use of them: each is kept out by a few lines of ours.
var leftOut = map[string]string{
	"strconv.ParseFloat":        "a float parser and its tables; read numbers with minijson.Value.Decimal",
	"strconv.ParseInt":          "strconv's *NumError and its messages; use ascii.ParseInt",
	"strconv.Atoi":              "strconv's *NumError and its messages; use ascii.ParseInt",
	"unicode.IsSpace":           "unicode's tables (strings.TrimSpace, strings.Fields); use ascii.TrimSpace",
	"strings.Split":             "strings.Cut does it without genSplit",
	"runtime.stringtoslicerune": "[]rune(s); range over the string",
	"errors.As":                 "internal/reflectlite, about 12 KB of gzip; use errors.AsType or a type assertion",
}

// TestStandardFunctionsLeftOut fails when one of leftOut enters the widget's
// wasm, and names the function that calls it.
func TestStandardFunctionsLeftOut(t *testing.T) {
	if testing.Short() {
		t.Skip("links the wasm")
	}
	touchSources(t)
	// The named build (the release build's code, no -ldflags of its own)
	// with the linker's dependency dump through GOFLAGS: "a -> b" for every
	// function b it keeps.
	cmd := wasmbuild.Command(context.Background(), "", os.DevNull, ".", wasmbuild.Options{Named: true})
	cmd.Env = append(cmd.Env, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -ldflags=-dumpdep"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	kept := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		from, to, ok := strings.Cut(line, " -> ")
		if ok {
			to, _, _ = strings.Cut(to, " ")
			if _, seen := kept[to]; !seen {
				kept[to] = from
			}
		}
	}
	if _, ok := kept["github.com/pinall/pinall/internal/b24.(*Client).Call"]; !ok {
		t.Fatal("the dump does not list the widget's functions; the check would prove nothing")
	}
	for fn, why := range leftOut {
		if from, ok := kept[fn]; ok {
			t.Errorf("%s is in the wasm (first kept from %s): %s", fn, from, why)
		}
	}
}
