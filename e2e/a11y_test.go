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
func (tb *tab) setTheme(a *app, theme string) {
	t := a.t
	t.Helper()
	act := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: theme}}})
		return err
	})
	require.NoError(t, chromedp.Do(tb.ctx, act), "emulate %s in the tab", theme)
	if tb.inFrame {
		require.NoError(t, chromedp.Do(tb.appCtx, act), "emulate %s in the app's frame", theme)
	}
	require.Equal(t, theme == "dark", evalAs[bool](a, `matchMedia("(prefers-color-scheme: dark)").matches`),
		"the app's document does not see the %s scheme", theme)
	// The buttons' colours change with a transition: check the end colours.
	eventually(t, waitTimeout, "the colour transitions to end", func() bool {
		return evalAs[bool](a, `document.getAnimations().every((a) => !(a instanceof CSSTransition))`)
	})
}

// axeThemes runs axe in the page's current state in each colour scheme.
func (tb *tab) axeThemes(a *app, state string) {
	a.t.Helper()
	for _, theme := range themes {
		tb.setTheme(a, theme)
		tb.axe(a, state+", "+theme)
	}
}

// axe runs axe-core on the widget's document (WCAG 2.x A and AA, and axe's
// best practices) and fails the test on any violation, naming the state.
func (tb *tab) axe(a *app, state string) {
	t := a.t
	t.Helper()
	if !evalAs[bool](a, `typeof window.axe === "object"`) {
		if _, err := chromedp.Run(tb.appCtx, chromedp.Evaluate[chromedp.Void](axeJS(t))); err != nil {
			t.Fatalf("e2e: inject axe-core: %v", err)
		}
	}
	vs := evalAs[[]axeViolation](a, `axe.run(document, {
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
			p, tb, a := openReady(t, devportal.Config{Lang: lang}, "")
			tb.axeThemes(a, lang+" ready")
			a.click("#pin-all")
			require.Equal(t, stateDone, a.waitState(stateDone, stateError))
			tb.axeThemes(a, lang+" done")
			require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "INVALID_CREDENTIALS"}))
			tb.allowConsole(`pinall: `)
			a.click("#unpin-all")
			require.Equal(t, stateError, a.waitState(stateDone, stateError))
			tb.axeThemes(a, lang+" error")
		})
	}
}

func TestAxeSidebar(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			_, tb, a := openReady(t, devportal.Config{Lang: lang}, "placement=IM_SIDEBAR&dialog=chat1364")
			portalEvalAs[bool](a, `(document.querySelector(".frame-box").style.width = "300px", true)`)
			tb.axeThemes(a, lang+" sidebar ready")
			a.waitFitted()
			a.click("#pin-dialog")
			require.Equal(t, stateDone, a.waitState(stateDone, stateError))
			tb.axeThemes(a, lang+" sidebar done")
		})
	}
	_, tb, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat99")
	tb.allowConsole(`pinall: `)
	a.waitFitted()
	a.click("#pin-dialog")
	require.Equal(t, stateError, a.waitState(stateDone, stateError))
	tb.axeThemes(a, "sidebar error")
}

func TestAxeOutsideBitrix24(t *testing.T) {
	p := startPortal(t, devportal.Config{})
	tb := newTab(t)
	tb.allowConsole(`pinall: `)
	a := openTopApp(t, tb, p.AppURL()+"/index.html")
	require.Equal(t, stateError, a.waitState(stateError))
	tb.axeThemes(a, "outside Bitrix24")
}

func TestAxeInstaller(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			p := startPortal(t, devportal.Config{Install: true, Lang: lang})
			tb, a, v := openInstaller(t, p, "")
			require.Equal(t, stateDone, v.State)
			tb.axeThemes(a, lang+" installer done")
		})
	}
	p := startPortal(t, devportal.Config{Install: true, Scopes: []string{"imopenlines"}})
	tb, a, v := openInstaller(t, p, "")
	tb.allowConsole(`pinall: `)
	require.Equal(t, stateError, v.State)
	tb.axeThemes(a, "installer error")
	p2 := startPortal(t, devportal.Config{Install: true})
	tb2, a2, v2 := openInstaller(t, p2, "user=2")
	tb2.allowConsole(`pinall: `)
	require.Equal(t, stateError, v2.State)
	tb2.axeThemes(a2, "installer not admin")
}

// activeID is the id of the focused element in the app ("" for none).
func activeID(a *app) string {
	a.t.Helper()
	return evalAs[string](a, `document.hasFocus() && document.activeElement ? document.activeElement.id : ""`)
}

// tabTo presses Tab in the top-level page until id has the focus in a's
// document.
func (tb *tab) tabTo(a *app, id string) {
	a.t.Helper()
	for i := 0; i < 40; i++ {
		if activeID(a) == id {
			return
		}
		require.NoError(a.t, chromedp.Do(tb.ctx, chromedp.KeyEvent(kb.Tab)))
	}
	a.t.Fatalf("e2e: 40 presses of Tab never reached #%s (at #%s)", id, activeID(a))
}

func TestKeyboardOnly(t *testing.T) {
	p, tb, a := openReady(t, devportal.Config{}, "")
	live := evalAs[[]string](a, `(() => { const s = document.getElementById("status");
		return [s.getAttribute("role"), s.getAttribute("aria-live")]; })()`)
	assert.Equal(t, []string{"status", "polite"}, live, "the outcome line is a polite live region")

	tb.tabTo(a, "pin-all")
	tb.press(a, kb.Enter)
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	assert.Equal(t, "pin-all", activeID(a), "the focus stays on the button")
	assert.Contains(t, a.dom().Status, "Pinned", "the outcome is in the live region")
	assert.Empty(t, pinnable(p.Sessions(), operator))

	tb.tabTo(a, "unpin-all")
	tb.press(a, " ")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	assert.Equal(t, "unpin-all", activeID(a))
	assert.Contains(t, a.dom().Status, "Unpinned")
	assert.Empty(t, unpinnable(p.Sessions(), operator))
	assert.Len(t, restCalls(p, mPinAll), 1)
	assert.Len(t, restCalls(p, mUnpinAll), 1)
}

func TestKeyboardOnlySidebar(t *testing.T) {
	p, tb, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
	tb.tabTo(a, "pin-dialog")
	tb.press(a, kb.Enter)
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	assert.Equal(t, "pin-dialog", activeID(a))
	assert.Contains(t, a.dom().Status, "This conversation is pinned")
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

// assertMirrored checks rtlJS in the app's current state.
func (a *app) assertMirrored(state string) {
	a.t.Helper()
	got := evalAs[rtlView](a, rtlJS)
	assert.Equal(a.t, rtlView{Dir: "rtl", Direction: "rtl", Buttons: true, Title: true, Hint: true,
		Status: true, ErrorRule: true, Rows: true}, got, "%s: the page does not mirror right to left", state)
}

// Right to left: in an Arabic portal (LANG=ar) the page is dir="rtl", and
// every state its operator meets mirrors and stays at zero axe violations,
// light and dark, the sidebar and the installer included.
func TestRightToLeft(t *testing.T) {
	t.Run("widget", func(t *testing.T) {
		p, tb, a := openReady(t, devportal.Config{Lang: "ar"}, "")
		a.assertMirrored("ready")
		tb.axeThemes(a, "rtl ready")
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError))
		eventually(t, waitTimeout, "the rows", func() bool {
			return evalAs[bool](a, `document.querySelectorAll("#sessions li[data-lookup]").length > 0`)
		})
		a.assertMirrored("done")
		tb.axeThemes(a, "rtl done")
		require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "INVALID_CREDENTIALS"}))
		tb.allowConsole(`pinall: `)
		a.click("#unpin-all")
		require.Equal(t, stateError, a.waitState(stateDone, stateError))
		a.assertMirrored("error")
		tb.axeThemes(a, "rtl error")
	})
	t.Run("sidebar", func(t *testing.T) {
		_, tb, a := openReady(t, devportal.Config{Lang: "ar"}, "placement=IM_SIDEBAR&dialog=chat1364")
		portalEvalAs[bool](a, `(document.querySelector(".frame-box").style.width = "300px", true)`)
		a.waitFitted()
		a.click("#pin-dialog")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError))
		a.assertMirrored("sidebar done")
		tb.axeThemes(a, "rtl sidebar done")
	})
	t.Run("installer", func(t *testing.T) {
		p := startPortal(t, devportal.Config{Install: true, Lang: "ar"})
		tb, a, v := openInstaller(t, p, "")
		require.Equal(t, stateDone, v.State)
		a.assertMirrored("installer done")
		tb.axeThemes(a, "rtl installer done")
	})
}
