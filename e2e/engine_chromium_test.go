//go:build !js

package e2e

// Chromium, driven through chromedp (CDP over a pipe): the engine every e2e
// test runs in, and the one whose CDP the Chromium-only tests use beside the
// page API (network, screenshots, keys, emulation, memory).
//
// One Chromium per test binary (started on first use, stopped by TestMain),
// with the project's flags (internal/chromium) and a fresh --user-data-dir. Each
// test gets its own browser context (like a fresh profile: no shared cache,
// storage or cookies) and tab.
//
// The portal is http://localhost:P and the app http://127.0.0.1:Q: two sites,
// so Chromium's site isolation (left on, as in production) runs the app in its
// own renderer process, as a target of type "iframe". The tab attaches a
// second chromedp context to that target (chromedp.WithTargetID) to read the
// app's DOM and console. Clicks are real mouse events sent to the top-level
// page at the button's position (iframe offset + element rect), so the browser
// hit-tests the whole portal page as it would for a user. Web security and site
// isolation are never disabled: the postMessage origin checks and CORS are the
// browser's real ones.

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
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/chromium"
	"github.com/pinall/pinall/internal/devportal"
)

// chromiumPath finds chromium on PATH.
func chromiumPath() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("e2e: chromium is not on PATH: run make chromium")
}

type chromiumEngine struct{}

func startChromium() (engine, func(), error) {
	if _, err := chromiumPath(); err != nil {
		return nil, nil, err
	}
	// The browser itself starts with the first tab (sharedBrowser), which
	// tests outside the engine table open too; TestMain stops it.
	return chromiumEngine{}, func() {}, nil
}

func (chromiumEngine) newPage(t *testing.T) enginePage { return newTab(t) }

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

// stopBrowser ends the shared Chromium.
func stopBrowser() {
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dir != "" {
		os.RemoveAll(browser.dir)
	}
}

// ---------------------------------------------------------------------------
// The console, from CDP's events.

// chromiumConsole collects the console lines of the tab's targets.
type chromiumConsole struct {
	mu    sync.Mutex
	lines []consoleLine
}

func (c *chromiumConsole) listener(from string) func(ev any) {
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

// ---------------------------------------------------------------------------
// Tabs.

// tab is one Chromium tab in a fresh browser context: Chromium's enginePage.
type tab struct {
	t       *testing.T
	ctx     context.Context // the tab's top-level page
	appCtx  context.Context // the app's document: the iframe's target, or ctx when top-level
	inFrame bool            // the app is in the portal's #app-frame
	cons    chromiumConsole
	allowed allowList
	cancels []context.CancelFunc // the iframes' targets attached so far
}

// newTab opens a tab in a new browser context of the shared Chromium. When the
// test ends it fails the test on an unexpected exception or Go panic in the
// console, saves a screenshot if the test failed, and closes the tab.
func newTab(t *testing.T) *tab {
	t.Helper()
	return newTabWithin(t, tabTimeout)
}

// newTabWithin is newTab for a test that needs longer than tabTimeout (the soak).
func newTabWithin(t *testing.T, d time.Duration) *tab {
	t.Helper()
	parent := sharedBrowser(t)
	tctx, tcancel := context.WithTimeout(parent, d)
	tb := &tab{t: t}
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext(),
		chromedp.WithListener(tb.cons.listener("page")))
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		tcancel()
		t.Fatalf("e2e: open a tab: %v", err)
	}
	tb.ctx, tb.appCtx = ctx, ctx
	t.Cleanup(func() {
		if t.Failed() {
			tb.screenshotOnFailure()
		}
		pageCleanup(t, tb, &tb.allowed)
		for _, c := range tb.cancels {
			c()
		}
		cancel()
		tcancel()
	})
	return tb
}

func (tb *tab) allowConsole(pattern string) { tb.allowed.add(pattern) }

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

// openPortal opens the portal page and attaches to the app's iframe.
func (tb *tab) openPortal(p *devportal.Portal, query string) {
	tb.t.Helper()
	tb.navigate(portalPage(p, query))
	id := tb.appTarget(p.AppURL() + "/")
	fctx, cancel := chromedp.NewContext(tb.ctx, chromedp.WithTargetID(id),
		chromedp.WithListener(tb.cons.listener("app")))
	if err := chromedp.Do(fctx); err != nil {
		cancel()
		tb.t.Fatalf("e2e: attach to the app iframe: %v", err)
	}
	tb.cancels = append(tb.cancels, cancel)
	tb.appCtx, tb.inFrame = fctx, true
	// The target can be listed before its first document commits: observe
	// the app's document, not the initial about:blank.
	eventually(tb.t, waitTimeout, "the app's document in the iframe", func() bool {
		return strings.HasPrefix(evalWith[string](tb.t, tb.evalApp, `location.href`), p.AppURL()+"/")
	})
}

// openApp opens url (the app's own page) as the top-level document.
func (tb *tab) openApp(url string) {
	tb.t.Helper()
	tb.navigate(url)
	tb.appCtx, tb.inFrame = tb.ctx, false
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

// awaitJSON makes any expression's value (undefined too) a JSON value.
func awaitJSON(expr string) string {
	return `(async () => { const v = await (` + expr + `); return v === undefined ? null : v; })()`
}

func chromiumEval(ctx context.Context, expr string) (json.RawMessage, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](awaitJSON(expr), chromedp.EvalAwaitPromise))
}

func (tb *tab) evalApp(expr string) (json.RawMessage, error) { return chromiumEval(tb.appCtx, expr) }

func (tb *tab) evalPortal(expr string) (json.RawMessage, error) { return chromiumEval(tb.ctx, expr) }

// point returns sel's centre in the top-level page's viewport, scrolling it
// into view inside the app first.
func (tb *tab) point(sel string) (x, y float64) {
	tb.t.Helper()
	type rect struct{ X, Y, W, H float64 }
	r := evalWith[*rect](tb.t, tb.evalApp, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return null;
		e.scrollIntoView({block: "center", inline: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height};
	})()`, strconv.Quote(sel)))
	if r == nil {
		tb.t.Fatalf("e2e: no element %s in the app", sel)
	}
	if r.W == 0 || r.H == 0 {
		tb.t.Fatalf("e2e: %s has no size: a user cannot click it", sel)
	}
	x, y = r.X+r.W/2, r.Y+r.H/2
	if tb.inFrame {
		f := evalWith[*rect](tb.t, tb.evalPortal, `(() => {
			const f = document.getElementById("app-frame");
			if (!f) return null;
			f.scrollIntoView({block: "nearest"});
			const r = f.getBoundingClientRect();
			return {X: r.left + f.clientLeft, Y: r.top + f.clientTop, W: r.width, H: r.height};
		})()`)
		if f == nil {
			tb.t.Fatal("e2e: the portal page has no #app-frame")
		}
		x, y = x+f.X, y+f.Y
	}
	return x, y
}

// click clicks sel with the mouse, as a user would.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	x, y := tb.point(sel)
	if err := mouseAt(tb.ctx, x, y, 1, true); err != nil {
		tb.t.Fatalf("e2e: click %s: %v", sel, err)
	}
}

// doubleClick double-clicks sel in a's document: two clicks in a row
// (click, click, dblclick), one user action.
func (tb *tab) doubleClick(a *app, sel string) {
	a.t.Helper()
	a.startAction()
	x, y := tb.point(sel)
	if err := mouseAt(tb.ctx, x, y, 2, true); err != nil {
		a.t.Fatalf("e2e: double-click %s: %v", sel, err)
	}
}

// mouseAt sends presses and releases of the left button at x, y (a double
// click when clicks is 2), the mouse moved there first when move is set.
func mouseAt(ctx context.Context, x, y float64, clicks int, move bool) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if move {
			if _, err := cdp.Call(ctx, t, input.DispatchMouseEvent, input.DispatchMouseEventParams{
				Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y}); err != nil {
				return err
			}
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
	}))
}

// press presses key in the top-level page (the focus decides where it
// lands): a user's action in a's document.
func (tb *tab) press(a *app, key string) {
	a.t.Helper()
	a.startAction()
	require.NoError(a.t, chromedp.Do(tb.ctx, chromedp.KeyEvent(key)))
}

// reloadApp reloads the app's document, preload running first in the new
// document (CDP's script on new document: before any of the page's own,
// inline or not), and observes it.
func (tb *tab) reloadApp(a *app, preload string) {
	a.t.Helper()
	_, err := chromedp.Call(tb.appCtx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: reloadedJS + preload})
	require.NoError(a.t, err)
	a.reload()
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
