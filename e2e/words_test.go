//go:build !js

package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// wordsCounter counts the app origin's requests for a words file.
func wordsCounter(n *atomic.Int32) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(filepath.Base(r.URL.Path), "words-") {
				n.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// A page downloads its own language's words once: a later open takes them
// from Cache Storage, as it takes the wasm, though the host asks for
// revalidation (no-cache).
func TestWordsComeOnceAndStay(t *testing.T) {
	t.Parallel()
	var gets atomic.Int32
	p := startPortal(t, devportal.Config{Lang: "ru", AppWrap: wordsCounter(&gets)})
	tb := newTab(t)
	a := openPortalApp(t, tb, p, "")
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())
	assert.Equal(t, int32(1), gets.Load(), "one words file, the page's")
	eventually(t, waitTimeout, "the words in Cache Storage", func() bool {
		return evalAs[bool](a, `caches.open("pinall").then((c) => c.keys()).then((ks) => ks.some((r) => new URL(r.url).pathname.endsWith("/words-ru.json")))`)
	})
	tb.reloadApp(a, "")
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())
	assert.Equal(t, int32(1), gets.Load(), "the warm open fetched no words")
	assert.Equal(t, "Закрепить все", a.dom().PinLabel)
}

// Words that are not the build's (another build's file, or another
// language's under this name) are refused: the page says it cannot load,
// in English, the words it has without them.
func TestWordsFromAnotherBuildAreRefused(t *testing.T) {
	t.Parallel()
	dir := copyWidget(t)
	ru, err := os.ReadFile(filepath.Join(dir, "words-ru.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "words-en.json"), ru, 0o644))
	p := startPortal(t, devportal.Config{WidgetDir: dir})
	tb := newTab(t)
	tb.allowConsole(`words-en\.json`)
	a := openPortalApp(t, tb, p, "")
	require.Equal(t, stateError, a.waitState(stateReady, stateError), "%+v", a.dom())
	assert.Equal(t, "The widget could not load. Check your connection and reload.", a.dom().Alert)
	assert.True(t, evalAs[bool](a, `!document.getElementById("pa-dead").hidden`), "the reload box is shown")
}

// The Go program checks what the page hands it before anything else: a
// pinallHost whose words are broken stops it before ready, with the
// loader's dead box in the page's words and the reason on the console.
func TestHostContractRefused(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{Lang: "de"})
	tb := newTab(t)
	a := openPortalApp(t, tb, p, "")
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%+v", a.dom())
	tb.allowConsole(`pinall: pinallHost\.words`)
	tb.reloadApp(a, `Object.defineProperty(globalThis, "pinallHost", {configurable: true,
		get() { return this.__host; },
		set(v) { this.__host = Object.assign({}, v, {words: '{"_about":{"locale":"de-DE","dir":"ltr"}}'}); }});`)
	require.Equal(t, stateError, a.waitState(stateReady, stateError), "%+v", a.dom())
	assert.Equal(t, wordsOf("de").Text("loader.failed"), a.dom().Alert, "the loader's words, in the page's language")
	assert.False(t, a.dom().PinEnabled)
	assert.True(t, evalAs[bool](a, `!document.getElementById("pa-dead").hidden`), "the reload box is shown")
	eventually(t, waitTimeout, "the console to say what is wrong", func() bool {
		for _, l := range tb.console() {
			if strings.Contains(l.Text, "pinallHost.words: l10n: the words lack") {
				return true
			}
		}
		return false
	})
}
