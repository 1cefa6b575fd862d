//go:build !js

// Package e2e drives the built widget (widget/) in real headless Chromium,
// inside the dev portal (internal/devportal), through the widget's public DOM
// contract. It tests what a user would notice and checks the portal's state.
//
// # Harness API (used by every test file here)
//
//	p := startPortal(t, devportal.Config{...})   // WidgetDir defaults to ../widget; closed by t.Cleanup
//	tab := newTab(t)                             // a fresh browser context and tab in the shared Chromium
//	w := tab.openPortal(p, "lang=ru")            // the portal page, attached to the app's iframe
//	w := tab.openApp(url)                        // the app opened as a top-level page (outside Bitrix24)
//	w.waitState("ready")                         // html[data-state], see below; returns the state reached
//	w.click("#pin-all"); w.doubleClick("#pin-all")
//	w.dom()                                      // state, status, alert, session IDs, buttons, labels
//	eval[T](t, w.ctx, "js expression")           // any other read, in the app's frame (or tab.ctx: the portal page)
//	tab.screenshot("name")                       // artifacts/name.png: the whole page, iframe included
//	tab.allowConsole(`regexp`)                   // a console line the test expects (else panics/exceptions fail it)
//	tab.console()                                // every console line so far, from the portal page and the app
//	restCalls(p, method)                         // p.Requests() for one REST method (OPTIONS included)
//	eventually(t, d, "what", func() bool)        // poll a condition with a deadline
//
// The portal side is the *devportal.Portal itself: p.Sessions(), p.Requests(),
// p.FrameEvents(), p.InjectFault(...), p.ExpireTokens(), p.SetScopes(...).
//
// waitState waits for a state reached *since the last click* (or since the
// widget was opened), so waitState("done") after a second click never returns
// the first click's "done". A MutationObserver in the app's page records every
// data-state value; w.states() returns that history.
//
// # The cross-origin iframe
//
// The portal is http://localhost:P and the app http://127.0.0.1:Q: two sites,
// so Chromium's site isolation (left on, as in production) runs the app in its
// own renderer process, as a target of type "iframe". The harness attaches a
// second chromedp context to that target (chromedp.WithTargetID) to read the
// app's DOM and console. Clicks are real mouse events sent to the top-level
// page at the button's position (iframe offset + element rect), so the browser
// hit-tests the whole portal page as it would for a user. Web security and site
// isolation are never disabled: the postMessage origin checks and CORS are the
// browser's real ones.
//
// # Chromium
//
// One Chromium per test binary (started on first use, stopped by TestMain),
// with the project's flags (internal/chromium) and a fresh --user-data-dir. Each
// test gets its own browser context (like a fresh profile: no shared cache,
// storage or cookies) and tab. A missing chromium fails the test ("run make
// chromium"). TestMain builds the widget first (build_test.go). Nothing skips.
//
// # Other engines
//
// The main scenarios and the loader's paths also run in Firefox ESR and
// WebKitGTK through enginePage (engines_test.go), Chromium's side of which
// is this harness (engine_chromium_test.go).
package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/pinall/pinall/internal/chromium"
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
// Locating things: the repository, the built widget, Chromium.

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

// chromiumPath finds chromium on PATH.
func chromiumPath() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("e2e: chromium is not on PATH: run make chromium")
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

// ---------------------------------------------------------------------------
// The shared browser.

var browser struct {
	once   sync.Once
	ctx    context.Context // the first chromedp context: owns the Chromium process
	cancel context.CancelFunc
	dir    string
	err    error
}

// sharedBrowser starts Chromium once per test binary.
func sharedBrowser(t testing.TB) context.Context {
	t.Helper()
	browser.once.Do(func() {
		path, err := chromiumPath()
		if err != nil {
			browser.err = err
			return
		}
		dir, err := os.MkdirTemp("", "pinall-e2e-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		browser.dir = dir
		opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(dir)}
		opts = append(opts, chromium.Flags()...) // the project's one set (internal/chromium)
		opts = append(opts, chromedp.WindowSize(1440, 1200))
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		if err := chromedp.Do(bctx); err != nil {
			bcancel()
			acancel()
			browser.err = fmt.Errorf("e2e: start chromium (%s): %w", path, err)
			return
		}
		browser.ctx = bctx
		browser.cancel = func() { bcancel(); acancel() }
	})
	if browser.err != nil {
		t.Fatal(browser.err)
	}
	return browser.ctx
}

// stopBrowser ends the shared Chromium (TestMain calls it).
func stopBrowser() {
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dir != "" {
		os.RemoveAll(browser.dir)
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
// Console collection.

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

type consoleLog struct {
	mu      sync.Mutex
	lines   []consoleLine
	allowed []*regexp.Regexp
}

func (c *consoleLog) listener(from string) func(ev any) {
	return func(ev any) {
		var l consoleLine
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			parts := make([]string, 0, len(ev.Args))
			for _, a := range ev.Args {
				parts = append(parts, remoteText(a))
			}
			l = consoleLine{From: from, Kind: string(ev.Type), Text: strings.Join(parts, " ")}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			l = consoleLine{From: from, Kind: "exception", Text: strings.TrimSpace(text), Exception: true}
		case *cdplog.EventEntryAdded:
			l = consoleLine{From: from, Kind: "browser:" + string(ev.Entry.Level), Text: ev.Entry.Text + " " + ev.Entry.URL}
		default:
			return
		}
		c.mu.Lock()
		c.lines = append(c.lines, l)
		c.mu.Unlock()
	}
}

func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Type == runtime.RemoteObjectTypeString {
		var s string
		if json.Unmarshal([]byte(o.Value), &s) == nil {
			return s
		}
	}
	if o.Description != "" {
		return o.Description
	}
	if len(o.Value) > 0 {
		return string(o.Value)
	}
	return string(o.UnserializableValue)
}

// problems returns the lines that fail a test: uncaught exceptions, unhandled
// rejections and Go panics, unless an allowed pattern matches them.
func (c *consoleLog) problems() []consoleLine {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []consoleLine
	for _, l := range c.lines {
		if !l.Exception && !goPanic.MatchString(l.Text) {
			continue
		}
		if slices.ContainsFunc(c.allowed, func(re *regexp.Regexp) bool { return re.MatchString(l.Text) }) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// ---------------------------------------------------------------------------
// Tabs.

// tab is one browser tab in a fresh browser context.
type tab struct {
	t      testing.TB
	ctx    context.Context // the tab's top-level page
	cons   *consoleLog
	widget *widget // the last widget opened, for the failure screenshot
}

// newTab opens a tab in a new browser context of the shared Chromium. When the
// test ends it fails the test on an unexpected exception or Go panic in the
// console, saves a screenshot if the test failed, and closes the tab.
func newTab(t testing.TB) *tab {
	t.Helper()
	return newTabWithin(t, tabTimeout)
}

// newTabWithin is newTab for a test that needs longer than tabTimeout (the soak).
func newTabWithin(t testing.TB, d time.Duration) *tab {
	t.Helper()
	parent := sharedBrowser(t)
	tctx, tcancel := context.WithTimeout(parent, d)
	cons := &consoleLog{}
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext(),
		chromedp.WithListener(cons.listener("page")))
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		tcancel()
		t.Fatalf("e2e: open a tab: %v", err)
	}
	tb := &tab{t: t, ctx: ctx, cons: cons}
	t.Cleanup(func() {
		if t.Failed() {
			tb.screenshotOnFailure()
			for _, l := range tb.console() {
				t.Logf("console: %s", l)
			}
		}
		for _, l := range cons.problems() {
			t.Errorf("e2e: unexpected in the console: %s", l)
		}
		if tb.widget != nil && tb.widget.cancel != nil {
			tb.widget.cancel()
		}
		cancel()
		tcancel()
	})
	return tb
}

// allowConsole declares a console line the test expects (a regexp), so an
// exception or panic line it matches does not fail the test.
func (tb *tab) allowConsole(pattern string) {
	tb.cons.mu.Lock()
	defer tb.cons.mu.Unlock()
	tb.cons.allowed = append(tb.cons.allowed, regexp.MustCompile(pattern))
}

// console returns every console line so far, from the page and the app.
func (tb *tab) console() []consoleLine {
	tb.cons.mu.Lock()
	defer tb.cons.mu.Unlock()
	return slices.Clone(tb.cons.lines)
}

// navigate loads url in the tab and waits for its load event.
func (tb *tab) navigate(url string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(url)); err != nil {
		tb.t.Fatalf("e2e: navigate to %s: %v", url, err)
	}
}

// portalPage is the URL of the portal page with query (as in
// "lang=ru&user=2", or "").
func portalPage(p *devportal.Portal, query string) string {
	if query == "" {
		return p.PortalURL() + "/"
	}
	return p.PortalURL() + "/?" + query
}

// openPortal opens the portal page (query as in "lang=ru&user=2", or "") and
// returns the widget in its iframe, attached and observed, without waiting for
// a state: call waitState.
func (tb *tab) openPortal(p *devportal.Portal, query string) *widget {
	tb.t.Helper()
	tb.navigate(portalPage(p, query))
	id := tb.appTarget(p.AppURL() + "/")
	fctx, cancel := chromedp.NewContext(tb.ctx, chromedp.WithTargetID(id),
		chromedp.WithListener(tb.cons.listener("app")))
	if err := chromedp.Do(fctx); err != nil {
		cancel()
		tb.t.Fatalf("e2e: attach to the app iframe: %v", err)
	}
	w := &widget{tab: tb, ctx: fctx, cancel: cancel, inFrame: true}
	tb.widget = w
	// The target can be listed before its first document commits: observe
	// the app's document, not the initial about:blank.
	eventually(tb.t, waitTimeout, "the app's document in the iframe", func() bool {
		return strings.HasPrefix(eval[string](tb.t, fctx, `location.href`), p.AppURL()+"/")
	})
	w.observe()
	return w
}

// openApp opens url (the app's own page) as the top-level document: the
// widget outside any portal.
func (tb *tab) openApp(url string) *widget {
	tb.t.Helper()
	tb.navigate(url)
	w := &widget{tab: tb, ctx: tb.ctx}
	tb.widget = w
	w.observe()
	return w
}

// appTarget waits for the out-of-process iframe whose URL starts with prefix.
func (tb *tab) appTarget(prefix string) target.ID {
	tb.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		infos, err := chromedp.Targets(tb.ctx)
		if err != nil {
			tb.t.Fatalf("e2e: list targets: %v", err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				return info.TargetID
			}
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("e2e: no out-of-process iframe for %s among %d targets (site isolation off?)", prefix, len(infos))
		}
		time.Sleep(pollEvery)
	}
}

// screenshot saves a PNG of the whole top-level page (the app's iframe
// included) as artifacts/<name>.png and returns its path.
func (tb *tab) screenshot(name string) string {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("e2e: screenshot: %v", err)
	}
	path := filepath.Join(artifactsDir(tb.t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	return path
}

func (tb *tab) screenshotOnFailure() {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	name := "fail-" + regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(tb.t.Name(), "_") + ".png"
	path := filepath.Join(artifactsDir(tb.t), name)
	if os.WriteFile(path, png, 0o644) == nil {
		tb.t.Logf("e2e: screenshot of the failure: %s", path)
	}
}

// ---------------------------------------------------------------------------
// The widget.

// widget is the app's document: in the portal's iframe, or top-level.
type widget struct {
	tab     *tab
	ctx     context.Context // runs in the app's document
	cancel  context.CancelFunc
	inFrame bool
	mark    int // index into the state history where the last click started
}

// eval runs a JavaScript expression in ctx (a widget's or a tab's) and decodes
// its JSON result into T. Promises are awaited.
func eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("e2e: eval %q: %v", expr, err)
	}
	return v
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

// observe installs the state recorder (observeJS) in the app's document.
func (w *widget) observe() {
	w.tab.t.Helper()
	eval[chromedp.Void](w.tab.t, w.ctx, observeJS)
	w.mark = 0
}

// states returns every data-state the page went through, oldest first.
func (w *widget) states() []string {
	w.tab.t.Helper()
	return eval[[]string](w.tab.t, w.ctx, `window.__e2eStates || null`)
}

// waitState waits until the page reaches one of want since the last click
// (or since it was opened), within waitTimeout, and returns it.
func (w *widget) waitState(want ...string) string {
	w.tab.t.Helper()
	return w.waitStateWithin(waitTimeout, want...)
}

// waitStateWithin is waitState with its own deadline.
func (w *widget) waitStateWithin(d time.Duration, want ...string) string {
	w.tab.t.Helper()
	deadline := time.Now().Add(d)
	for {
		h := w.states()
		if h == nil {
			w.tab.t.Fatalf("e2e: the app's document was replaced (reloaded?) while waiting for %v", want)
		}
		for _, s := range h[min(w.mark, len(h)):] {
			if slices.Contains(want, s) {
				return s
			}
		}
		if time.Now().After(deadline) {
			w.tab.t.Fatalf("e2e: timed out after %v waiting for data-state %v; states since the last click: %v; page: %+v",
				d, want, h[min(w.mark, len(h)):], w.dom())
		}
		time.Sleep(pollEvery)
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

// dom reads the widget's public DOM contract.
func (w *widget) dom() domView {
	w.tab.t.Helper()
	raw := eval[[]byte](w.tab.t, w.ctx, domJS)
	var v domView
	if err := json.Unmarshal(raw, &v); err != nil {
		w.tab.t.Fatalf("e2e: decode the DOM view %s: %v", raw, err)
	}
	return v
}

// point returns sel's centre in the top-level page's viewport, scrolling it
// into view inside the app first.
func (w *widget) point(sel string) (x, y float64) {
	w.tab.t.Helper()
	type rect struct{ X, Y, W, H float64 }
	r := eval[*rect](w.tab.t, w.ctx, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return null;
		e.scrollIntoView({block: "center", inline: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height};
	})()`, strconv.Quote(sel)))
	if r == nil {
		w.tab.t.Fatalf("e2e: no element %s in the app", sel)
	}
	if r.W == 0 || r.H == 0 {
		w.tab.t.Fatalf("e2e: %s has no size: a user cannot click it", sel)
	}
	x, y = r.X+r.W/2, r.Y+r.H/2
	if w.inFrame {
		f := eval[*rect](w.tab.t, w.tab.ctx, `(() => {
			const f = document.getElementById("app-frame");
			if (!f) return null;
			f.scrollIntoView({block: "nearest"});
			const r = f.getBoundingClientRect();
			return {X: r.left + f.clientLeft, Y: r.top + f.clientTop, W: r.width, H: r.height};
		})()`)
		if f == nil {
			w.tab.t.Fatal("e2e: the portal page has no #app-frame")
		}
		x, y = x+f.X, y+f.Y
	}
	return x, y
}

// click clicks sel with the mouse, as a user would.
func (w *widget) click(sel string) {
	w.tab.t.Helper()
	w.mouse(sel, 1)
}

// doubleClick double-clicks sel: two clicks in a row (click, click, dblclick).
func (w *widget) doubleClick(sel string) {
	w.tab.t.Helper()
	w.mouse(sel, 2)
}

func (w *widget) mouse(sel string, clicks int) {
	w.tab.t.Helper()
	x, y := w.point(sel)
	w.mark = len(w.states())
	act := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, input.DispatchMouseEvent, input.DispatchMouseEventParams{
			Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y}); err != nil {
			return err
		}
		for n := 1; n <= clicks; n++ {
			for _, ev := range []struct {
				typ     input.DispatchMouseEventType
				buttons int64
			}{{input.DispatchMouseEventTypeMousePressed, 1}, {input.DispatchMouseEventTypeMouseReleased, 0}} {
				if _, err := cdp.Call(ctx, t, input.DispatchMouseEvent, input.DispatchMouseEventParams{
					Type: ev.typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: ev.buttons, ClickCount: int64(n)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err := chromedp.Do(w.tab.ctx, act); err != nil {
		w.tab.t.Fatalf("e2e: click %s: %v", sel, err)
	}
}
