//go:build !js

package e2e

// The engine scenarios in other portal languages (engineScenarios runs them
// in Chromium, Firefox and WebKit): German, Polish, Arabic (right to left)
// and Japanese, each once, each where the page shows words: the labels
// when ready, a count sentence after a click, an error, the chat sidebar.
// The expected words are read from the language's catalogue, and the count
// sentence's form and digits from the engine's own Intl for the locale.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// counted is a count sentence as the engine's Intl says it for n in the
// catalogue's locale: the form of n's plural category, n in its digits.
func counted(a *app, c catalogue, key string, n int) string {
	a.t.Helper()
	forms := c.forms(key)
	require.NotEmpty(a.t, forms, "%s: %s is not a count sentence", c.lang, key)
	if f, ok := forms["="+strconv.Itoa(n)]; ok {
		return f
	}
	loc := strconv.Quote(c.locale)
	cat := evalAs[string](a, `new Intl.PluralRules(`+loc+`).select(`+strconv.Itoa(n)+`)`)
	form, ok := forms[cat]
	require.True(a.t, ok, "%s: %s has no %q form", c.lang, key, cat)
	return strings.ReplaceAll(form, "{n}", evalAs[string](a, `new Intl.NumberFormat(`+loc+`).format(`+strconv.Itoa(n)+`)`))
}

// assertSpeaks checks the page's language: <html lang dir>, the text's
// direction and the ready labels, all from the catalogue.
func assertSpeaks(a *app, c catalogue) {
	a.t.Helper()
	got := evalAs[[]string](a, `[document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction,
		document.getElementById("pa-title").textContent, document.getElementById("pin-all").textContent, document.getElementById("unpin-all").textContent]`)
	assert.Equal(a.t, []string{c.locale, c.dir, c.dir, c.text("widget.title"), c.text("widget.pinAll"), c.text("widget.unpinAll")}, got,
		"%s: <html lang dir>, direction, title and labels", c.lang)
}

// allIn opens the app in lang, checks that it speaks the catalogue, and
// clicks button ("#pin-all" or "#unpin-all"): the sessions it changed are
// listed, and counted in the language's words.
func allIn(t *testing.T, pg enginePage, lang, button string) (*devportal.Portal, *app, catalogue) {
	t.Helper()
	c := catalogueOf(t, lang)
	p, a := readyApp(t, pg, devportal.Config{Lang: lang}, "")
	assertSpeaks(a, c)
	want, key := pinnable(p.Sessions(), operator), "result.pinned"
	if button == "#unpin-all" {
		want, key = unpinnable(p.Sessions(), operator), "result.unpinned"
	}
	a.click(button)
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Equal(t, counted(a, c, key, len(want)), a.dom().Status)
	assert.Equal(t, want, sorted(a.dom().SessionIDs))
	return p, a, c
}

// langScenarios run after engineScenarios, in every engine (TestEngines).
var langScenarios = []engineScenario{
	{"de: pin all in German", func(t *testing.T, pg enginePage) {
		allIn(t, pg, "de", "#pin-all")
	}},
	{"pl: unpin all, then an error, in Polish", func(t *testing.T, pg enginePage) {
		p, a, c := allIn(t, pg, "pl", "#unpin-all")
		p.SetScopes("placement", "im")
		a.click("#pin-all")
		require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Contains(t, a.dom().Alert, c.text("error.insufficient_scope"))
	}},
	{"ar: the chat sidebar right to left", func(t *testing.T, pg enginePage) {
		c := catalogueOf(t, "ar")
		require.Equal(t, "rtl", c.dir)
		p, a := readyApp(t, pg, devportal.Config{Lang: "ar"}, "placement=IM_SIDEBAR&dialog=chat1364")
		assertSpeaks(a, c)
		eventually(t, waitTimeout, "the dialog's Arabic name", func() bool {
			return strings.Contains(evalAs[string](a, `document.getElementById("pa-dialog-title").textContent`), "عبدالله الغامدي")
		})
		// Mirrored: the first button of a row is the rightmost.
		assert.True(t, evalAs[bool](a, `(() => { const r = (id) => document.getElementById(id).getBoundingClientRect();
			return r("pin-all").right > r("unpin-all").right || r("pin-all").top < r("unpin-all").top; })()`))
		a.click("#pin-dialog")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, c.text("dialog.pinned"), a.dom().Status)
		assert.True(t, sessionOf(p, 1652).Pinned)
	}},
	{"ja: pin all, then unpin all, in Japanese", func(t *testing.T, pg enginePage) {
		c := catalogueOf(t, "ja")
		p, a := readyApp(t, pg, devportal.Config{Lang: "ja"}, "")
		assertSpeaks(a, c)
		open := selectIDs(p.Sessions(), func(s devportal.SessionView) bool { return s.Operator == operator && !s.Closed })
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		a.click("#unpin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, counted(a, c, "result.unpinned", len(open)), a.dom().Status)
		assert.Equal(t, open, sorted(a.dom().SessionIDs))
	}},
}
