//go:build !js

// Package e2e drives the built widget (widget/) in real browsers, inside the
// dev portal (internal/devportal), through the widget's public DOM contract.
// It tests what a user would notice and checks the portal's state.
//
// # The page API (one, for every engine and every test here)
//
//	p := startPortal(t, devportal.Config{...})  // WidgetDir defaults to ../widget; closed by t.Cleanup
//	tb := newTab(t)                             // a Chromium page (engine_chromium_test.go); spec.get(t).newPage(t) in any engine
//	a := openPortalApp(t, pg, p, "lang=ru")     // the portal page, the app in its cross-origin iframe
//	a := openTopApp(t, pg, url)                 // the app as a top-level page (outside Bitrix24)
//	p, tb, a := openReady(t, cfg, query)        // a portal and a Chromium tab, the widget ready (readyApp: any engine)
//	a.waitState("ready")                        // html[data-state], see below; returns the state reached
//	a.click("#pin-all")                         // a user's click, once the element can take one
//	a.dom()                                     // state, status, alert, session IDs, buttons, labels
//	evalAs[T](a, "js expression")               // any other read, in the app's document
//	portalEvalAs[T](a, "js expression")         // the same in the portal page
//	pg.allowConsole(`regexp`)                   // a console line the test expects (else panics/exceptions fail it)
//	pg.console()                                // every console line so far, from the portal page and the app
//	restCalls(p, method)                        // p.Requests() for one REST method (OPTIONS included)
//	eventually(t, d, "what", func() bool)       // poll a condition with a deadline
//
// Chromium-only tests reach CDP through the tab: tb.ctx (the top-level
// page), tb.appCtx (the app's document), tb.screenshot, tb.doubleClick,
// tb.press, tb.reloadApp, the axe and theme helpers of a11y_test.go.
//
// The portal side is the *devportal.Portal itself: p.Sessions(), p.Requests(),
// p.FrameEvents(), p.InjectFault(...), p.ExpireTokens(), p.SetScopes(...).
//
// waitState waits for a state reached *since the last click* (or since the
// app was opened), so waitState("done") after a second click never returns
// the first click's "done". A MutationObserver in the app's page records every
// data-state value; a.states() returns that history, a.clickStates() the part
// since the last click.
//
// # Engines
//
// Chromium (chromedp, engine_chromium_test.go) runs every test; Firefox ESR
// (engine_firefox_test.go) and WebKitGTK (engine_webkit_test.go) run the
// scenarios of engines_test.go and the loader's paths. Each implements
// enginePage. A missing browser fails the test with the command that
// installs it. TestMain builds the widget first (build_test.go). Nothing
// skips.
package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// Timeouts. A whole test has tabTimeout; a single wait has waitTimeout unless
// it says otherwise (the rate-limit retries take about 5 s of backoff).
const (
	tabTimeout  = 60 * time.Second
	waitTimeout = 15 * time.Second
	pollEvery   = 20 * time.Millisecond
)

// The widget's DOM states (docs/dom-contract.md).
const (
	stateLoading = "loading"
	stateReady   = "ready"
	stateBusy    = "busy"
	stateDone    = "done"
	stateError   = "error"
)

// ---------------------------------------------------------------------------
// Locating things: the repository, the built widget.

// repoRoot is the module root (the directory above e2e/).
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("e2e: no go.mod in %s: run the tests from the module (go test ./e2e/...)", root)
	}
	return root
}

// widgetDir returns the built widget folder, failing when the build is missing.
func widgetDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "widget")
	for _, f := range []string{"index.html", "pinall.wasm", "install.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("e2e: the widget is not built (%s missing): run make build", filepath.Join("widget", f))
		}
	}
	return dir
}

// artifactsDir is repo-root artifacts/ (git-ignored), created on demand.
func artifactsDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ---------------------------------------------------------------------------
// The dev portal.

// startPortal starts an in-process dev portal serving the built widget
// (cfg.WidgetDir defaults to ../widget) and closes it when the test ends.
func startPortal(t testing.TB, cfg devportal.Config) *devportal.Portal {
	t.Helper()
	if cfg.WidgetDir == "" {
		cfg.WidgetDir = widgetDir(t)
	}
	p, err := devportal.Start(cfg)
	if err != nil {
		t.Fatalf("e2e: start the dev portal: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// portalPage is the URL of the portal page with query (as in
// "lang=ru&user=2", or "").
func portalPage(p *devportal.Portal, query string) string {
	if query == "" {
		return p.PortalURL() + "/"
	}
	return p.PortalURL() + "/?" + query
}

// restCalls returns the logged HTTP requests for one REST method (every HTTP
// method, OPTIONS included), in order.
func restCalls(p *devportal.Portal, method string) []devportal.RequestRecord {
	var out []devportal.RequestRecord
	for _, r := range p.Requests() {
		if r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// frameEvents returns the frame messages with one command, in order.
func frameEvents(p *devportal.Portal, command string) []devportal.FrameEvent {
	var out []devportal.FrameEvent
	for _, e := range p.FrameEvents() {
		if e.Command == command {
			out = append(out, e)
		}
	}
	return out
}

// eventually polls cond until it holds or d passes, then fails the test.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("e2e: timed out after %v waiting for %s", d, what)
		}
		time.Sleep(pollEvery) // polling interval, not synchronisation
	}
}

func TestMain(m *testing.M) {
	if err := buildWidget(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	stopBrowser()
	stopEngines()
	os.Exit(code)
}

// ---------------------------------------------------------------------------
// The console.

// consoleLine is one console message, exception or browser log entry.
type consoleLine struct {
	From      string // "page" (the top-level document) or "app" (the widget's iframe)
	Kind      string // log, error, warning, ..., "exception", or "browser:<level>"
	Text      string
	Exception bool
}

func (l consoleLine) String() string { return l.From + " " + l.Kind + ": " + l.Text }

// goPanic matches what a Go program prints when it panics or dies, and what
// the JS glue throws afterwards.
var goPanic = regexp.MustCompile(`(^|\s)panic: |fatal error: |Go program has already exited|goroutine \d+ \[`)

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

// problems returns the lines that fail a test: uncaught exceptions, unhandled
// rejections and Go panics, unless an allowed pattern matches them.
func (a *allowList) problems(lines []consoleLine) []consoleLine {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []consoleLine
	for _, l := range lines {
		if !l.Exception && !goPanic.MatchString(l.Text) {
			continue
		}
		if slices.ContainsFunc(a.re, func(re *regexp.Regexp) bool { return re.MatchString(l.Text) }) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// pageCleanup is what every engine's page does when its test ends: the
// console on a failure, a failure for an exception or a Go panic.
func pageCleanup(t *testing.T, pg enginePage, allowed *allowList) {
	lines := pg.console()
	if t.Failed() {
		for _, l := range lines {
			t.Logf("console: %s", l)
		}
	}
	for _, l := range allowed.problems(lines) {
		t.Errorf("e2e: unexpected in the console: %s", l)
	}
}

// ---------------------------------------------------------------------------
// The page API.

// enginePage is one tab of an engine, as every test drives it: a fresh page
// (its own cookies, cache and storage), closed when its test ends. Each
// method fails the test on a driver error.
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

// app is the widget (or the installer) in one engine's page: the DOM
// contract's reads, waits and clicks, written once for every engine.
type app struct {
	t        *testing.T
	pg       enginePage
	inPortal bool // in the portal's #app-frame, not top-level
	mark     int  // index into the state history where the last click started
}

// evalWith evaluates expr with eval (an enginePage's evalApp or evalPortal)
// and decodes the result into T.
func evalWith[T any](t testing.TB, eval func(string) (json.RawMessage, error), expr string) T {
	t.Helper()
	raw, err := eval(expr)
	if err != nil {
		t.Fatalf("e2e: eval %q: %v", expr, err)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("e2e: eval %q: decode %s: %v", expr, raw, err)
	}
	return v
}

// evalAs evaluates expr in the app's document and decodes the result.
func evalAs[T any](a *app, expr string) T {
	a.t.Helper()
	return evalWith[T](a.t, a.pg.evalApp, expr)
}

// portalEvalAs is evalAs in the portal page.
func portalEvalAs[T any](a *app, expr string) T {
	a.t.Helper()
	return evalWith[T](a.t, a.pg.evalPortal, expr)
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

// readyApp starts a portal and opens it in pg, requiring ready with nothing
// on the error line and both buttons on.
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

// openReady is readyApp in a new Chromium tab.
func openReady(t *testing.T, cfg devportal.Config, query string) (*devportal.Portal, *tab, *app) {
	t.Helper()
	tb := newTab(t)
	p, a := readyApp(t, tb, cfg, query)
	return p, tb, a
}

// observeJS installs the state recorder in the app's document: a
// MutationObserver that keeps every data-state value in window.__e2eStates.
// Each engine's driver evaluates outside the page's CSP, and the page's own
// code never sees it.
const observeJS = `(() => {
if (window.__e2eStates) return;
const root = document.documentElement;
const h = window.__e2eStates = [root.dataset.state || ""];
new MutationObserver(() => {
	const s = root.dataset.state || "";
	if (h[h.length - 1] !== s) h.push(s);
}).observe(root, {attributes: true, attributeFilter: ["data-state"]});
})()`

// observe starts recording the states of the app's current document (again
// after the document was replaced).
func (a *app) observe() {
	a.t.Helper()
	evalAs[any](a, observeJS)
	a.mark = 0
}

// reloadedJS is what a reloaded document runs first, so reload can tell
// the new document from the old one.
const reloadedJS = "window.__e2eReloaded = true;\n"

// reload reloads the app's document, whose replacement runs reloadedJS
// first (the caller arranged it), and observes the new document.
func (a *app) reload() {
	a.t.Helper()
	// The document goes away under the call: its answer may be an error.
	a.pg.evalApp(`(location.reload(), true)`)
	eventually(a.t, waitTimeout, "the reloaded app", func() bool {
		// While the document is replaced the driver may answer "navigated
		// or closed": that is not yet, not a failure.
		raw, err := a.pg.evalApp(`!!window.__e2eReloaded && !window.__e2eStates && document.readyState !== "loading"`)
		return err == nil && string(raw) == "true"
	})
	a.observe()
}

// states returns every data-state the page went through, oldest first; nil
// once the document was replaced.
func (a *app) states() []string {
	a.t.Helper()
	return evalAs[[]string](a, `window.__e2eStates || null`)
}

// clickStates returns the states since the last click.
func (a *app) clickStates() []string {
	a.t.Helper()
	h := a.states()
	return h[min(a.mark, len(h)):]
}

// startAction marks where a user's action starts: waitState and clickStates
// see only the states from here on. click calls it; a test that acts some
// other way (a key, a double click) calls it first.
func (a *app) startAction() {
	a.t.Helper()
	a.mark = len(a.states())
}

// waitState waits until the app reaches one of want since the last click
// (or since it was opened), within waitTimeout, and returns it.
func (a *app) waitState(want ...string) string {
	a.t.Helper()
	return a.waitStateWithin(waitTimeout, want...)
}

// waitStateWithin is waitState with its own deadline.
func (a *app) waitStateWithin(d time.Duration, want ...string) string {
	a.t.Helper()
	deadline := time.Now().Add(d)
	for {
		h := a.states()
		if h == nil {
			a.t.Fatalf("e2e: the app's document was replaced (reloaded?) while waiting for %v", want)
		}
		for _, s := range h[min(a.mark, len(h)):] {
			if slices.Contains(want, s) {
				return s
			}
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("e2e: timed out after %v waiting for data-state %v; states since the last click: %v; page: %+v",
				d, want, h[min(a.mark, len(h)):], a.dom())
		}
		time.Sleep(pollEvery) // polling interval, not synchronisation
	}
}

// domView is what the DOM contract exposes, read in one go.
type domView struct {
	State        string   `json:"state"`
	Lang         string   `json:"lang"`
	Status       string   `json:"status"`       // [role=status]
	Alert        string   `json:"alert"`        // [role=alert]
	SessionIDs   []int    `json:"sessionIds"`   // #sessions li[data-session-id], in order
	SessionTexts []string `json:"sessionTexts"` // their text
	PinLabel     string   `json:"pinLabel"`
	UnpinLabel   string   `json:"unpinLabel"`
	PinEnabled   bool     `json:"pinEnabled"`
	UnpinEnabled bool     `json:"unpinEnabled"`
}

// domJS reads the widget's public DOM contract (domView) in one go.
const domJS = `(() => {
const q = (s) => document.querySelector(s);
const txt = (e) => e ? e.textContent.trim() : null;
const items = [...document.querySelectorAll("#sessions li[data-session-id]")];
const pin = q("#pin-all"), unpin = q("#unpin-all");
return {
	state: document.documentElement.dataset.state || "",
	lang: document.documentElement.lang || "",
	status: txt(q("[role=status]")) || "",
	alert: txt(q("[role=alert]")) || "",
	sessionIds: items.map((li) => Number(li.dataset.sessionId)),
	sessionTexts: items.map((li) => li.textContent.trim()),
	pinLabel: txt(pin) || "", unpinLabel: txt(unpin) || "",
	pinEnabled: !!pin && !pin.disabled, unpinEnabled: !!unpin && !unpin.disabled,
};
})()`

// dom reads the widget's public DOM contract.
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
		return !a.inPortal || a.frameHeight() >= h
	})
	a.startAction()
	a.pg.click(sel)
}

// frameHeight is the height of the portal's #app-frame.
func (a *app) frameHeight() float64 {
	a.t.Helper()
	return portalEvalAs[float64](a, `document.getElementById("app-frame").clientHeight`)
}

// waitFitted waits until the portal has sized the frame to the app's content
// (resizeWindow), so nothing a user would click is cut off.
func (a *app) waitFitted() {
	a.t.Helper()
	eventually(a.t, waitTimeout, "the frame sized to its content", func() bool {
		content := evalAs[float64](a, `Math.ceil(document.documentElement.getBoundingClientRect().height)`)
		return a.frameHeight() >= content
	})
}

// still waits until the frame stops resizing: the widget asks the portal
// for its content's height as names land, and a mouse click aimed before a
// resize lands elsewhere.
func (a *app) still() {
	a.t.Helper()
	size := func() string {
		return evalAs[string](a, `innerHeight + "x" + innerWidth + ":" + document.documentElement.getBoundingClientRect().height`)
	}
	last, since := size(), time.Now()
	eventually(a.t, waitTimeout, "the frame to keep its size", func() bool {
		if s := size(); s != last {
			last, since = s, time.Now()
		}
		return time.Since(since) > 400*time.Millisecond
	})
}
