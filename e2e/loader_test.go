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

	"github.com/pinall/pinall/internal/buildjs"
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
	a := openPortalApp(t, newTab(t), p, "")
	a.waitState("ready")
	a.click("#pin-all")
	a.waitState("done")
	assert.NotEmpty(t, a.dom().SessionIDs)
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
	a := openPortalApp(t, newTab(t), p, "lang=ru")
	a.waitState("error")
	d := a.dom()
	assert.Equal(t, "Виджет остановился. Перезагрузите его, чтобы продолжить.", d.Alert)
	assert.False(t, d.PinEnabled)
	assert.True(t, evalAs[bool](a, `!document.getElementById("pa-dead").hidden`), "the reload box is shown")
	assert.Equal(t, "Перезагрузить", evalAs[string](a, `document.getElementById("pa-reload").textContent`))
}

// A wasm the host cannot serve: the page says it could not load.
func TestLoaderMissingWasm(t *testing.T) {
	t.Parallel()
	dir := copyWidget(t)
	require.NoError(t, os.Remove(filepath.Join(dir, "pinall.wasm")))
	p := startPortal(t, devportal.Config{WidgetDir: dir})
	tb := newTab(t)
	tb.allowConsole(`pinall\.wasm|404|Failed to load`)
	a := openPortalApp(t, tb, p, "")
	a.waitState("error")
	assert.True(t, strings.HasPrefix(a.dom().Alert, "The widget could not load."), a.dom().Alert)
	assert.True(t, evalAs[bool](a, `!document.getElementById("pa-dead").hidden`))
}

// firstTexts records, from the document's creation, every text the app's
// page ever holds (parentId, text), and the first paint's time.
const firstTexts = `window.__e2eTexts = [];
new MutationObserver((ms) => {
	for (const m of ms) {
		const nodes = m.type === "characterData" ? [m.target] : [...m.addedNodes];
		for (const n of nodes) {
			if (n.nodeType === Node.TEXT_NODE && n.data.trim()) __e2eTexts.push([n.parentElement ? n.parentElement.id : "", n.data]);
			else if (n.nodeType === Node.ELEMENT_NODE && n.textContent.trim()) __e2eTexts.push([n.id, n.textContent]);
		}
	}
}).observe(document, {childList: true, subtree: true, characterData: true});
window.__e2ePaint = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) __e2ePaint.push([e.name, e.startTime]); }).observe({type: "paint", buffered: true});`

// In a Russian portal the page never holds an English word: the static
// elements start empty and loader.js fills them in Russian from the words
// file before anything is painted; what the Go program sets at start is the
// same text, so nothing changes but the status line; and the version shows
// at the foot.
func TestLoaderRussianFromFirstPaint(t *testing.T) {
	t.Parallel()
	js, err := os.ReadFile(filepath.Join(widgetDir(t), "build.js"))
	require.NoError(t, err)
	build, err := buildjs.Parse(js)
	require.NoError(t, err)
	p := startPortal(t, devportal.Config{Lang: "ru"})
	tb := newTab(t)
	a := openPortalApp(t, tb, p, "")
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())
	tb.reloadApp(a, firstTexts)
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())

	ruWords, enWords := wordsOf("ru"), wordsOf("en")
	ru := map[string]string{}
	english := map[string]bool{}
	for id, key := range build.Pages["widget"].Text {
		ru[id] = ruWords.Text(key)
		if en := enWords.Text(key); en != ru[id] {
			english[en] = true
		}
	}
	texts := evalAs[[][2]string](a, `window.__e2eTexts`)
	require.NotEmpty(t, texts)
	held := map[string][]string{}
	for _, tx := range texts {
		id, text := tx[0], tx[1]
		assert.False(t, english[text], "English on a Russian page: #%s %q", id, text)
		if _, static := ru[id]; static {
			held[id] = append(held[id], text)
		}
	}
	for _, id := range []string{"pa-title", "pa-hint", "pin-all", "unpin-all"} {
		require.NotEmpty(t, held[id], "#%s never got its words", id)
		for _, text := range held[id] {
			assert.Equal(t, ru[id], text, "#%s changed after the first words: %q", id, held[id])
		}
	}
	assert.Equal(t, "ru-RU", a.dom().Lang)
	assert.Equal(t, "Закрепить все", a.dom().PinLabel)
	assert.Equal(t, "Версия "+build.Version, evalAs[string](a, `document.getElementById("pa-version").textContent`))
	words := evalAs[float64](a, `performance.getEntriesByName("pinall:words")[0].startTime`)
	paints := evalAs[[][]any](a, `window.__e2ePaint`)
	t.Logf("words in place at %.1f ms; paints: %v", words, paints)
	for _, p := range paints {
		if p[0] == "first-contentful-paint" {
			assert.Less(t, words, p[1].(float64), "the first contentful paint came before the words")
		}
	}
}
