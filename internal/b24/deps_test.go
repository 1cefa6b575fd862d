//go:build !js

package b24

import (
	"os/exec"
	"strings"
	"testing"
)

// The wasm download budget: the js build of this package must not pull in
// net/http, encoding/json or net/url (their sizes: bench/results.md).
func TestWasmBuildStaysLight(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	cmd := exec.Command(goTool, "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case "net/http", "encoding/json", "net/url", "text/template":
			t.Errorf("the js/wasm build of internal/b24 imports %s", dep)
		}
	}
}
