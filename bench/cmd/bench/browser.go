//go:build !js

package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

//go:embed observer.js
var observerJS string

// startBrowser starts headless Chromium with the e2e harness's flags (see
// e2e/harness_test.go): site isolation and web security stay on, so the app
// runs in its own renderer as an out-of-process iframe, as in production.
func startBrowser() (context.Context, func(), error) {
	path := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		return nil, nil, errors.New("chromium is not on PATH: run make chromium")
	}
	dir, err := os.MkdirTemp("", "pinall-bench-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(1440, 1200),
	}
	if f := os.Getenv("BENCH_JS_FLAGS"); f != "" {
		opts = append(opts, chromedp.Flag("js-flags", f)) // V8 experiments, e.g. --no-wasm-lazy-compilation
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("start chromium (%s): %w", path, err)
	}
	return bctx, func() { bcancel(); acancel(); os.RemoveAll(dir) }, nil
}

// tab is a top-level page in its own browser context (a fresh profile: empty
// HTTP cache, wasm code cache and connections).
//
// The app's iframe is cross-site, so it is a separate target. The tab
// auto-attaches to it paused (waitForDebuggerOnStart) in non-flat mode, so
// that the bench can add the observer before the app's document runs and then
// let it go; commands reach the iframe through Target.sendMessageToTarget and
// its messages come back as Target.receivedMessageFromTarget on the tab.
type tab struct {
	ctx    context.Context
	cancel func()

	mu      sync.Mutex
	frames  map[target.SessionID]*frameSession
	fresh   chan *frameSession
	reqs    map[network.RequestID]*reqInfo
	wire    map[network.RequestID]int64 // the status as it came over the wire (responseReceivedExtraInfo)
	appPref string                      // the app origin + "/": requests counted as the frame's
	profile bool                        // load records a CPU profile of the iframe up to ready
}

type reqInfo struct {
	url    string
	bytes  float64
	status int64 // 0 until the response arrives
	done   bool
}

func newTab(bctx context.Context) (*tab, error) {
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	tctx, tcancel := context.WithTimeout(ctx, 10*time.Minute)
	t := &tab{ctx: tctx, cancel: func() { tcancel(); cancel() },
		frames: map[target.SessionID]*frameSession{}, fresh: make(chan *frameSession, 8),
		reqs: map[network.RequestID]*reqInfo{}, wire: map[network.RequestID]int64{}}
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
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Target.setAutoAttach", map[string]any{
			"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": false}, nil)
	}))
	if err != nil {
		t.cancel()
		return nil, fmt.Errorf("setAutoAttach: %w", err)
	}
	// The dev portal's page polls /devportal/api/state every 700 ms and
	// renders the operator's sessions beside the app: 10,000 rows for the 10k
	// operator, which starves a 2-core machine and delays the page's frame
	// replies by seconds. The bench blocks that poll (the panel stays empty);
	// the frame protocol (/devportal/api/frame) and REST are untouched.
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Network.setBlockedURLs", map[string]any{
			"urls": []string{"*/devportal/api/state*"}}, nil)
	}))
	if err != nil {
		t.cancel()
		return nil, fmt.Errorf("block the portal's state poll: %w", err)
	}
	return t, nil
}

func (t *tab) close() { t.cancel() }

// onEvent runs on chromedp's reader goroutine: it must not block or call.
func (t *tab) onEvent(ev any) {
	switch ev := ev.(type) {
	case *target.EventAttachedToTarget:
		if ev.TargetInfo == nil || ev.TargetInfo.Type != "iframe" {
			return
		}
		f := &frameSession{tab: t, id: ev.SessionID, targetID: ev.TargetInfo.TargetID,
			pending: map[int64]chan rawReply{}}
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
		t.noteRequest(ev.RequestID, ev.Request.URL)
	case *network.EventResponseReceived:
		if ev.Response != nil {
			t.noteStatus(ev.RequestID, ev.Response.Status)
		}
	case *network.EventResponseReceivedExtraInfo:
		t.noteWire(ev.RequestID, ev.StatusCode)
	case *network.EventLoadingFinished:
		t.noteFinished(ev.RequestID, ev.EncodedDataLength)
	}
}

// noteWire keeps the status the server sent: a revalidated response shows
// as its cached 200 in responseReceived, as 304 only here. It may come
// before or after responseReceived.
func (t *tab) noteWire(id network.RequestID, status int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.wire[id] = status
}

func (t *tab) noteStatus(id network.RequestID, status int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if r := t.reqs[id]; r != nil {
		r.status = status
	}
}

func (t *tab) noteRequest(id network.RequestID, url string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.appPref == "" || !strings.HasPrefix(url, t.appPref) {
		return
	}
	if _, ok := t.reqs[id]; !ok {
		t.reqs[id] = &reqInfo{url: url}
	}
}

func (t *tab) noteFinished(id network.RequestID, n float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if r := t.reqs[id]; r != nil && !r.done {
		r.bytes, r.done = n, true
	}
}

// loadResult is one page load of the portal with the app in its iframe.
type loadResult struct {
	frame    *frameSession
	readyMs  float64            // ms from the iframe document's timeOrigin to data-state=ready
	profile  []profLine         // with tab.profile: the renderer's CPU profile up to ready
	marks    map[string]float64 // loader.js's start-up marks (ms from timeOrigin), "downloaded": the wasm's responseEnd
	bytes    float64            // encodedDataLength over the app origin's requests
	requests int
	// wasmBytes is encodedDataLength over the app origin's requests for a
	// .wasm file (pinall.wasm, pinall.wasm.gz, ...) answered other than 304:
	// the wasm downloaded; a revalidation (304) counts 0, and so does a copy
	// the page takes from Cache Storage (no request at all).
	wasmBytes float64
	wasmReqs  int // those requests, 304s included
}

// load navigates the tab to url (the portal page) and waits for the app's
// data-state=ready (or error), measured inside the iframe.
func (t *tab) load(url, appURL string) (*loadResult, error) {
	t.mu.Lock()
	t.reqs = map[network.RequestID]*reqInfo{}
	t.wire = map[network.RequestID]int64{}
	t.appPref = appURL + "/"
	t.mu.Unlock()
	for len(t.fresh) > 0 {
		<-t.fresh
	}
	if _, err := chromedp.Call(t.ctx, page.Navigate, page.NavigateParams{URL: url}); err != nil {
		return nil, fmt.Errorf("navigate %s: %w", url, err)
	}
	var f *frameSession
	select {
	case f = <-t.fresh:
	case <-time.After(15 * time.Second):
		return nil, errors.New("the app's iframe never attached (site isolation off?)")
	}
	// Before the app's document exists: the observer, network events, go.
	steps := []struct {
		method string
		params any
	}{
		{"Network.enable", map[string]any{}},
		{"Page.enable", map[string]any{}},
		{"Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": observerJS}},
	}
	for _, s := range steps {
		if _, err := f.call(s.method, s.params); err != nil {
			return nil, fmt.Errorf("iframe %s: %w", s.method, err)
		}
	}
	if t.profile {
		if err := f.startProfiler(); err != nil {
			return nil, err
		}
	}
	if _, err := f.call("Runtime.runIfWaitingForDebugger", map[string]any{}); err != nil {
		return nil, fmt.Errorf("iframe Runtime.runIfWaitingForDebugger: %w", err)
	}
	// The app's document may not be there yet: retry until the observer is.
	var w waitResult
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := f.evalInto(fmt.Sprintf(`location.href.startsWith(%q) && window.__bench
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
	// Let the last loadingFinished events arrive.
	res := &loadResult{frame: f, readyMs: w.T}
	defer func() {
		if verbose {
			log.Printf("start-up marks: %v, ready %.1f", res.marks, res.readyMs)
		}
	}()
	if t.profile {
		prof, err := f.stopProfiler()
		if err != nil {
			return nil, err
		}
		res.profile = prof
	}
	// Where start-up went: loader.js's marks and the wasm's resource timing.
	if err := f.evalInto(`(() => {
		const m = {};
		for (const e of performance.getEntriesByType("mark")) {
			if (e.name.startsWith("pinall:")) m[e.name.slice(7)] = e.startTime;
		}
		const r = performance.getEntriesByType("resource").find((e) => /\.wasm(\?|$)/.test(e.name));
		if (r) m.downloaded = r.responseEnd;
		return m;
	})()`, &res.marks); err != nil {
		return nil, fmt.Errorf("start-up marks: %w", err)
	}
	for i := 0; i < 100; i++ {
		all := true
		t.mu.Lock()
		res.bytes, res.requests, res.wasmBytes, res.wasmReqs = 0, len(t.reqs), 0, 0
		for id, r := range t.reqs {
			all = all && r.done
			res.bytes += r.bytes
			if isWasm(r.url) {
				res.wasmReqs++
				if r.status != 304 && t.wire[id] != 304 {
					res.wasmBytes += r.bytes
				}
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

// isWasm reports whether url names a wasm file, compressed or not.
func isWasm(url string) bool {
	path, _, _ := strings.Cut(url, "?")
	return strings.Contains(path[strings.LastIndex(path, "/")+1:], ".wasm")
}

// framePoint is the centre of sel in the top-level page's coordinates.
func (t *tab) framePoint(f *frameSession, sel string) (x, y float64, err error) {
	type rect struct{ X, Y, W, H float64 }
	var r rect
	if err := f.evalInto(fmt.Sprintf(`(() => { const e = document.querySelector(%q);
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

// click presses and releases the left button at (x, y) of the top page, as a
// user would; the browser hit-tests it into the iframe.
func (t *tab) click(x, y float64) error {
	return chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, ev := range []input.DispatchMouseEventParams{
			{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y},
			{Type: input.DispatchMouseEventTypeMousePressed, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1},
			{Type: input.DispatchMouseEventTypeMouseReleased, X: x, Y: y, Button: input.MouseButtonLeft, ClickCount: 1},
		} {
			if err := tg.Call(ctx, input.DispatchMouseEvent.Method, ev, nil); err != nil {
				return err
			}
		}
		return nil
	}))
}

// frameSession is the non-flat CDP session of the app's iframe target.
type frameSession struct {
	tab      *tab
	id       target.SessionID
	targetID target.ID

	mu      sync.Mutex
	next    int64
	pending map[int64]chan rawReply
}

type rawReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int64  `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (f *frameSession) onMessage(msg string) {
	var m struct {
		ID     int64           `json:"id"`
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
		rawReply
	}
	if json.Unmarshal([]byte(msg), &m) != nil {
		return
	}
	if m.ID != 0 {
		f.mu.Lock()
		ch := f.pending[m.ID]
		delete(f.pending, m.ID)
		f.mu.Unlock()
		if ch != nil {
			ch <- m.rawReply
		}
		return
	}
	switch m.Method {
	case "Network.requestWillBeSent":
		var p struct {
			RequestID network.RequestID    `json:"requestId"`
			Request   struct{ URL string } `json:"request"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			f.tab.noteRequest(p.RequestID, p.Request.URL)
		}
	case "Network.responseReceived":
		var p struct {
			RequestID network.RequestID `json:"requestId"`
			Response  struct {
				Status int64 `json:"status"`
			} `json:"response"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			f.tab.noteStatus(p.RequestID, p.Response.Status)
		}
	case "Network.responseReceivedExtraInfo":
		var p struct {
			RequestID  network.RequestID `json:"requestId"`
			StatusCode int64             `json:"statusCode"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			f.tab.noteWire(p.RequestID, p.StatusCode)
		}
	case "Network.loadingFinished":
		var p struct {
			RequestID         network.RequestID `json:"requestId"`
			EncodedDataLength float64           `json:"encodedDataLength"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			f.tab.noteFinished(p.RequestID, p.EncodedDataLength)
		}
	}
}

// call sends one command to the iframe and waits for its reply.
func (f *frameSession) call(method string, params any) (json.RawMessage, error) {
	f.mu.Lock()
	f.next++
	id := f.next
	ch := make(chan rawReply, 1)
	f.pending[id] = ch
	f.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	err = chromedp.Do(f.tab.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Target.sendMessageToTarget", map[string]any{
			"message": string(msg), "sessionId": f.id}, nil)
	}))
	if err != nil {
		return nil, err
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			return nil, fmt.Errorf("%s: %s (%d)", method, r.Error.Message, r.Error.Code)
		}
		return r.Result, nil
	case <-time.After(5 * time.Minute):
		return nil, fmt.Errorf("%s: no reply", method)
	case <-f.tab.ctx.Done():
		return nil, f.tab.ctx.Err()
	}
}

// evalInto evaluates expr in the app's document (promises awaited) and
// decodes its value into v.
func (f *frameSession) evalInto(expr string, v any) error {
	raw, err := f.call("Runtime.evaluate", map[string]any{
		"expression": expr, "awaitPromise": true, "returnByValue": true})
	if err != nil {
		return err
	}
	var r struct {
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception *struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return err
	}
	if d := r.ExceptionDetails; d != nil {
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		return errors.New("js: " + msg)
	}
	if len(r.Result.Value) == 0 || string(r.Result.Value) == "null" {
		return errors.New("js: no value")
	}
	return json.Unmarshal(r.Result.Value, v)
}

// waitResult is what __bench.wait resolves with.
type waitResult struct {
	State string  `json:"state"`
	T     float64 `json:"t"`
	Click float64 `json:"click"`
	// Wall is Date.now() at the record (ms since the epoch): the wall clock
	// the portal logs requests with (timeOrigin + T drifts from it).
	Wall float64 `json:"wall"`
}

// seq is the observer's state counter now.
func (f *frameSession) seq() (int64, error) {
	var n int64
	err := f.evalInto(`__bench.seq`, &n)
	return n, err
}

// waitState waits for one of states recorded after seq from.
func (f *frameSession) waitState(from int64, states ...string) (waitResult, error) {
	b, _ := json.Marshal(states)
	var w waitResult
	err := f.evalInto(fmt.Sprintf(`__bench.wait(%s, %d)`, b, from), &w)
	return w, err
}

// memory returns the JS heap in use (after a full GC) and the total
// byteLength of every WebAssembly.Memory in the iframe's renderer, found with
// Runtime.queryObjects: no hook in loader.js is needed.
func (f *frameSession) memory() (heap, wasm float64, err error) {
	if _, err := f.call("HeapProfiler.collectGarbage", map[string]any{}); err != nil {
		return 0, 0, err
	}
	raw, err := f.call("Runtime.getHeapUsage", map[string]any{})
	if err != nil {
		return 0, 0, err
	}
	var hu struct {
		UsedSize float64 `json:"usedSize"`
	}
	if err := json.Unmarshal(raw, &hu); err != nil {
		return 0, 0, err
	}
	raw, err = f.call("Runtime.evaluate", map[string]any{
		"expression": "WebAssembly.Memory.prototype", "objectGroup": "bench"})
	if err != nil {
		return 0, 0, err
	}
	var proto struct {
		Result struct {
			ObjectID string `json:"objectId"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &proto); err != nil {
		return 0, 0, err
	}
	defer f.call("Runtime.releaseObjectGroup", map[string]any{"objectGroup": "bench"})
	raw, err = f.call("Runtime.queryObjects", map[string]any{
		"prototypeObjectId": proto.Result.ObjectID, "objectGroup": "bench"})
	if err != nil {
		return 0, 0, err
	}
	var objs struct {
		Objects struct {
			ObjectID string `json:"objectId"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(raw, &objs); err != nil {
		return 0, 0, err
	}
	raw, err = f.call("Runtime.callFunctionOn", map[string]any{
		"objectId":            objs.Objects.ObjectID,
		"functionDeclaration": "function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }",
		"returnByValue":       true})
	if err != nil {
		return 0, 0, err
	}
	var sum struct {
		Result struct {
			Value float64 `json:"value"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		return 0, 0, err
	}
	return hu.UsedSize, sum.Result.Value, nil
}
