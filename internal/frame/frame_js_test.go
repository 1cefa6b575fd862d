//go:build js && wasm

package frame

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/minijson"
)

const (
	testName   = "portal.example:8443|1|SID42"
	testOrigin = "https://portal.example:8443"
)

func eval(t *testing.T, body string, args ...any) safejs.Value {
	t.Helper()
	ctor, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	fn, err := ctor.New("a", "b", "c", "d", body)
	if err != nil {
		t.Fatalf("compile %q: %v", body, err)
	}
	v, err := fn.Invoke(args...)
	if err != nil {
		t.Fatalf("run %q: %v", body, err)
	}
	return v
}

// sent is one message the widget posted to its parent.
type sent struct {
	msg, target string
	cmd, params string
	cb, sid     string
}

// fakeParent stands in for the portal: the test page is not an iframe, so
// window.parent === window and replacing window.postMessage intercepts what
// the widget sends. Replies are dispatched later as MessageEvents, as a real
// postMessage would deliver them.
type fakeParent struct {
	t      *testing.T
	mu     sync.Mutex
	sent   []sent
	answer func(s sent) (reply string, ok bool)
	fn     safejs.Func
}

func newFakeParent(t *testing.T, answer func(s sent) (string, bool)) *fakeParent {
	p := &fakeParent{t: t, answer: answer}
	var err error
	p.fn, err = jsutil.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		msg, _ := args[0].String()
		target, _ := args[1].String()
		f := strings.Split(msg, ":")
		s := sent{msg: msg, target: target}
		if len(f) >= 4 { // the parent's split: first, middle rejoined, last two
			s.cmd, s.params, s.cb, s.sid = f[0], strings.Join(f[1:len(f)-2], ":"), f[len(f)-2], f[len(f)-1]
		}
		p.mu.Lock()
		p.sent = append(p.sent, s)
		p.mu.Unlock()
		if reply, ok := p.answer(s); ok {
			p.deliverLater(reply, testOrigin, true)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w := safejs.Global()
	orig, _ := w.Get("postMessage")
	origName, _ := w.Get("name")
	if err := w.Set("postMessage", p.fn); err != nil {
		t.Fatal(err)
	}
	if err := w.Set("name", testName); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = w.Set("postMessage", orig)
		_ = w.Set("name", origName)
		p.fn.Release()
	})
	return p
}

// deliverLater dispatches a message event on window after a tick; data is
// any JS value, source is window (the parent here) when fromParent.
func (p *fakeParent) deliverLater(data any, origin string, fromParent bool) {
	var src any = safejs.Null()
	if fromParent {
		src = safejs.Global()
	}
	eval(p.t, `setTimeout(() => window.dispatchEvent(new MessageEvent("message", {data: a, origin: b, source: c})), 0)`,
		data, origin, src)
}

// deliverNow dispatches a message event from the parent at once: the
// listener has run when it returns.
func (p *fakeParent) deliverNow(data any) {
	eval(p.t, `window.dispatchEvent(new MessageEvent("message", {data: a, origin: b, source: window}))`, data, testOrigin)
}

func (p *fakeParent) messages() []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sent(nil), p.sent...)
}

const initReply = `{"LANG":"ru","DOMAIN":"portal.example:8443","PROTOCOL":1,"PATH":"/rest","AUTH_ID":"tok-1","AUTH_EXPIRES":"3600","REFRESH_ID":"ref-1","MEMBER_ID":"m","IS_ADMIN":"Y","PLACEMENT":"default","PLACEMENT_OPTIONS":""}`

// portal answers like a well-behaved Bitrix24 page.
func portal(s sent) (string, bool) {
	switch s.cmd {
	case "getInitData":
		return s.cb + ":" + initReply, true
	case "refreshAuth":
		return s.cb + `:{"AUTH_ID":"tok-2","AUTH_EXPIRES":3600,"REFRESH_ID":"ref-2"}`, true
	case "resizeWindow":
		return s.cb + ":" + s.params, true
	case "setTitle":
		return s.cb + ":" + s.params, true
	case "ping":
		return s.cb + ":", true
	}
	return "", false
}

func silent(sent) (string, bool) { return "", false }

func openTest(t *testing.T, opts ...Option) *Frame {
	t.Helper()
	f, err := Open(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.close() })
	return f
}

func TestOpenOutsideBitrix24FailsAtOnce(t *testing.T) {
	newFakeParent(t, portal)
	for _, name := range []string{"", "portal.example|1", "just-a-name", "evil.com/x|1|s"} {
		safejs.Global().Set("name", name)
		start := time.Now()
		_, err := Open(context.Background())
		if !errors.Is(err, ErrNotInBitrix24) {
			t.Errorf("%q: got %v", name, err)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("%q: took %v", name, d)
		}
	}
}

func TestHandshakeAndInitData(t *testing.T) {
	p := newFakeParent(t, portal)
	f := openTest(t)
	d, err := f.InitData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.Lang != "ru" || d.AuthID.reveal() != "tok-1" || !d.IsAdmin || d.Placement != "DEFAULT" ||
		d.Domain != "portal.example:8443" || d.Protocol != 1 || d.Path != "/rest" || d.AuthExpires != time.Hour {
		t.Fatalf("got %v", d)
	}
	msgs := p.messages()
	if len(msgs) != 1 {
		t.Fatalf("sent %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.target != testOrigin || m.cmd != "getInitData" || m.params != "" || m.sid != "SID42" || len(m.cb) != 20 {
		t.Fatalf("sent %+v", m)
	}
	// Cached: no second message.
	if _, err := f.InitData(context.Background()); err != nil || len(p.messages()) != 1 {
		t.Fatalf("second InitData: %v, %d messages", err, len(p.messages()))
	}
}

func TestTokenAndRefresh(t *testing.T) {
	p := newFakeParent(t, portal)
	f := openTest(t)
	var src b24.TokenSource = f
	tok, err := src.Token(context.Background())
	if err != nil || tok.AccessToken != "tok-1" {
		t.Fatalf("Token: %q, %v", tok.AccessToken, err)
	}
	fresh, err := src.Refresh(context.Background(), tok)
	if err != nil || fresh.AccessToken != "tok-2" {
		t.Fatalf("Refresh: %q, %v", fresh.AccessToken, err)
	}
	last := p.messages()[len(p.messages())-1]
	if last.cmd != "refreshAuth" || last.params != "{}" || last.target != testOrigin {
		t.Fatalf("sent %+v", last)
	}
	if a := f.Auth(); a.RefreshID.reveal() != "ref-2" {
		t.Fatalf("refresh id not updated")
	}
	if tok, _ := src.Token(context.Background()); tok.AccessToken != "tok-2" {
		t.Fatalf("Token after refresh: %q", tok.AccessToken)
	}
	if d, _ := f.InitData(context.Background()); d.AuthID.reveal() != "tok-2" {
		t.Fatal("InitData keeps the old token")
	}
}

func TestInitTimeoutMeansNotInBitrix24(t *testing.T) {
	newFakeParent(t, silent)
	f := openTest(t, withInitTimeout(30*time.Millisecond))
	start := time.Now()
	_, err := f.InitData(context.Background())
	if !errors.Is(err, ErrNotInBitrix24) || !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "no answer from the portal") {
		t.Errorf("message %q", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	if _, err := f.Token(context.Background()); !errors.Is(err, ErrNotInBitrix24) {
		t.Fatalf("Token: %v", err)
	}
}

func TestRefreshTimeoutAndLateReplyDropped(t *testing.T) {
	var lateCB string
	var mu sync.Mutex
	p := newFakeParent(t, func(s sent) (string, bool) {
		if s.cmd == "refreshAuth" {
			mu.Lock()
			lateCB = s.cb
			mu.Unlock()
			return "", false
		}
		return portal(s)
	})
	f := openTest(t, withRefreshTimeout(30*time.Millisecond))
	tok, err := f.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Refresh(context.Background(), tok)
	var na *NoAnswerError
	if !errors.As(err, &na) || na.Command != "refreshAuth" || errors.Is(err, ErrNotInBitrix24) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "tok-1") || strings.Contains(err.Error(), "ref-1") {
		t.Fatalf("token in error: %v", err)
	}
	// The portal answers after we gave up: dropped, the token is unchanged.
	mu.Lock()
	cb := lateCB
	mu.Unlock()
	p.deliverNow(cb + `:{"AUTH_ID":"late","REFRESH_ID":"x"}`)
	if a := f.Auth(); a.AuthID.reveal() != "tok-1" {
		t.Fatal("a late reply changed the token")
	}
}

func TestHostileMessagesAreIgnored(t *testing.T) {
	var p *fakeParent
	iframeWin := eval(t, `const f = document.createElement("iframe"); document.body.appendChild(f); return f.contentWindow`)
	defer eval(t, `a.frameElement && a.frameElement.remove()`, iframeWin)
	p = newFakeParent(t, func(s sent) (string, bool) {
		if s.cmd != "getInitData" {
			return portal(s)
		}
		evil := s.cb + `:{"AUTH_ID":"evil","DOMAIN":"evil.example"}`
		p.deliverLater(evil, "https://evil.example", true)       // another origin
		p.deliverLater(evil, "https://portal.example", true)     // right host, wrong port
		p.deliverLater(evil, "http://portal.example:8443", true) // wrong scheme
		p.deliverLater(evil, testOrigin, false)                  // no source
		eval(t, `setTimeout(() => window.dispatchEvent(new MessageEvent("message", {data: a, origin: b, source: c})), 0)`,
			evil, testOrigin, iframeWin) // another window of the right origin
		p.deliverLater(eval(t, `return {cb: a}`, s.cb), testOrigin, true) // not a string
		p.deliverLater(s.cb+`:{"AUTH_ID":`, testOrigin, true)             // malformed JSON
		p.deliverLater("no colon at all", testOrigin, true)               // malformed
		p.deliverLater(`othercb:{"AUTH_ID":"evil"}`, testOrigin, true)    // unknown callback
		return portal(s)                                                  // finally the real reply
	})
	f := openTest(t)
	d, err := f.InitData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.AuthID.reveal() != "tok-1" || d.Domain != "portal.example:8443" {
		t.Fatalf("hostile data got through: %v", d)
	}
	// Each hostile reply carries the call's own callback id and arrives
	// before the real one: had any got through, InitData would hold it.
}

func TestNeverPostsToStar(t *testing.T) {
	p := newFakeParent(t, portal)
	f := openTest(t)
	ctx := context.Background()
	if _, err := f.InitData(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.resize(ctx, fullWidth, 300); err != nil {
		t.Fatal(err)
	}
	if err := f.resize(ctx, 640, 480); err != nil {
		t.Fatal(err)
	}
	if err := f.SetTitle(ctx, `Pin: "all" </b>`); err != nil {
		t.Fatal(err)
	}
	if err := f.OpenMessenger("chat123"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetInstallFinish(); err != nil {
		t.Fatal(err)
	}
	v, err := f.call(ctx, "ping", minijson.Value{}, f.cfg.callTimeout)
	if err != nil || v.Exists() {
		t.Fatalf("Call ping: %v %v", v.Kind(), err)
	}
	msgs := p.messages()
	want := []string{
		"getInitData",
		`resizeWindow:{"width":"100%","height":300}:`,
		`resizeWindow:{"width":640,"height":480}:`,
		`setTitle:{"title":"Pin: \"all\" \u003c/b\u003e"}:`,
		`imOpenMessenger:{"dialogId":"chat123"}::SID42`,
		`setInstallFinish:{}::SID42`,
		"ping::",
	}
	if len(msgs) != len(want) {
		t.Fatalf("sent %d messages: %+v", len(msgs), msgs)
	}
	for i, m := range msgs {
		if m.target != testOrigin {
			t.Errorf("message %d posted to %q", i, m.target)
		}
		if !strings.HasPrefix(m.msg, want[i]) || m.sid != "SID42" {
			t.Errorf("message %d: %q, want prefix %q", i, m.msg, want[i])
		}
	}
}

func TestRejectsBadInput(t *testing.T) {
	newFakeParent(t, portal)
	f := openTest(t)
	if err := f.resize(context.Background(), -5, 1); err == nil {
		t.Error("negative width: want an error")
	}
	if err := f.OpenMessenger(""); err == nil {
		t.Error("empty dialog: want an error")
	}
}

func TestCallContextCancel(t *testing.T) {
	newFakeParent(t, silent)
	f := openTest(t)
	pending := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.pending)
	}
	before := pending() // Open's getInitData, unanswered
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := f.call(ctx, "getInterface", minijson.Value{}, f.cfg.callTimeout); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if n := pending(); n != before {
		t.Fatalf("%d pending callbacks left, %d before the call", n, before)
	}
}

// Open asks for the init data before anyone wants it: the question is out
// when Open returns, so the answer travels while the page gets ready.
func TestOpenAsksForTheInitDataAtOnce(t *testing.T) {
	p := newFakeParent(t, portal)
	f := openTest(t)
	msgs := p.messages()
	if len(msgs) != 1 || msgs[0].cmd != "getInitData" || msgs[0].target != testOrigin || msgs[0].sid != "SID42" {
		t.Fatalf("sent by Open: %+v", msgs)
	}
	d, err := f.InitData(context.Background())
	if err != nil || d.AuthID.reveal() != "tok-1" {
		t.Fatalf("InitData: %v, %v", d, err)
	}
	if n := len(p.messages()); n != 1 {
		t.Fatalf("sent %d messages, want Open's one", n)
	}
}

// A getInitData that failed is not asked again: every later caller gets the
// failure at once, without a second wait for a portal that did not answer.
func TestInitDataKeepsItsFailure(t *testing.T) {
	p := newFakeParent(t, silent)
	f := openTest(t, withInitTimeout(30*time.Millisecond))
	if _, err := f.InitData(context.Background()); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("first: %v", err)
	}
	for range 3 {
		if _, err := f.InitData(context.Background()); !errors.Is(err, ErrNotInBitrix24) {
			t.Fatalf("again: %v", err)
		}
	}
	if _, err := f.Token(context.Background()); !errors.Is(err, ErrNotInBitrix24) {
		t.Fatalf("Token: %v", err)
	}
	if n := len(p.messages()); n != 1 {
		t.Fatalf("sent %d getInitData, want 1: asked again, each would wait its timeout", n)
	}
}

// A caller that stops waiting for the init data ends only its own wait:
// the answer still comes, once, to whoever asks next.
func TestInitDataOutlivesACallerThatGaveUp(t *testing.T) {
	var mu sync.Mutex
	var cb string
	p := newFakeParent(t, func(s sent) (string, bool) {
		if s.cmd == "getInitData" {
			mu.Lock()
			cb = s.cb
			mu.Unlock()
			return "", false // answered below, after the first caller gave up
		}
		return portal(s)
	})
	f := openTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := f.InitData(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("gave up: %v", err)
	}
	mu.Lock()
	reply := cb + ":" + initReply
	mu.Unlock()
	p.deliverLater(reply, testOrigin, true)
	d, err := f.InitData(context.Background())
	if err != nil || d.AuthID.reveal() != "tok-1" {
		t.Fatalf("after: %v, %v", d, err)
	}
	if n := len(p.messages()); n != 1 {
		t.Fatalf("sent %d messages, want Open's one", n)
	}
}

func TestCloseReleasesAndFailsWaiters(t *testing.T) {
	// posted fires when the call has registered its callback and sent its
	// message: from then on only Close can end it before its timeout.
	posted := make(chan struct{}, 1)
	newFakeParent(t, func(s sent) (string, bool) {
		if s.cmd == "getInterface" {
			posted <- struct{}{}
		}
		return "", false
	})
	// The frame's message listener, as added and as removed: Close must
	// take off the very function Open put on.
	eval(t, `const add = window.addEventListener, remove = window.removeEventListener;
		window.pinallListeners = {added: [], removed: []};
		window.addEventListener = function (type, fn, ...rest) {
			if (type === "message") window.pinallListeners.added.push(fn);
			return add.call(this, type, fn, ...rest);
		};
		window.removeEventListener = function (type, fn, ...rest) {
			if (type === "message") window.pinallListeners.removed.push(fn);
			return remove.call(this, type, fn, ...rest);
		};
		return null`)
	t.Cleanup(func() {
		eval(t, `window.addEventListener = EventTarget.prototype.addEventListener;
			window.removeEventListener = EventTarget.prototype.removeEventListener;
			delete window.pinallListeners; return null`)
	})
	f := openTest(t)
	errc := make(chan error, 1)
	go func() {
		_, err := f.call(context.Background(), "getInterface", minijson.Value{}, time.Minute)
		errc <- err
	}()
	<-posted
	if err := f.close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("waiter got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release the waiting call")
	}
	if err := f.close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if same, _ := eval(t, `const l = window.pinallListeners;
		return l.added.length === 1 && l.removed.length === 1 && l.added[0] === l.removed[0]`).Bool(); !same {
		t.Fatal("Close did not remove the message listener Open added, once")
	}
	// The listener is gone with its Func: a message after Close calls no
	// released Func, which Go reports on the console.
	logged := eval(t, `const seen = [], orig = console.error;
		console.error = (...m) => seen.push(m.join(" "));
		try { window.dispatchEvent(new MessageEvent("message", {data: "x:", origin: a, source: window})); }
		finally { console.error = orig; }
		return seen.join("\n")`, testOrigin)
	if text, _ := logged.String(); text != "" {
		t.Fatalf("a message after Close reached the released listener: %s", text)
	}
	if _, err := f.InitData(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("InitData after Close: %v", err)
	}
	if err := f.OpenMessenger("chat1"); !errors.Is(err, ErrClosed) {
		t.Fatalf("OpenMessenger after Close: %v", err)
	}
}
