//go:build !js

package e2e

// It fits: in every language with a catalogue (internal/l10n/catalog/*.json,
// so a new language joins by its file alone), the widget's words stay inside
// their boxes in the chat sidebar's width and on the full page, in each
// state that shows words: "Unpin all"'s result (a long list and the
// longest count sentence the language has), an error, and the installer
// with a binding refused. Measured in the layout, not eyeballed:
// an element whose text is wider than its box (scrollWidth > clientWidth),
// a button whose label runs out of it, a box outside the frame, or a page
// wider than its frame fails. In Chromium only: what is measured is the
// stylesheet's layout of the words, not an engine's behaviour.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// sidebarWidth is the chat sidebar's width the tests and docs use
// (docs/dom-contract.md: "fits a 300 px chat sidebar").
const sidebarWidth = 300

// catalogue is what the fit test reads of one language's file.
type catalogue struct {
	lang   string // the portal LANG: the file's name
	locale string
	dir    string
	msgs   map[string]json.RawMessage
}

// catalogues reads every internal/l10n/catalog/<LANG>.json present.
func catalogues(t *testing.T) []catalogue {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "internal", "l10n", "catalog", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no catalogue in internal/l10n/catalog")
	sort.Strings(files)
	var out []catalogue
	for _, f := range files {
		out = append(out, catalogueOf(t, strings.TrimSuffix(filepath.Base(f), ".json")))
	}
	return out
}

// catalogueOf reads internal/l10n/catalog/<lang>.json.
func catalogueOf(t *testing.T, lang string) catalogue {
	t.Helper()
	f := filepath.Join(repoRoot(t), "internal", "l10n", "catalog", lang+".json")
	b, err := os.ReadFile(f)
	require.NoError(t, err)
	c := catalogue{lang: lang}
	require.NoError(t, json.Unmarshal(b, &c.msgs), f)
	var about struct {
		Locale string `json:"locale"`
		Dir    string `json:"dir"`
	}
	require.NoError(t, json.Unmarshal(c.msgs["_about"], &about), "%s: _about", f)
	c.locale, c.dir = about.Locale, about.Dir
	return c
}

// text returns a plain message ("" when the key is missing or plural).
func (c catalogue) text(key string) string {
	var s string
	_ = json.Unmarshal(c.msgs[key], &s)
	return s
}

// forms returns a count sentence's forms by CLDR category (nil when plain).
func (c catalogue) forms(key string) map[string]string {
	var m map[string]string
	_ = json.Unmarshal(c.msgs[key], &m)
	return m
}

// overflowJS lists what does not fit in the app's document, one line each
// (an empty list: everything fits). Hidden elements and rows the list has
// scrolled out of sight are left out; inline elements have no box of their
// own to overflow.
const overflowJS = `(() => {
	const out = [];
	const W = document.documentElement.clientWidth;
	const name = (el) => el.id ? "#" + el.id : el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().replace(/\s+/g, ".") : "");
	const say = (el, what) => out.push(name(el) + " " + JSON.stringify(el.textContent.trim().slice(0, 60)) + ": " + what);
	const list = document.getElementById("sessions");
	const listBottom = list ? list.getBoundingClientRect().bottom : Infinity;
	const els = document.querySelectorAll("h1, h2, p, button, li, progress, #sessions li > *, #placements li > *");
	for (const el of els) {
		if (!el.getClientRects().length) continue;
		const cs = getComputedStyle(el);
		if (cs.visibility === "hidden" || cs.display === "inline") continue;
		const r = el.getBoundingClientRect();
		if (el.closest("#sessions") && r.top > listBottom) continue;
		if (el.scrollWidth > el.clientWidth + 1) say(el, "text " + (el.scrollWidth - el.clientWidth) + " px wider than its box");
		if (r.left < -0.5 || r.right > W + 0.5) say(el, "box outside the frame (" + Math.round(r.left) + ".." + Math.round(r.right) + " of " + W + ")");
		if (el.tagName === "BUTTON" && el.textContent.trim()) {
			if (el.scrollHeight > el.clientHeight + 1) say(el, "label taller than the button");
			const range = document.createRange();
			range.selectNodeContents(el);
			const t = range.getBoundingClientRect();
			if (t.left < r.left - 0.5 || t.right > r.right + 0.5 || t.top < r.top - 0.5 || t.bottom > r.bottom + 0.5) say(el, "label clipped by the button");
		}
	}
	if (document.documentElement.scrollWidth > W) out.push("the page is " + (document.documentElement.scrollWidth - W) + " px wider than its frame");
	return out;
})()`

// assertFits sets the frame's width to the sidebar's, then to the full
// page's (the portal's work area), and measures the app in each.
func (a *app) assertFits(what string) {
	t := a.t
	t.Helper()
	for _, width := range []int{sidebarWidth, 0} {
		portalEvalAs[bool](a, `(() => { const b = document.querySelector(".frame-box");
			b.classList.remove("sidebar"); b.style.width = `+map[bool]string{true: `""`, false: `"` + strconv.Itoa(width) + `px"`}[width == 0]+`; return true; })()`)
		want := portalEvalAs[int](a, `document.getElementById("app-frame").clientWidth`)
		eventually(t, waitTimeout, "the app laid out in its new width", func() bool {
			return evalAs[int](a, `document.documentElement.clientWidth`) == want
		})
		at := "the full page"
		if width > 0 {
			at = strconv.Itoa(width) + " px"
		}
		for _, p := range evalAs[[]string](a, overflowJS) {
			t.Errorf("%s, %s (%d px): %s", what, at, want, p)
		}
	}
}

// longestCount picks the count, 1,000 or more (digits grouped), whose
// sentence is the longest the language says for key: its CLDR category by
// the browser's Intl.PluralRules for the catalogue's locale.
func longestCount(t *testing.T, tb *tab, c catalogue, key string) int {
	t.Helper()
	forms, _ := json.Marshal(c.forms(key))
	loc, _ := json.Marshal(c.locale)
	return evalWith[int](t, tb.evalPortal, `(() => {
		const forms = `+string(forms)+`, rules = new Intl.PluralRules(`+string(loc)+`);
		let best = 1000, len = -1;
		for (let n = 1000; n < 1200; n++) {
			const f = forms[rules.select(n)] || forms.other || "";
			if (f.length > len) { best = n; len = f.length; }
		}
		return best;
	})()`)
}

// faultCodes are REST errors a click can meet, whose words the error line
// shows; the fit test shows each language's longest.
var faultCodes = []string{"INVALID_CREDENTIALS", "ACCESS_DENIED", "user_access_error", "WRONG_AUTH_TYPE",
	"INVALID_REQUEST", "ERROR_METHOD_NOT_FOUND", "OVERLOAD_LIMIT", "PAYMENT_REQUIRED"}

// The operator's open sessions in the demo: what unpinAll unpins once all
// are pinned.
const demoOpenSessions = 11

// TestItFits opens every language in one tab, one after another, so each
// open after the first takes the wasm from the browser's cache: the cold
// compile is paid once, not per language.
func TestItFits(t *testing.T) {
	t.Parallel()
	cats := catalogues(t)
	p := startPortal(t, devportal.Config{RateLimit: devportal.RateLimit{PerSecond: 1000, Burst: 1000}})
	tb := newTabWithin(t, time.Duration(len(cats))*tabTimeout)
	for _, c := range cats {
		// The count whose sentence is longest, in the browser's plural
		// rules (any page has Intl): the operator has that many open
		// sessions, all pinned, for "Unpin all" to unpin.
		n := longestCount(t, tb, c, "result.unpinned")
		d := devportal.DemoDataFor(c.lang).WithExtraSessions(n-demoOpenSessions, operator)
		for i, s := range d.Sessions {
			d.Sessions[i].Pinned = s.Pinned || s.Operator == operator && !s.Closed
		}
		require.NoError(t, p.SetSessions(d))
		a := openPortalApp(t, tb, p, "lang="+c.lang+"&placement=IM_SIDEBAR&dialog=chat1364")
		require.Equal(t, stateReady, a.waitState(stateReady, stateError), "%s: not ready", c.lang)
		fitWidget(t, p, tb, a, c, n)
	}
}

// fitWidget measures the chat sidebar's page (every element of the full
// page, and the dialog's block) after "Unpin all" and with an error shown:
// between them every label, heading and row, the longest count sentence
// and the longest error. Ready shows a subset; a dialog's own sentence is
// a paragraph that wraps as the count sentence does.
func fitWidget(t *testing.T, p *devportal.Portal, tb *tab, a *app, c catalogue, n int) {
	require.Equal(t, []string{c.locale, c.text("widget.pinAll")},
		evalAs[[]string](a, `[document.documentElement.lang, document.getElementById("pin-all").textContent]`),
		"%s: the page does not speak the catalogue's words", c.lang)
	calls := len(restCalls(p, mUnpinAll))
	a.scriptClick("#unpin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	require.Len(t, restCalls(p, mUnpinAll), calls+1)
	assert.Empty(t, unpinnable(p.Sessions(), operator), "%s: unpinned all %d", c.lang, n)
	eventually(t, waitTimeout, "the first rows named", func() bool {
		return evalAs[bool](a, `document.querySelectorAll("#sessions li[data-lookup]").length > 5`)
	})
	a.assertFits(c.lang + ", unpinned " + strconv.Itoa(n))

	code, words := "", ""
	for _, k := range faultCodes {
		if s := c.text("error." + k); len(s) > len(words) {
			code, words = k, s
		}
	}
	require.NotEmpty(t, code, "no error words in %s.json", c.lang)
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Method: mPinAll, Code: code}))
	tb.allowConsole(`pinall: `)
	a.scriptClick("#pin-all")
	require.Equal(t, stateError, a.waitState(stateDone, stateError))
	a.assertFits(c.lang + ", error " + code)
}

// scriptClick clicks sel from script: what is measured here is the layout,
// not the click, and the frame's width changes between clicks.
func (a *app) scriptClick(sel string) {
	a.t.Helper()
	a.startAction()
	evalAs[bool](a, `(document.querySelector(`+strconv.Quote(sel)+`).click(), true)`)
}

// TestItFitsInstaller measures the installer where it says the most: one
// binding refused (no "placement" scope), its reason and the way on.
func TestItFitsInstaller(t *testing.T) {
	t.Parallel()
	cats := catalogues(t)
	p := startPortal(t, devportal.Config{Install: true, Scopes: []string{"imopenlines"}})
	tb := newTabWithin(t, time.Duration(len(cats))*tabTimeout)
	tb.allowConsole(`pinall: `)
	for _, c := range cats {
		a, v := installerIn(t, tb, p, "lang="+c.lang)
		require.Equal(t, stateError, v.State, "%s", c.lang)
		require.Equal(t, c.text("install.finish"), evalAs[string](a, `document.getElementById("install-finish").textContent`),
			"%s: the installer does not speak the catalogue's words", c.lang)
		a.waitFitted()
		a.assertFits(c.lang + ", installer, placement refused")
	}
}

// The measurer finds what does not fit: a German compound forced into a
// button that may not wrap it, and a row wider than the frame.
func TestItFitsMeasures(t *testing.T) {
	_, _, a := openReady(t, devportal.Config{}, "")
	portalEvalAs[bool](a, `(document.querySelector(".frame-box").style.width = "300px", true)`)
	eventually(t, waitTimeout, "the narrow frame", func() bool {
		return evalAs[int](a, `document.documentElement.clientWidth`) <= 300
	})
	require.Empty(t, evalAs[[]string](a, overflowJS), "the English page fits")
	got := evalAs[[]string](a, `(() => {
		const b = document.getElementById("pin-all");
		b.textContent = "Alle Gesprächszuweisungsänderungsbestätigungen anheften";
		b.style.whiteSpace = "nowrap";
		return `+overflowJS+`;
	})()`)
	assert.NotEmpty(t, got, "a clipped button label goes unnoticed")
	assert.Contains(t, strings.Join(got, "\n"), "#pin-all")
}
