//go:build !js

package browser

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

//go:embed observer.js
var observerJS string

// Tab is a top-level page in its own browser context (a fresh profile: empty
// HTTP cache, code cache, Cache Storage and connections).
//
// The app's iframe is cross-site, so it is a target of its own. The tab
// auto-attaches to it paused (waitForDebuggerOnStart) in non-flat mode, so
// the bench adds the observer before the app's document runs and then lets
// it go.
type Tab struct {
	ctx    context.Context
	cancel func()

	// Profile makes Load record a CPU profile of the iframe up to ready.
	Profile bool

	mu      sync.Mutex
	frames  map[target.SessionID]*Frame
	fresh   chan *Frame
	reqs    map[network.RequestID]*request
	appPref string // the app origin + "/": requests counted as the frame's
}

// request is one request to the app's origin during a load.
type request struct {
	url   string
	bytes float64
	wire  int64 // the status as it came over the wire (responseReceivedExtraInfo)
	done  bool
}

// NewTab opens a tab in a new browser context.
func (b *Browser) NewTab() (*Tab, error) {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tctx, tcancel := context.WithTimeout(ctx, 10*time.Minute)
	t := &Tab{ctx: tctx, cancel: func() { tcancel(); cancel() },
		frames: map[target.SessionID]*Frame{}, fresh: make(chan *Frame, 8),
		reqs: map[network.RequestID]*request{}}
	if err := chromedp.Do(ctx); err != nil {
		t.cancel()
		return nil, err
	}
	if err := chromedp.Listen(ctx, t.onEvent); err != nil {
		t.cancel()
		return nil, err
	}
	// chromedp set flat auto-attach on the page; switch it to non-flat with
	// the pause, so the bench can talk to the (unrouted) iframe session.
	no := false
	if _, err := chromedp.Call(ctx, target.SetAutoAttach, target.SetAutoAttachParams{
		AutoAttach: true, WaitForDebuggerOnStart: true, Flatten: &no}); err != nil {
		t.cancel()
		return nil, fmt.Errorf("setAutoAttach: %w", err)
	}
	// The dev portal's page polls /devportal/api/state every 700 ms and
	// renders the operator's sessions beside the app: 10,000 rows for the 10k
	// operator, which starves a 2-core machine and delays the page's frame
	// replies by seconds. The bench blocks that poll (the panel stays empty);
	// the frame protocol (/devportal/api/frame) and REST are untouched.
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, network.CommandSetBlockedURLs, map[string]any{
			"urls": []string{"*/devportal/api/state*"}}, nil)
	}))
	if err != nil {
		t.cancel()
		return nil, fmt.Errorf("block the portal's state poll: %w", err)
	}
	return t, nil
}

// Close closes the tab and its browser context.
func (t *Tab) Close() { t.cancel() }

// onEvent takes the tab's events and the iframe's (Frame.onMessage). It runs
// on chromedp's reader goroutine: it must not block or call.
func (t *Tab) onEvent(ev any) {
	switch ev := ev.(type) {
	case *target.EventAttachedToTarget:
		if ev.TargetInfo == nil || ev.TargetInfo.Type != "iframe" {
			return
		}
		f := &Frame{tab: t, id: ev.SessionID, pending: map[int64]chan *cdproto.Message{}}
		t.mu.Lock()
		t.frames[ev.SessionID] = f
		t.mu.Unlock()
		select {
		case t.fresh <- f:
		default:
		}
	case *target.EventDetachedFromTarget:
		t.mu.Lock()
		delete(t.frames, ev.SessionID)
		t.mu.Unlock()
	case *target.EventReceivedMessageFromTarget:
		t.mu.Lock()
		f := t.frames[ev.SessionID]
		t.mu.Unlock()
		if f != nil {
			f.onMessage(ev.Message)
		}
	case *network.EventRequestWillBeSent:
		t.mu.Lock()
		if t.appPref != "" && strings.HasPrefix(ev.Request.URL, t.appPref) && t.reqs[ev.RequestID] == nil {
			t.reqs[ev.RequestID] = &request{url: ev.Request.URL}
		}
		t.mu.Unlock()
	case *network.EventResponseReceivedExtraInfo:
		// A revalidated response shows as its cached 200 in
		// responseReceived, as 304 only here; it may come before or after.
		t.mu.Lock()
		if r := t.reqs[ev.RequestID]; r != nil {
			r.wire = ev.StatusCode
		}
		t.mu.Unlock()
	case *network.EventLoadingFinished:
		t.mu.Lock()
		if r := t.reqs[ev.RequestID]; r != nil && !r.done {
			r.bytes, r.done = ev.EncodedDataLength, true
		}
		t.mu.Unlock()
	}
}

// Load is one page load of the portal with the app in its iframe.
type Load struct {
	Frame   *Frame
	ReadyMs float64            // ms from the iframe document's timeOrigin to data-state=ready
	Profile []ProfLine         // with Tab.Profile: the renderer's CPU profile up to ready
	Marks   map[string]float64 // loader.js's start-up marks (ms from timeOrigin); "downloaded": the wasm's responseEnd
	// Bytes is encodedDataLength over the app origin's requests (headers
	// and bodies as they crossed the wire), Requests their count.
	Bytes    float64
	Requests int
	// HostRequests are those of Requests the app's host answered: a
	// response came over the network (responseReceivedExtraInfo, a 304
	// included); a copy the browser took from its HTTP cache without asking
	// the host, or from Cache Storage, is not one.
	HostRequests int
	// Wasm is over the requests for a .wasm file (pinall.wasm,
	// pinall.wasm.gz, ...), Words over those for a words file
	// (words-de.json, ...): what of each was downloaded; a copy the page
	// takes from Cache Storage makes no request.
	Wasm, Words Transfer
	// Storage is what the frame's Cache Storage said: "allowed", or
	// "refused (SecurityError)" with the name of the error it threw.
	Storage string
}

// WaitStored waits, up to timeout, until loader.js has stored the wasm it
// downloaded: it does so only after ready, and an open that came sooner
// would find nothing stored, which no user reopening a page would meet.
// A load that downloaded no wasm (no "response" mark) or may not use
// storage has nothing to wait for.
func (l *Load) WaitStored(timeout time.Duration) error {
	if _, fetched := l.Marks["response"]; !fetched || l.Storage != "allowed" {
		return nil
	}
	for deadline := time.Now().Add(timeout); ; time.Sleep(10 * time.Millisecond) {
		var stored bool
		if err := l.Frame.Eval(`performance.getEntriesByName("pinall:stored").length > 0`, &stored); err != nil {
			return err
		}
		if stored {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("the loader stored no wasm within " + timeout.String())
		}
	}
}

// Transfer is what the requests for one kind of file cost.
type Transfer struct {
	Bytes float64 // of the requests answered other than 304 on the wire
	Reqs  int     // the requests, 304s included
}

// add counts one finished request.
func (x *Transfer) add(r *request) {
	x.Reqs++
	if r.wire != 304 {
		x.Bytes += r.bytes
	}
}

// Load navigates the tab to url (the portal page) and waits for the app's
// data-state=ready, measured inside the iframe; appURL is the app's origin.
func (t *Tab) Load(url, appURL string) (*Load, error) {
	t.mu.Lock()
	t.reqs = map[network.RequestID]*request{}
	t.appPref = appURL + "/"
	t.mu.Unlock()
	for len(t.fresh) > 0 {
		<-t.fresh
	}
	if _, err := chromedp.Call(t.ctx, page.Navigate, page.NavigateParams{URL: url}); err != nil {
		return nil, fmt.Errorf("navigate %s: %w", url, err)
	}
	var f *Frame
	select {
	case f = <-t.fresh:
	case <-time.After(15 * time.Second):
		return nil, errors.New("the app's iframe never attached (site isolation off?)")
	}
	// Before the app's document exists: network events, the observer, go.
	if _, err := cdp.Call(t.ctx, f, network.Enable, network.EnableParams{}); err != nil {
		return nil, fmt.Errorf("iframe Network.enable: %w", err)
	}
	if _, err := cdp.Call(t.ctx, f, page.Enable, page.EnableParams{}); err != nil {
		return nil, fmt.Errorf("iframe Page.enable: %w", err)
	}
	if _, err := cdp.Call(t.ctx, f, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: observerJS}); err != nil {
		return nil, fmt.Errorf("iframe observer: %w", err)
	}
	if t.Profile {
		if err := f.StartProfiler(); err != nil {
			return nil, err
		}
	}
	if _, err := cdp.Call(t.ctx, f, runtime.RunIfWaitingForDebugger, cdp.Empty{}); err != nil {
		return nil, fmt.Errorf("iframe Runtime.runIfWaitingForDebugger: %w", err)
	}
	// The app's document may not be there yet: retry until the observer is.
	var w Wait
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := f.Eval(fmt.Sprintf(`location.href.startsWith(%q) && window.__bench
			? __bench.wait(["ready", "error"], 0) : null`, appURL+"/"), &w)
		if err == nil && w.State != "" {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the app never reached ready: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if w.State != "ready" {
		return nil, fmt.Errorf("the app reached %q, not ready", w.State)
	}
	res := &Load{Frame: f, ReadyMs: w.T}
	if t.Profile {
		prof, err := f.StopProfiler()
		if err != nil {
			return nil, err
		}
		res.Profile = prof
	}
	// Where start-up went: loader.js's marks and the wasm's resource timing;
	// and whether the frame may use Cache Storage.
	var info struct {
		Marks   map[string]float64 `json:"marks"`
		Storage string             `json:"storage"`
	}
	if err := f.Eval(`(async () => {
		const marks = {};
		for (const e of performance.getEntriesByType("mark")) {
			if (e.name.startsWith("pinall:")) marks[e.name.slice(7)] = e.startTime;
		}
		const r = performance.getEntriesByType("resource").find((e) => /\.wasm(\?|$)/.test(e.name));
		if (r) marks.downloaded = r.responseEnd;
		let storage = "allowed";
		try { await caches.keys(); } catch (e) { storage = "refused (" + e.name + ")"; }
		return { marks, storage };
	})()`, &info); err != nil {
		return nil, fmt.Errorf("start-up marks: %w", err)
	}
	res.Marks, res.Storage = info.Marks, info.Storage
	// Let the last loadingFinished events arrive.
	for range 100 {
		all := true
		t.mu.Lock()
		res.Bytes, res.Requests, res.HostRequests, res.Wasm, res.Words = 0, len(t.reqs), 0, Transfer{}, Transfer{}
		for _, r := range t.reqs {
			all = all && r.done
			if r.wire != 0 {
				res.HostRequests++
			}
			res.Bytes += r.bytes
			switch fileKind(r.url) {
			case wasmFile:
				res.Wasm.add(r)
			case wordsFile:
				res.Words.add(r)
			}
		}
		t.mu.Unlock()
		if all {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return res, nil
}

// The kinds of file a load's bytes are split by.
const (
	otherFile = iota
	wasmFile  // a wasm program, compressed or not: pinall.wasm, pinall.wasm.gz
	wordsFile // a language's words: words-de.json
)

// fileKind tells what url's file is by its name.
func fileKind(url string) int {
	path, _, _ := strings.Cut(url, "?")
	name := path[strings.LastIndex(path, "/")+1:]
	switch {
	case strings.Contains(name, ".wasm"):
		return wasmFile
	case strings.HasPrefix(name, "words-") && strings.HasSuffix(name, ".json"):
		return wordsFile
	}
	return otherFile
}

// Point is the centre of sel (in the frame f) in the top-level page's
// coordinates.
func (t *Tab) Point(f *Frame, sel string) (x, y float64, err error) {
	type rect struct{ X, Y, W, H float64 }
	var r rect
	if err := f.Eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q);
		e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height}; })()`, sel), &r); err != nil {
		return 0, 0, err
	}
	fr, err := chromedp.Run(t.ctx, chromedp.Evaluate[rect](`(() => {
		const f = document.getElementById("app-frame"); f.scrollIntoView({block: "nearest"});
		const r = f.getBoundingClientRect();
		return {X: r.left + f.clientLeft, Y: r.top + f.clientTop, W: r.width, H: r.height}; })()`))
	if err != nil {
		return 0, 0, err
	}
	return fr.X + r.X + r.W/2, fr.Y + r.Y + r.H/2, nil
}

// Click presses and releases the left button at (x, y) of the top page, as
// a user would; the browser hit-tests it into the iframe.
func (t *Tab) Click(x, y float64) error {
	for _, ev := range []input.DispatchMouseEventParams{
		{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y},
		{Type: input.DispatchMouseEventTypeMousePressed, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1},
		{Type: input.DispatchMouseEventTypeMouseReleased, X: x, Y: y, Button: input.MouseButtonLeft, ClickCount: 1},
	} {
		if _, err := chromedp.Call(t.ctx, input.DispatchMouseEvent, ev); err != nil {
			return err
		}
	}
	return nil
}
