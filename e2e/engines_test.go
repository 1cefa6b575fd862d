//go:build !js

package e2e

// The main scenarios in every engine operators use: Chromium (chromedp, the
// harness in harness_test.go), Firefox ESR (its built-in WebDriver BiDi,
// engine_firefox_test.go) and WebKitGTK, Safari's engine (WebKitWebDriver,
// W3C WebDriver classic, under Xvfb: engine_webkit_test.go). One table of
// scenarios, written once against enginePage; TestEngines runs it per engine
// as TestEngines/<engine>/<scenario>. A missing engine fails its subtests
// with the command that installs it; nothing skips.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// engine is one browser kind. Started once per test binary, on first use.
type engine interface {
	// newPage opens a fresh page (its own cookies, cache and storage), closed
	// when t ends.
	newPage(t *testing.T) enginePage
}

// enginePage is one tab of an engine, as the cross-engine scenarios drive it.
// Each method fails t on a driver error.
type enginePage interface {
	// openPortal loads the portal page (query as in "lang=ru") and points
	// evalApp and click at the app's cross-origin iframe.
	openPortal(p *devportal.Portal, query string)
	// openApp loads url as the top-level document: the app outside Bitrix24.
	openApp(url string)
	// evalApp evaluates a JS expression in the app's document (a Promise is
	// awaited) and returns its value as JSON. A thrown error is an error.
	evalApp(expr string) (json.RawMessage, error)
	// evalPortal is evalApp in the top-level document.
	evalPortal(expr string) (json.RawMessage, error)
	// click clicks the element sel in the app's document, as close to a
	// user's click as the engine's driver allows.
	click(sel string)
	// console returns what the engine reported from the page and the app so
	// far (see each engine for what it can see).
	console() []consoleLine
	// allowConsole declares an exception or panic line the test expects (a
	// regexp): it does not fail the test.
	allowConsole(pattern string)
}

// engineSpec names an engine, how to get it, and how to start it.
type engineSpec struct {
	name    string
	install string // the one command that installs it
	start   func() (engine, func(), error)
	// keepsCache: Cache Storage outlives the document that wrote it.
	// Not so in WebKitGTK's automation session (measured: put, reload the
	// frame or the top-level page, and keys() is empty), so there every
	// open loads the wasm from the network, as where storage is refused.
	keepsCache bool
	once       sync.Once
	eng        engine
	stop       func()
	err        error
}

// engines are the three engines, in the order TestEngines runs them.
var engines = []*engineSpec{
	{name: "chromium", install: "sudo apt-get install -y chromium", start: startChromium, keepsCache: true},
	{name: "firefox", install: "sudo apt-get install -y firefox-esr", start: startFirefox, keepsCache: true},
	{name: "webkit", install: "sudo apt-get install -y webkit2gtk-driver xvfb", start: startWebKit},
}

// get starts the engine once, or fails t with the command that installs it.
func (s *engineSpec) get(t *testing.T) engine {
	t.Helper()
	s.once.Do(func() {
		start := time.Now()
		s.eng, s.stop, s.err = s.start()
		if s.err == nil {
			fmt.Fprintf(os.Stderr, "e2e: %s started in %v\n", s.name, time.Since(start).Round(time.Millisecond))
		}
	})
	if s.err != nil {
		t.Fatalf("e2e: %s: %v\n    install it with: %s   (or: make browsers)", s.name, s.err, s.install)
	}
	return s.eng
}

// stopEngines ends every engine started (TestMain calls it).
func stopEngines() {
	for _, s := range engines {
		if s.stop != nil {
			s.stop()
		}
	}
}

// pageCleanup is what every engine's page does when its test ends: the
// console on a failure, a failure for an exception or a Go panic.
func pageCleanup(t *testing.T, pg enginePage, allowed *allowList) {
	if t.Failed() {
		for _, l := range pg.console() {
			t.Logf("console: %s", l)
		}
	}
	c := consoleLog{lines: pg.console()}
	c.allowed = allowed.list()
	for _, l := range c.problems() {
		t.Errorf("e2e: unexpected in the console: %s", l)
	}
}

// allowList holds the console patterns a test expects.
type allowList struct {
	mu sync.Mutex
	re []*regexp.Regexp
}

func (a *allowList) add(pattern string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.re = append(a.re, regexp.MustCompile(pattern))
}

func (a *allowList) list() []*regexp.Regexp {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.re)
}

// logAppErrors logs the widget's console errors and warnings (failing or
// not: a widget's own error in one engine is worth seeing in every run).
func logAppErrors(t *testing.T, pg enginePage) {
	if t.Failed() {
		return // pageCleanup logs the whole console
	}
	for _, l := range pg.console() {
		if l.From == "app" && (l.Kind == "error" || l.Kind == "warn" || l.Kind == "warning" || l.Exception) {
			t.Logf("console: %s", l)
		}
	}
}

// ---------------------------------------------------------------------------
// The widget through any engine.

// app is the widget in one engine's page: the DOM contract's reads and
// waits, written once for every engine.
type app struct {
	t        *testing.T
	pg       enginePage
	inPortal bool // in the portal's #app-frame, not top-level
	mark     int  // index into the state history where the last click started
}

// evalAs evaluates expr in the app's document and decodes the result.
func evalAs[T any](a *app, expr string) T {
	a.t.Helper()
	raw, err := a.pg.evalApp(expr)
	if err != nil {
		a.t.Fatalf("e2e: eval %q: %v", expr, err)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		a.t.Fatalf("e2e: eval %q: decode %s: %v", expr, raw, err)
	}
	return v
}

// portalEvalAs is evalAs in the portal page.
func portalEvalAs[T any](a *app, expr string) T {
	a.t.Helper()
	raw, err := a.pg.evalPortal(expr)
	if err != nil {
		a.t.Fatalf("e2e: eval %q in the portal page: %v", expr, err)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		a.t.Fatalf("e2e: eval %q: decode %s: %v", expr, raw, err)
	}
	return v
}

// openPortalApp opens the portal page in pg and starts recording the app's states.
func openPortalApp(t *testing.T, pg enginePage, p *devportal.Portal, query string) *app {
	t.Helper()
	pg.openPortal(p, query)
	a := &app{t: t, pg: pg, inPortal: true}
	a.observe()
	return a
}

// openTopApp opens url top-level in pg and starts recording its states.
func openTopApp(t *testing.T, pg enginePage, url string) *app {
	t.Helper()
	pg.openApp(url)
	a := &app{t: t, pg: pg}
	a.observe()
	return a
}

func (a *app) observe() {
	a.t.Helper()
	evalAs[any](a, observeJS)
	a.mark = 0
}

func (a *app) states() []string {
	a.t.Helper()
	return evalAs[[]string](a, `window.__e2eStates || null`)
}

// waitState waits until the app reaches one of want since the last click
// (or since it was opened) and returns it.
func (a *app) waitState(want ...string) string {
	a.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		h := a.states()
		if h == nil {
			a.t.Fatalf("e2e: the app's document was replaced while waiting for %v", want)
		}
		for _, s := range h[min(a.mark, len(h)):] {
			if slices.Contains(want, s) {
				return s
			}
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("e2e: timed out after %v waiting for data-state %v; states since the last click: %v; page: %+v",
				waitTimeout, want, h[min(a.mark, len(h)):], a.dom())
		}
		time.Sleep(pollEvery) // polling interval, not synchronisation
	}
}

func (a *app) dom() domView {
	a.t.Helper()
	return evalAs[domView](a, domJS)
}

// click clicks sel once a user could: the element there, enabled, with a
// size, and the portal's frame sized to the app's content (resizeWindow), so
// a click is not aimed at a spot that moves.
func (a *app) click(sel string) {
	a.t.Helper()
	eventually(a.t, waitTimeout, sel+" clickable", func() bool {
		h := evalAs[float64](a, fmt.Sprintf(`(() => {
			const e = document.querySelector(%s);
			if (!e || e.disabled) return -1;
			const r = e.getBoundingClientRect();
			if (!r.width || !r.height) return -1;
			return Math.ceil(document.documentElement.getBoundingClientRect().height);
		})()`, strconv.Quote(sel)))
		if h < 0 {
			return false
		}
		return !a.inPortal || portalEvalAs[float64](a, `document.getElementById("app-frame").clientHeight`) >= h
	})
	a.mark = len(a.states())
	a.pg.click(sel)
}

// ---------------------------------------------------------------------------
// The scenarios.

// engineScenario is one thing a user does, run in every engine.
type engineScenario struct {
	name string
	run  func(t *testing.T, pg enginePage)
}

// readyApp starts a portal and opens it in pg, requiring ready with both buttons on.
func readyApp(t *testing.T, pg enginePage, cfg devportal.Config, query string) (*devportal.Portal, *app) {
	t.Helper()
	p := startPortal(t, cfg)
	a := openPortalApp(t, pg, p, query)
	got := a.waitState(stateReady, stateError)
	d := a.dom()
	require.Equal(t, stateReady, got, "the widget did not get ready: %+v", d)
	require.Empty(t, d.Alert, "error line on a ready widget")
	require.True(t, d.PinEnabled && d.UnpinEnabled, "buttons off on a ready widget: %+v", d)
	return p, a
}

var engineScenarios = []engineScenario{
	{"ready", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "lang=ru")
		d := a.dom()
		assert.Equal(t, "ru", d.Lang)
		assert.Equal(t, "Закрепить все", d.PinLabel)
		assert.Empty(t, p.Requests(), "no REST call before a click")
		// The portal page reports each frame message to the portal a moment
		// after answering it.
		eventually(t, waitTimeout, "getInitData in the portal's log", func() bool { return len(frameEvents(p, "getInitData")) > 0 })
		assert.Equal(t, p.AppURL(), frameEvents(p, "getInitData")[0].Origin, "the app asked the portal for its init data")
	}},
	{"pin all", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		want := pinnable(before, operator)
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.Equal(t, want, sorted(d.SessionIDs), "the list shows what the portal pinned")
		assertOnlyChanged(t, before, p.Sessions(), want, true)
		assert.Contains(t, d.Status, fmt.Sprintf("Pinned %d dialogs", len(want)))
		assert.Empty(t, d.Alert)
		assert.Len(t, restCalls(p, mPinAll), 1, "one click, one pinAll")
	}},
	{"unpin all", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		want := unpinnable(before, operator)
		require.NotEmpty(t, want)
		require.True(t, slices.ContainsFunc(before, func(s devportal.SessionView) bool { return s.Operator != operator && s.Pinned }),
			"the demo needs another operator's pinned session to prove it is left alone")
		a.click("#unpin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.Equal(t, want, sorted(d.SessionIDs))
		assertOnlyChanged(t, before, p.Sessions(), want, false)
		assert.Contains(t, d.Status, fmt.Sprintf("Unpinned %d dialogs", len(want)))
		assert.Empty(t, d.Alert)
		assert.Len(t, restCalls(p, mUnpinAll), 1)
		assert.Empty(t, restCalls(p, mPinAll))

		// Pin all, then unpin all again: the second unpin undoes every open
		// session of the operator, and the list says so.
		open := selectIDs(before, func(s devportal.SessionView) bool { return s.Operator == operator && !s.Closed })
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, open, sorted(a.dom().SessionIDs))
		a.click("#unpin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, open, sorted(a.dom().SessionIDs))
		assert.Empty(t, unpinnable(p.Sessions(), operator), "the operator has pinned sessions left")
	}},
	{"missing scope in words", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		p.SetScopes("placement", "im")
		a.click("#pin-all")
		require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.Contains(t, d.Alert, "imopenlines", "the alert names the missing permission")
		assert.Contains(t, strings.ToLower(d.Alert), "administrator", "the alert says who can fix it")
		assert.Empty(t, d.Status, "no outcome on the status line after an error")
		assert.True(t, d.PinEnabled && d.UnpinEnabled, "buttons after an error: %+v", d)
		assert.Equal(t, before, p.Sessions())
		calls := restCalls(p, mPinAll)
		require.Len(t, calls, 1, "no retry for a missing scope")
		assert.Equal(t, "insufficient_scope", calls[0].Error)
		p.SetScopes("imopenlines", "placement", "im")
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Empty(t, a.dom().Alert, "the alert is cleared after a success")
	}},
	{"HTML 502 in words, then recovery", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultHTML502, Method: mPinAll}))
		a.click("#pin-all")
		require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.NotEmpty(t, d.Alert)
		assert.NotContains(t, d.Alert, "<", "markup from the error page must not reach the user")
		assert.NotContains(t, strings.ToLower(d.Alert), "bad gateway", "the proxy's page is not the message")
		assert.True(t, d.PinEnabled && d.UnpinEnabled, "buttons after an error: %+v", d)
		assert.Equal(t, before, p.Sessions())
		calls := restCalls(p, mPinAll)
		require.Len(t, calls, 1, "an HTML page is not retried")
		assert.Equal(t, 502, calls[0].Status)

		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d = a.dom()
		assert.Empty(t, d.Alert, "the alert is cleared after a success")
		assert.Equal(t, pinnable(before, operator), sorted(d.SessionIDs))
		assertOnlyChanged(t, before, p.Sessions(), pinnable(before, operator), true)
	}},
	{"outside Bitrix24", func(t *testing.T, pg enginePage) {
		p := startPortal(t, devportal.Config{})
		a := openTopApp(t, pg, p.AppURL()+"/index.html")
		require.Equal(t, stateError, a.waitState(stateError, stateReady), "page: %+v", a.dom())
		d := a.dom()
		assert.Contains(t, d.Alert, "only inside Bitrix24")
		assert.False(t, d.PinEnabled || d.UnpinEnabled, "buttons off outside the portal: %+v", d)
		assert.Empty(t, p.Requests(), "no REST call outside the portal")
		assert.Empty(t, p.FrameEvents(), "no frame message reached the portal")
	}},
	{"sidebar pins its dialog", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
		assert.False(t, evalAs[bool](a, `document.getElementById("pa-dialog").hidden`), "the dialog block shows in the sidebar")
		require.False(t, sessionOf(p, 1652).Pinned)
		a.click("#pin-dialog")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, "This dialog is pinned: it stays with you.", a.dom().Status)
		assert.True(t, sessionOf(p, 1652).Pinned, "the chat's open session is pinned")
		assert.False(t, sessionOf(p, 1654).Pinned, "no other dialog touched")
		assert.Len(t, restCalls(p, mPin), 1)
		assert.Empty(t, restCalls(p, mPinAll))
	}},
	{"the zip as uploaded: install, then pin all", func(t *testing.T, pg enginePage) {
		// The zip's pages carry their scripts inline under a CSP of hashes
		// (internal/distpage): each engine must run them.
		unzipDist(t) // the zip holds the current build
		p := startPortal(t, devportal.Config{AppZip: filepath.Join(repoRoot(t), "dist", "pinall.zip"), Install: true})
		a := openPortalApp(t, pg, p, "lang=ru")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "installer page: %+v", a.dom())
		a.click("#install-finish")
		eventually(t, waitTimeout, "setInstallFinish at the portal", p.Installed)
		eventually(t, waitTimeout, "the widget in the frame", func() bool {
			return evalAs[string](a, `location.pathname`) == "/index.html"
		})
		a.observe()
		require.Equal(t, stateReady, a.waitState(stateReady, stateError), "page: %+v", a.dom())
		assert.Equal(t, "Закрепить все", a.dom().PinLabel)
		before := p.Sessions()
		want := pinnable(before, operator)
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, want, sorted(a.dom().SessionIDs))
		assertOnlyChanged(t, before, p.Sessions(), want, true)
	}},
	{"installer finishes", func(t *testing.T, pg enginePage) {
		p := startPortal(t, devportal.Config{Install: true})
		a := openPortalApp(t, pg, p, "")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, map[string]string{"IM_NAVIGATION": "bound", "IM_SIDEBAR": "bound"},
			evalAs[map[string]string](a, `Object.fromEntries([...document.querySelectorAll("#placements li[data-placement]")].map((li) => [li.dataset.placement, li.dataset.result]))`))
		require.False(t, p.Installed(), "the installer waits for the admin's click")
		a.click("#install-finish")
		eventually(t, waitTimeout, "setInstallFinish at the portal", p.Installed)
		require.Len(t, frameEvents(p, "setInstallFinish"), 1)
		// The portal then loads the widget into the same frame.
		eventually(t, waitTimeout, "the widget in the frame", func() bool {
			return evalAs[string](a, `location.pathname`) == "/index.html"
		})
		a.observe()
		assert.Equal(t, stateReady, a.waitState(stateReady, stateError), "page: %+v", a.dom())
	}},
}

// TestEngines runs every scenario in every engine.
func TestEngines(t *testing.T) {
	for _, spec := range engines {
		t.Run(spec.name, func(t *testing.T) {
			start := time.Now()
			for _, sc := range engineScenarios {
				t.Run(sc.name, func(t *testing.T) {
					pg := spec.get(t).newPage(t)
					t.Cleanup(func() { logAppErrors(t, pg) })
					sc.run(t, pg)
				})
			}
			t.Logf("%s: %d scenarios in %v", spec.name, len(engineScenarios), time.Since(start).Round(time.Millisecond))
		})
	}
}
