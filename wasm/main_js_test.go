//go:build js && wasm

package main

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/jsfetch"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/l10n/catalog"
	"github.com/pinall/pinall/internal/view"
)

// These tests check the js glue of the wiring in the browser: the real
// index.html body, a scripted portal parent, and a transport the test
// controls. The widget's behaviour (every transition) is tested natively in
// internal/widget; here only what needs a browser: that a panic in the real
// goroutines reaches the page through jsutil's boundary, and that the
// warm-up's canned fetch goes through the fetch glue.

const portalOrigin = "https://portal.example"

func js(t *testing.T, body string, args ...any) safejs.Value {
	t.Helper()
	fn, err := safejs.Global().Get("Function")
	require.NoError(t, err)
	params := []any{"a", "b", "c"}
	f, err := fn.New(append(params[:len(args):len(args)], any(body))...)
	require.NoError(t, err)
	v, err := f.Invoke(args...)
	require.NoError(t, err)
	return v
}

func jsString(t *testing.T, expr string) string {
	s, err := js(t, "return "+expr).String()
	require.NoError(t, err)
	return s
}

// page puts index.html's body into the document, in a container of its own
// (the test runner keeps its own elements in <body>).
func page(t *testing.T) {
	raw, err := os.ReadFile("../widget/index.html")
	require.NoError(t, err)
	s := string(raw)
	body := s[strings.Index(s, "<body>")+len("<body>") : strings.Index(s, "</body>")]
	js(t, `let el = document.getElementById("fixture");
		if (!el) { el = document.createElement("div"); el.id = "fixture"; document.body.append(el); }
		el.innerHTML = a; document.documentElement.dataset.state = "loading";`, body)
	// The page's rows helper, rows.js as shipped.
	src, err := os.ReadFile("../widget/rows.js")
	require.NoError(t, err)
	js(t, string(src))
}

// portalParent answers the frame protocol as a portal would: window.parent
// is window in the test page, so postMessage is replaced.
func portalParent(t *testing.T) {
	fn, err := jsutil.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		msg, _ := args[0].String()
		f := strings.Split(msg, ":")
		cmd, cb := f[0], f[len(f)-2]
		reply := ""
		switch cmd {
		case "getInitData":
			reply = cb + `:{"LANG":"en","DOMAIN":"portal.example","PROTOCOL":1,"PATH":"/rest","AUTH_ID":"tok","AUTH_EXPIRES":"3600","REFRESH_ID":"r","PLACEMENT":"DEFAULT","PLACEMENT_OPTIONS":""}`
		case "resizeWindow", "setTitle":
			reply = cb + ":" + strings.Join(f[1:len(f)-2], ":")
		default:
			return nil
		}
		js(t, `setTimeout(() => window.dispatchEvent(new MessageEvent("message", {data: a, origin: b, source: window})), 0)`, reply, portalOrigin)
		return nil
	})
	require.NoError(t, err)
	w := safejs.Global()
	orig, _ := w.Get("postMessage")
	require.NoError(t, w.Set("postMessage", fn))
	require.NoError(t, w.Set("name", "portal.example|1|sid42"))
	t.Cleanup(func() {
		_ = w.Set("postMessage", orig)
		_ = w.Set("name", "")
		fn.Release()
	})
}

// transport is a b24.Transport whose replies the test scripts.
type transport struct {
	calls atomic.Int32
	do    func(req *b24.Request) (*b24.Response, error)
}

func (tr *transport) Do(_ context.Context, req *b24.Request) (*b24.Response, error) {
	tr.calls.Add(1)
	return tr.do(req)
}

func ok(body string) (*b24.Response, error) {
	return &b24.Response{Status: 200, ContentType: "application/json", Body: []byte(body)}, nil
}

// started runs the wired widget to ready, its REST calls on tr.
func started(t *testing.T, tr *transport) {
	page(t)
	portalParent(t)
	p, err := view.New(js(t, "return globalThis.pinallRows"))
	require.NoError(t, err)
	words, _, err := catalog.For("en")
	require.NoError(t, err)
	f, ferr := frame.Open(context.Background())
	w := newWidget(p, words, tr, func() (b24.Transport, error) { return cannedTransport(&jsfetch.Transport{}) }, f, ferr)
	jsutil.SetPanicHandler(w.Recovered)
	t.Cleanup(func() { jsutil.SetPanicHandler(nil) })
	w.Start(context.Background())
	require.Equal(t, "ready", jsString(t, `document.documentElement.dataset.state`))
}

func waitState(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if jsString(t, `document.documentElement.dataset.state`) == want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("state %q, want %q; alert %q", jsString(t, `document.documentElement.dataset.state`), want,
		jsString(t, `document.getElementById("error").textContent`))
}

func click(t *testing.T, id string) { js(t, `document.getElementById(a).click()`, id) }

// A panic inside an action, in the wired program, lands in the error state
// with words through jsutil's panic boundary, and the next click succeeds.
func TestPanicInAnActionIsRecovered(t *testing.T) {
	var panicNext atomic.Bool
	panicNext.Store(true)
	tr := &transport{do: func(req *b24.Request) (*b24.Response, error) {
		if panicNext.Swap(false) {
			panic("boom")
		}
		if strings.Contains(req.URL, "pinAll") {
			return ok(`{"result":[5,6]}`)
		}
		return ok(`{"result":{"result":{},"result_error":[]}}`)
	}}
	started(t, tr)

	click(t, "pin-all")
	waitState(t, "error")
	assert.Contains(t, jsString(t, `document.getElementById("error").textContent`), "Something went wrong inside the widget")
	assert.Equal(t, "false", jsString(t, `String(document.getElementById("pin-all").disabled)`))

	click(t, "pin-all")
	waitState(t, "done")
	assert.Empty(t, jsString(t, `document.getElementById("error").textContent`))
	assert.Equal(t, "5,6", jsString(t, `[...document.querySelectorAll("#sessions li[data-session-id]")].map(li => li.dataset.sessionId).join()`))
}

// The warm-up's transport is the fetch glue on a canned Response: a client
// on it decodes the canned reply (or the warm-up compiles nothing), sends
// nothing and changes nothing on the page. What the widget does with it is
// tested natively (internal/widget).
func TestWarmUpTransportSendsNothingAndLeavesThePage(t *testing.T) {
	page(t)
	js(t, `globalThis.__fetches = 0; globalThis.__realFetch = globalThis.fetch;
		globalThis.fetch = (...args) => { globalThis.__fetches++; return globalThis.__realFetch(...args); };
		document.documentElement.dataset.state = "ready";`)
	t.Cleanup(func() { js(t, `globalThis.fetch = globalThis.__realFetch;`) })
	before := jsString(t, `document.getElementById("fixture").innerHTML`)

	tr, err := cannedTransport(&jsfetch.Transport{})
	require.NoError(t, err)
	c, err := b24.New(portalOrigin+"/rest", b24.WithTransport(tr), b24.WithTokenSource(fakeToken{}))
	require.NoError(t, err)
	ids, err := c.PinAll(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2}, ids.List, "the canned reply went through the fetch glue and the client")

	n, err := js(t, `return globalThis.__fetches`).Int()
	require.NoError(t, err)
	assert.Equal(t, 0, n, "no request")
	assert.Equal(t, before, jsString(t, `document.getElementById("fixture").innerHTML`), "the page is untouched")
	assert.Equal(t, "ready", jsString(t, `document.documentElement.dataset.state`))
}

type fakeToken struct{}

func (fakeToken) Token(context.Context) (b24.Token, error) { return b24.Token{AccessToken: "x"}, nil }
func (fakeToken) Refresh(context.Context, b24.Token) (b24.Token, error) {
	return b24.Token{AccessToken: "x"}, nil
}
