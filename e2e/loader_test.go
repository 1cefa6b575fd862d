//go:build !js

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// copyWidget copies the built widget into a temp dir, so a test can swap a
// file without touching widget/.
func copyWidget(t *testing.T) string {
	t.Helper()
	src, dst := widgetDir(t), t.TempDir()
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644))
	}
	return dst
}

// A host that serves the wasm as application/octet-stream still gets a
// working widget, through loader.js's ArrayBuffer path.
func TestLoaderWrongMIMEType(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{WrongWasmMIME: true})
	w := newTab(t).openPortal(p, "")
	w.waitState("ready")
	w.click("#pin-all")
	w.waitState("done")
	assert.NotEmpty(t, w.dom().SessionIDs)
}

// A Go program that exits leaves a message and a reload button, not a dead page.
func TestLoaderGoProgramExits(t *testing.T) {
	t.Parallel()
	dir := copyWidget(t)
	// go build overwrites only its own output, and the copy's pinall.wasm is gzip.
	require.NoError(t, os.Remove(filepath.Join(dir, "pinall.wasm")))
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "pinall.wasm"), "./testdata/exits")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	p := startPortal(t, devportal.Config{WidgetDir: dir})
	tb := newTab(t)
	w := tb.openPortal(p, "lang=ru")
	w.waitState("error")
	d := w.dom()
	assert.Equal(t, "Виджет остановился. Перезагрузите его, чтобы продолжить.", d.Alert)
	assert.False(t, d.PinEnabled)
	assert.True(t, eval[bool](t, w.ctx, `!document.getElementById("pa-dead").hidden`), "the reload box is shown")
	assert.Equal(t, "Перезагрузить", eval[string](t, w.ctx, `document.getElementById("pa-reload").textContent`))
}

// A wasm the host cannot serve: the page says it could not load.
func TestLoaderMissingWasm(t *testing.T) {
	t.Parallel()
	dir := copyWidget(t)
	require.NoError(t, os.Remove(filepath.Join(dir, "pinall.wasm")))
	p := startPortal(t, devportal.Config{WidgetDir: dir})
	tb := newTab(t)
	tb.allowConsole(`pinall\.wasm|404|Failed to load`)
	w := tb.openPortal(p, "")
	w.waitState("error")
	assert.True(t, strings.HasPrefix(w.dom().Alert, "The widget could not load."), w.dom().Alert)
	assert.True(t, eval[bool](t, w.ctx, `!document.getElementById("pa-dead").hidden`))
}
