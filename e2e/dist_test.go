//go:build !js

package e2e

// dist/pinall.zip, as an administrator uploads it: unzipped into a temporary
// folder and served by the dev portal as the app, not installed yet. The
// installer runs, then the widget in both messenger placements.

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/buildjs"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/distpage"
	"github.com/pinall/pinall/internal/l10n/catalog"
)

// distFiles is the zip's content: everything at its root. The pages hold
// build.js, wasm_exec.js, rows.js, loader.js and style.css inlined; each
// catalogue's words are a file of their own, a page fetches its language's.
func distFiles() []string {
	files := []string{"index.html", "install.html", "install.wasm", "pinall.wasm"}
	for _, name := range catalog.Names() {
		files = append(files, buildjs.WordsName(name))
	}
	slices.Sort(files)
	return files
}

// unzipDist unpacks dist/pinall.zip into a temporary folder, checking its
// layout and that it holds the current build.
func unzipDist(t *testing.T) string {
	t.Helper()
	path := filepath.Join(repoRoot(t), "dist", "pinall.zip")
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("e2e: %v: run make dist", err)
	}
	defer zr.Close()
	dir := t.TempDir()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		require.Equal(t, filepath.Base(f.Name), f.Name, "every file at the zip's root")
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(widgetDir(t), name)) }
		built, err := read(f.Name)
		if err == nil && strings.HasSuffix(f.Name, ".html") {
			built, err = distpage.Inline(built, read)
		}
		require.NoError(t, err)
		if !bytes.Equal(built, data) {
			t.Fatalf("e2e: dist/pinall.zip's %s differs from widget/%s: run make dist", f.Name, f.Name)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, f.Name), data, 0o644))
	}
	slices.Sort(names)
	require.Equal(t, distFiles(), names)
	return dir
}

func TestDistZipInstallsAndRunsInBothPlacements(t *testing.T) {
	dir := unzipDist(t)
	p := startPortal(t, devportal.Config{WidgetDir: dir, Install: true})

	tb, a, v := openInstaller(t, p, "")
	require.Equal(t, stateDone, v.State, "%+v", v)
	assert.Equal(t, map[string]string{"IM_NAVIGATION": "bound", "IM_SIDEBAR": "bound"}, v.Results)
	finishInstall(t, p, a)
	for _, b := range p.Placements() {
		assert.Equal(t, p.AppURL()+"/index.html", b.Handler)
	}

	// One tab for the portal: see installerIn.
	{ // IM_NAVIGATION
		a := openPortalApp(t, tb, p, "placement=IM_NAVIGATION")
		require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())
		a.waitFitted()
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "%+v", a.dom())
		assert.Empty(t, pinnable(p.Sessions(), operator))
	}
	{ // IM_SIDEBAR
		a := openPortalApp(t, tb, p, "placement=IM_SIDEBAR&dialog=chat1364")
		require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())
		assert.Equal(t, "chat1364", a.dialogBlock().DialogID)
		a.waitFitted()
		a.click("#unpin-dialog")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "%+v", a.dom())
		assert.False(t, sessionOf(p, 1652).Pinned)
		// The picture of the README (docs/sidebar.png): the app's frame alone.
		png, err := chromedp.Run(tb.ctx, chromedp.Screenshot(chromedp.CSS(".frame-box")))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(artifactsDir(t), "sidebar.png"), png, 0o644))
	}
}
