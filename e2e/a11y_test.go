//go:build !js

package e2e

// Accessibility: axe-core (npm, pinned in e2e/axe/package-lock.json) runs
// inside the app's frame, in each state a user meets, in both languages, the
// installer included; and a keyboard-only flow. The widget's CSP forbids
// inline script, so axe is injected through CDP (Runtime.evaluate in the
// frame's context is not subject to the page's CSP; the page never sees it).
// Every check runs in the light and the dark colour scheme (the widget
// follows prefers-color-scheme, emulated here through CDP).

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

var axeSource struct {
	once sync.Once
	src  string
}

// axeJS returns axe.min.js, running npm ci in e2e/axe when node_modules is
// missing or stale (the npm helper of sdk_test.go).
func axeJS(t *testing.T) string {
	t.Helper()
	axeSource.once.Do(func() {
		dir := filepath.Join(repoRoot(t), "e2e", "axe")
		npmCI(t, dir)
		b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
		require.NoError(t, err)
		axeSource.src = string(b)
	})
	require.NotEmpty(t, axeSource.src, "axe.min.js did not load (see the first test's npm output)")
	return axeSource.src
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// themes are the colour schemes the widget follows.
var themes = []string{"light", "dark"}

// setTheme emulates prefers-color-scheme in the tab and in the app's frame
// (a renderer of its own), and checks that the app's document sees it.
func (w *widget) setTheme(theme string) {
	w.tab.t.Helper()
	t := w.tab.t
	act := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: theme}}})
		return err
	})
	require.NoError(t, chromedp.Do(w.tab.ctx, act), "emulate %s in the tab", theme)
	if w.inFrame {
		require.NoError(t, chromedp.Do(w.ctx, act), "emulate %s in the app's frame", theme)
	}
	require.Equal(t, theme == "dark", eval[bool](t, w.ctx, `matchMedia("(prefers-color-scheme: dark)").matches`),
		"the app's document does not see the %s scheme", theme)
	// The buttons' colours change with a transition: check the end colours.
	eventually(t, waitTimeout, "the colour transitions to end", func() bool {
		return eval[bool](t, w.ctx, `document.getAnimations().every((a) => !(a instanceof CSSTransition))`)
	})
}

// axeThemes runs axe in the page's current state in each colour scheme.
func (w *widget) axeThemes(state string) {
	w.tab.t.Helper()
	for _, theme := range themes {
		w.setTheme(theme)
		w.axe(state + ", " + theme)
	}
}

// axe runs axe-core on the widget's document (WCAG 2.x A and AA, and axe's
// best practices) and fails the test on any violation, naming the state.
func (w *widget) axe(state string) {
	w.tab.t.Helper()
	t := w.tab.t
	if !eval[bool](t, w.ctx, `typeof window.axe === "object"`) {
		if _, err := chromedp.Run(w.ctx, chromedp.Evaluate[chromedp.Void](axeJS(t.(*testing.T)))); err != nil {
			t.Fatalf("e2e: inject axe-core: %v", err)
		}
	}
	vs := eval[[]axeViolation](t, w.ctx, `axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
		resultTypes: ["violations"],
	}).then((r) => r.violations.map((v) => ({id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary)})))`)
	for _, v := range vs {
		t.Errorf("axe, %s: %s (%s): %s\n\t%s", state, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	t.Logf("axe, %s: %d violations", state, len(vs))
}

func TestAxeWidget(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			p, tb, w := openReady(t, devportal.Config{Lang: lang}, "")
			w.axeThemes(lang + " ready")
			w.click("#pin-all")
			require.Equal(t, stateDone, w.waitState(stateDone, stateError))
			w.axeThemes(lang + " done")
			require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "INVALID_CREDENTIALS"}))
			tb.allowConsole(`pinall: `)
			w.click("#unpin-all")
			require.Equal(t, stateError, w.waitState(stateDone, stateError))
			w.axeThemes(lang + " error")
		})
	}
}

func TestAxeSidebar(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			_, tb, w := openReady(t, devportal.Config{Lang: lang}, "placement=IM_SIDEBAR&dialog=chat1364")
			eval[bool](t, tb.ctx, `(document.querySelector(".frame-box").style.width = "300px", true)`)
			w.axeThemes(lang + " sidebar ready")
			w.waitFitted()
			w.click("#pin-dialog")
			require.Equal(t, stateDone, w.waitState(stateDone, stateError))
			w.axeThemes(lang + " sidebar done")
		})
	}
	_, tb, w := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat99")
	tb.allowConsole(`pinall: `)
	w.waitFitted()
	w.click("#pin-dialog")
	require.Equal(t, stateError, w.waitState(stateDone, stateError))
	w.axeThemes("sidebar error")
}

func TestAxeOutsideBitrix24(t *testing.T) {
	p := startPortal(t, devportal.Config{})
	tb := newTab(t)
	tb.allowConsole(`pinall: `)
	w := tb.openApp(p.AppURL() + "/index.html")
	require.Equal(t, stateError, w.waitState(stateError))
	w.axeThemes("outside Bitrix24")
}

func TestAxeInstaller(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			p := startPortal(t, devportal.Config{Install: true, Lang: lang})
			_, w, v := openInstaller(t, p, "")
			require.Equal(t, stateDone, v.State)
			w.axeThemes(lang + " installer done")
		})
	}
	p := startPortal(t, devportal.Config{Install: true, Scopes: []string{"imopenlines"}})
	tb, w, v := openInstaller(t, p, "")
	tb.allowConsole(`pinall: `)
	require.Equal(t, stateError, v.State)
	w.axeThemes("installer error")
	p2 := startPortal(t, devportal.Config{Install: true})
	tb2, w2, v2 := openInstaller(t, p2, "user=2")
	tb2.allowConsole(`pinall: `)
	require.Equal(t, stateError, v2.State)
	w2.axeThemes("installer not admin")
}

// activeID is the id of the focused element in the app ("" for none).
func (w *widget) activeID() string {
	w.tab.t.Helper()
	return eval[string](w.tab.t, w.ctx, `document.hasFocus() && document.activeElement ? document.activeElement.id : ""`)
}

// tabTo presses Tab in the top-level page until id has the focus in the app.
func (w *widget) tabTo(id string) {
	w.tab.t.Helper()
	for i := 0; i < 40; i++ {
		if w.activeID() == id {
			return
		}
		require.NoError(w.tab.t, chromedp.Do(w.tab.ctx, chromedp.KeyEvent(kb.Tab)))
	}
	w.tab.t.Fatalf("e2e: 40 presses of Tab never reached #%s (at #%s)", id, w.activeID())
}

func (w *widget) press(key string) {
	w.tab.t.Helper()
	w.mark = len(w.states())
	require.NoError(w.tab.t, chromedp.Do(w.tab.ctx, chromedp.KeyEvent(key)))
}

func TestKeyboardOnly(t *testing.T) {
	p, _, w := openReady(t, devportal.Config{}, "")
	live := eval[[]string](t, w.ctx, `(() => { const s = document.getElementById("status");
		return [s.getAttribute("role"), s.getAttribute("aria-live")]; })()`)
	assert.Equal(t, []string{"status", "polite"}, live, "the outcome line is a polite live region")

	w.tabTo("pin-all")
	w.press(kb.Enter)
	require.Equal(t, stateDone, w.waitState(stateDone, stateError))
	assert.Equal(t, "pin-all", w.activeID(), "the focus stays on the button")
	assert.Contains(t, w.dom().Status, "Pinned", "the outcome is in the live region")
	assert.Empty(t, pinnable(p.Sessions(), operator))

	w.tabTo("unpin-all")
	w.press(" ")
	require.Equal(t, stateDone, w.waitState(stateDone, stateError))
	assert.Equal(t, "unpin-all", w.activeID())
	assert.Contains(t, w.dom().Status, "Unpinned")
	assert.Empty(t, unpinnable(p.Sessions(), operator))
	assert.Len(t, restCalls(p, mPinAll), 1)
	assert.Len(t, restCalls(p, mUnpinAll), 1)
}

func TestKeyboardOnlySidebar(t *testing.T) {
	p, _, w := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
	w.tabTo("pin-dialog")
	w.press(kb.Enter)
	require.Equal(t, stateDone, w.waitState(stateDone, stateError))
	assert.Equal(t, "pin-dialog", w.activeID())
	assert.Contains(t, w.dom().Status, "This dialog is pinned")
	assert.True(t, sessionOf(p, 1652).Pinned)
}

// rtlJS measures whether the page mirrors: in an RTL document the first
// button of a row sits right of the second, the headings' and the status'
// text ends at their box's right edge, and the error's rule is on the right.
// Each field is true when it holds; a physical property left in style.css
// (margin-left, border-left, text-align: left) turns one false.
const rtlJS = `(() => {
	const rect = (el) => el.getBoundingClientRect();
	const textRect = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
	const endsRight = (el) => {
		if (!el || !el.textContent.trim() || el.hidden) return true;
		const cs = getComputedStyle(el);
		return Math.abs(rect(el).right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth) - textRect(el).right) < 2;
	};
	const row = (a, b) => { const x = document.getElementById(a), y = document.getElementById(b);
		return !x || !y || x.hidden || y.hidden || x.offsetParent === null || rect(x).top !== rect(y).top || rect(x).right > rect(y).right; };
	const err = document.getElementById("error");
	const ecs = getComputedStyle(err);
	return {
		dir: document.documentElement.dir, direction: getComputedStyle(document.body).direction,
		buttons: row("pin-all", "unpin-all") && row("pin-dialog", "unpin-dialog"),
		title: endsRight(document.getElementById("pa-title")), hint: endsRight(document.getElementById("pa-hint")),
		status: endsRight(document.getElementById("status")),
		errorRule: !err.textContent || (ecs.borderRightWidth === "3px" && ecs.borderLeftWidth === "0px"),
		rows: [...document.querySelectorAll("#sessions li, #placements li")].slice(0, 20).every(endsRight),
	};
})()`

type rtlView struct {
	Dir, Direction                                string
	Buttons, Title, Hint, Status, ErrorRule, Rows bool
}

// assertMirrored checks rtlJS in the widget's current state.
func (w *widget) assertMirrored(state string) {
	w.tab.t.Helper()
	got := eval[rtlView](w.tab.t, w.ctx, rtlJS)
	assert.Equal(w.tab.t, rtlView{Dir: "rtl", Direction: "rtl", Buttons: true, Title: true, Hint: true,
		Status: true, ErrorRule: true, Rows: true}, got, "%s: the page does not mirror right to left", state)
}

// rtl turns the app's document right to left, as an Arabic portal's page is.
func (w *widget) rtl() {
	w.tab.t.Helper()
	eval[bool](w.tab.t, w.ctx, `(document.documentElement.dir = "rtl", document.documentElement.lang = "ar-SA", true)`)
}

// Right to left: every state an Arabic portal's operator meets mirrors and
// stays at zero axe violations, light and dark, the sidebar and the
// installer included.
func TestRightToLeft(t *testing.T) {
	t.Run("widget", func(t *testing.T) {
		p, tb, w := openReady(t, devportal.Config{}, "")
		w.rtl()
		w.assertMirrored("ready")
		w.axeThemes("rtl ready")
		w.click("#pin-all")
		require.Equal(t, stateDone, w.waitState(stateDone, stateError))
		eventually(t, waitTimeout, "the rows", func() bool {
			return eval[bool](t, w.ctx, `document.querySelectorAll("#sessions li[data-lookup]").length > 0`)
		})
		w.assertMirrored("done")
		w.axeThemes("rtl done")
		require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "INVALID_CREDENTIALS"}))
		tb.allowConsole(`pinall: `)
		w.click("#unpin-all")
		require.Equal(t, stateError, w.waitState(stateDone, stateError))
		w.assertMirrored("error")
		w.axeThemes("rtl error")
	})
	t.Run("sidebar", func(t *testing.T) {
		_, tb, w := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
		eval[bool](t, tb.ctx, `(document.querySelector(".frame-box").style.width = "300px", true)`)
		w.rtl()
		w.waitFitted()
		w.click("#pin-dialog")
		require.Equal(t, stateDone, w.waitState(stateDone, stateError))
		w.assertMirrored("sidebar done")
		w.axeThemes("rtl sidebar done")
	})
	t.Run("installer", func(t *testing.T) {
		p := startPortal(t, devportal.Config{Install: true})
		_, w, v := openInstaller(t, p, "")
		require.Equal(t, stateDone, v.State)
		w.rtl()
		w.assertMirrored("installer done")
		w.axeThemes("rtl installer done")
	})
}
