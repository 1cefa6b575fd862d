//go:build js && wasm

package jsfetch

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/jsutil"
)

func eval(t testing.TB, body string, args ...any) safejs.Value {
	t.Helper()
	ctor, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	fn, err := ctor.New("a", "b", "c", body)
	if err != nil {
		t.Fatalf("compile %q: %v", body, err)
	}
	v, err := fn.Invoke(args...)
	if err != nil {
		t.Fatalf("run %q: %v", body, err)
	}
	return v
}

// scriptedFetch replaces globalThis.fetch for one test. The returned state
// object steers it (mode, status, body, headers) and records every call.
func scriptedFetch(t *testing.T, mode string) safejs.Value {
	state := eval(t, `
const s = {mode: a, status: 200, body: "", headers: {}, calls: [], aborted: false, cancelled: false, pulled: 0, orig: globalThis.fetch};
// s.when(key) is a promise that resolves once mark(key) has run.
const waiters = {};
s.when = k => s[k] ? Promise.resolve(true) : new Promise(res => (waiters[k] ||= []).push(res));
const mark = k => { s[k] = true; (waiters[k] || []).forEach(res => res(true)); };
globalThis.fetch = function(url, given) {
  // fetch reads its init when called, as this copy does.
  const init = {...given};
  s.calls.push({url, init, given, headers: [...new Headers(init.headers)]});
  switch (s.mode) {
  case "respond":
    return Promise.resolve(new Response(s.body, {status: s.status, headers: s.headers}));
  case "typeerror":
    return Promise.reject(new TypeError("Failed to fetch"));
  case "hang":
    return new Promise((res, rej) => init.signal.addEventListener("abort", () => { mark("aborted"); rej(init.signal.reason); }));
  case "endless":
    const stream = new ReadableStream({
      pull(c) { s.pulled += 16384; c.enqueue(new Uint8Array(16384).fill(120)); },
      cancel() { mark("cancelled"); },
    }, {highWaterMark: 0});
    return Promise.resolve(new Response(stream, {status: 200, headers: s.headers}));
  case "stall":
    const st = new ReadableStream({ start(c) {
      c.enqueue(new TextEncoder().encode("{\"result\":"));
      init.signal.addEventListener("abort", () => { mark("aborted"); c.error(init.signal.reason); });
    }});
    return Promise.resolve(new Response(st, {status: 200}));
  }
  return Promise.reject("bad mode");
};
return s;`, mode)
	t.Cleanup(func() { eval(t, "globalThis.fetch = a.orig", state) })
	return state
}

func get(t testing.TB, v safejs.Value, path string) safejs.Value {
	t.Helper()
	for _, k := range strings.Split(path, ".") {
		var err error
		if v, err = v.Get(k); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	return v
}

func str(t testing.TB, v safejs.Value, path string) string {
	s, _ := get(t, v, path).String()
	return s
}

const secretBody = "auth=SECRET-TOKEN-123&CHAT_ID=5"

func request() *b24.Request {
	return &b24.Request{
		URL:         "https://portal.example/rest/imopenlines.session.mode.pinAll.json",
		ContentType: "application/x-www-form-urlencoded",
		Body:        secretBody,
	}
}

// capped is request() with a body cap.
func capped(n int) *b24.Request {
	r := request()
	r.MaxBody = n
	return r
}

func TestRequestShape(t *testing.T) {
	s := scriptedFetch(t, "respond")
	eval(t, `a.body = '{"result":[1652,1653]}'; a.headers = {"Content-Type": "application/json", "Content-Length": "23"}`, s)
	resp, err := (&Transport{}).Do(context.Background(), request())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || resp.ContentType != "application/json" || string(resp.Body) != `{"result":[1652,1653]}` || resp.Truncated {
		t.Fatalf("got %+v (%s)", resp, resp.Body)
	}
	call := get(t, s, "calls.0")
	want := map[string]string{
		"url":                 request().URL,
		"init.method":         "POST",
		"init.body":           secretBody,
		"init.credentials":    "omit",
		"init.mode":           "cors",
		"init.cache":          "no-store",
		"init.redirect":       "error",
		"init.referrerPolicy": "no-referrer",
	}
	for path, w := range want {
		if got := str(t, call, path); got != w {
			t.Errorf("%s = %q, want %q", path, got, w)
		}
	}
	if strings.Contains(str(t, call, "url"), "SECRET") {
		t.Error("token in the URL")
	}
	// Exactly one header, so the request stays a CORS simple request.
	if n, _ := get(t, call, "headers").Length(); n != 1 {
		t.Errorf("%d headers sent", n)
	}
	if h := str(t, call, "headers.0.0") + ": " + str(t, call, "headers.0.1"); h != "content-type: application/x-www-form-urlencoded" {
		t.Errorf("header %q", h)
	}
	if ok, _ := eval(t, "return a.init.signal instanceof AbortSignal", call).Bool(); !ok {
		t.Error("no AbortSignal passed")
	}
	// The object handed to fetch is kept for the next request: it must not
	// keep the token.
	if got := str(t, call, "given.body"); strings.Contains(got, "SECRET") {
		t.Errorf("the init object still holds the body after the call: %q", got)
	}
}

func TestNoContentTypeSendsNoHeader(t *testing.T) {
	s := scriptedFetch(t, "respond")
	req := request()
	req.ContentType = ""
	if _, err := (&Transport{}).Do(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if n, _ := get(t, s, "calls.0.headers").Length(); n != 0 {
		t.Fatalf("%d headers sent", n)
	}
}

// A transport made by WithFetch calls its own fetch, and what it made for
// its requests serves its parent's: the warm-up's canned request makes the
// objects the first click would make.
func TestWithFetchSharesWhatIsKept(t *testing.T) {
	s := scriptedFetch(t, "respond")
	eval(t, `a.body = '{"result":[]}'; a.headers = {"Content-Length": "13"}`, s)
	canned := eval(t, `globalThis.__canned = []; return (url, init) => { globalThis.__canned.push(init);
		return Promise.resolve(new Response('{"result":[1]}', {headers: {"Content-Length": "14"}})) }`)
	tr := &Transport{}
	resp, err := tr.WithFetch(canned).Do(context.Background(), request())
	if err != nil || string(resp.Body) != `{"result":[1]}` {
		t.Fatalf("the canned request: %v, %q", err, resp.Body)
	}
	if n, _ := get(t, s, "calls").Length(); n != 0 {
		t.Fatalf("the canned request reached the page's fetch %d times", n)
	}
	resp, err = tr.Do(context.Background(), request())
	if err != nil || string(resp.Body) != `{"result":[]}` {
		t.Fatalf("the parent's request: %v, %q", err, resp.Body)
	}
	if same, _ := eval(t, `return a.calls[0].given === globalThis.__canned[0]`, s).Bool(); !same {
		t.Error("the parent's request made its own init object")
	}
}

func TestErrorStatusIsAResponse(t *testing.T) {
	s := scriptedFetch(t, "respond")
	for _, c := range []struct {
		status int
		body   string
	}{
		{500, `{"error":"INTERNAL_SERVER_ERROR"}`},
		{401, `{"error":"expired_token","error_description":"The access token provided has expired."}`},
		{503, `<html>Bad Gateway</html>`},
		{204, ``},
	} {
		eval(t, `a.status = b.status; a.body = b.status == 204 ? null : b.body; a.headers = {}`, s,
			map[string]any{"status": c.status, "body": c.body})
		resp, err := (&Transport{}).Do(context.Background(), request())
		if err != nil {
			t.Fatalf("%d: %v", c.status, err)
		}
		if resp.Status != c.status || string(resp.Body) != c.body {
			t.Errorf("%d: got %d %q", c.status, resp.Status, resp.Body)
		}
	}
}

func TestFetchRejectionIsTheBrowsersError(t *testing.T) {
	scriptedFetch(t, "typeerror")
	req := request()
	req.URL += "?auth=LEAKY"
	_, err := (&Transport{}).Do(context.Background(), req)
	if !errors.Is(err, jsutil.ErrTypeError) {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "SECRET") || strings.Contains(msg, "LEAKY") {
		t.Fatalf("message %q", msg)
	}
}

// Through the client the failure is one *b24.NetworkError that names the
// method and the URL once, not an error wrapped in another that says both.
func TestNetworkErrorThroughTheClient(t *testing.T) {
	scriptedFetch(t, "typeerror")
	c, err := b24.New("https://portal.example/rest", b24.WithTransport(&Transport{}),
		b24.WithRetryPolicy(b24.RetryPolicy{NetworkRetries: -1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PinAll(context.Background())
	var ne *b24.NetworkError
	if !errors.As(err, &ne) || !errors.Is(err, jsutil.ErrTypeError) {
		t.Fatalf("got %T %v", err, err)
	}
	const url = "https://portal.example/rest/imopenlines.session.mode.pinAll.json"
	msg := err.Error()
	if strings.Count(msg, url) != 1 || strings.Count(msg, b24.MethodPinAll) != 2 || strings.Count(msg, "network error") != 1 {
		t.Fatalf("want the method, the URL and \"network error\" once each: %q", msg)
	}
}

func TestRealFetchConnectionRefused(t *testing.T) {
	req := request()
	req.URL = "http://127.0.0.1:9/rest/x.json" // discard port: nothing listens
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := (&Transport{}).Do(ctx, req)
	if err == nil || ctx.Err() != nil || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("got %v", err)
	}
}

func TestRealFetchDataURL(t *testing.T) {
	req := request()
	req.URL = `data:application/json,{"result":[1,2]}`
	resp, err := (&Transport{}).Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || resp.ContentType != "application/json" || string(resp.Body) != `{"result":[1,2]}` {
		t.Fatalf("got %+v %q", resp, resp.Body)
	}
}

func TestRealFetchOwnServerAnyStatus(t *testing.T) {
	// wasmbrowsertest's own server: whatever status it gives is a Response.
	req := request()
	req.URL = str(t, safejs.Global(), "location.origin") + "/rest/no-such-method.json"
	resp, err := (&Transport{}).Do(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status < 200 {
		t.Fatalf("status %d", resp.Status)
	}
	t.Logf("own server answered %d %q, %d bytes", resp.Status, resp.ContentType, len(resp.Body))
}

func TestContextCancelAbortsFetch(t *testing.T) {
	s := scriptedFetch(t, "hang")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := (&Transport{}).Do(ctx, request())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	waitTrue(t, s, "aborted")
}

func TestContextCancelDuringBody(t *testing.T) {
	s := scriptedFetch(t, "stall")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := (&Transport{}).Do(ctx, request())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	waitTrue(t, s, "aborted")
}

func TestCancelledBeforeStart(t *testing.T) {
	s := scriptedFetch(t, "respond")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Transport{}).Do(ctx, request()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if n, _ := get(t, s, "calls").Length(); n != 0 {
		t.Fatal("fetched anyway")
	}
}

// waitTrue waits for the scripted fetch to mark key (aborted, cancelled).
func waitTrue(t *testing.T, s safejs.Value, key string) {
	t.Helper()
	p, err := s.Call("when", key)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := jsutil.Await(ctx, p); err != nil {
		t.Fatalf("%s never happened: %v", key, err)
	}
}

func TestSizeCap(t *testing.T) {
	s := scriptedFetch(t, "respond")
	body := strings.Repeat("x", 1000)
	tr := &Transport{}
	for _, headers := range []map[string]any{
		{},                       // unknown length: streamed, cut
		{"Content-Length": "50"}, // lies (as a compressed length can): cut after reading
	} {
		eval(t, "a.body = b; a.headers = c", s, body, headers)
		resp, err := tr.Do(context.Background(), capped(100))
		if err != nil {
			t.Fatal(err)
		}
		if !resp.Truncated || !bytes.Equal(resp.Body, []byte(body[:100])) {
			t.Errorf("%v: truncated=%v, %d bytes", headers, resp.Truncated, len(resp.Body))
		}
	}
	// Exactly at the cap is not truncated, either way of reading.
	for _, headers := range []map[string]any{{"Content-Length": "100"}, {}} {
		eval(t, "a.body = b; a.headers = c", s, body[:100], headers)
		resp, err := tr.Do(context.Background(), capped(100))
		if err != nil || resp.Truncated || len(resp.Body) != 100 {
			t.Errorf("%v: %v, truncated=%v, %d bytes", headers, err, resp.Truncated, len(resp.Body))
		}
	}
}

// A body past the cap is not downloaded: streamed up to the cap when its
// length is unknown, not read at all when it was announced over it.
func TestHugeBodyIsNotReadToTheEnd(t *testing.T) {
	for _, c := range []struct {
		headers         string
		body, maxPulled int
	}{
		{`{}`, 40000, 80000},
		{`{"Content-Length": "1000000000"}`, 0, 0},
	} {
		s := scriptedFetch(t, "endless")
		eval(t, "a.headers = "+c.headers, s)
		resp, err := (&Transport{}).Do(context.Background(), capped(40000))
		if err != nil {
			t.Fatal(err)
		}
		if !resp.Truncated || len(resp.Body) != c.body {
			t.Fatalf("%s: truncated=%v, %d bytes", c.headers, resp.Truncated, len(resp.Body))
		}
		waitTrue(t, s, "cancelled")
		if pulled, _ := get(t, s, "pulled").Int(); pulled > c.maxPulled {
			t.Fatalf("%s: pulled %d bytes for a 40000 cap", c.headers, pulled)
		}
	}
}

// Measures the ways to bring a ~70 KB body into Go (see the package report).
func newResponse(b *testing.B, body safejs.Value) safejs.Value {
	return eval(b, "return new Response(a)", body)
}

func benchBody(b *testing.B) safejs.Value {
	return eval(b, `return JSON.stringify({result: Array.from({length: 9000}, (_, i) => 100000 + i)})`)
}

func BenchmarkReadArrayBuffer70K(b *testing.B) {
	body := benchBody(b)
	ctx := context.Background()
	bytesCtor, _ := safejs.Global().Get("Uint8Array")
	for b.Loop() {
		buf, _, err := readArrayBuffer(ctx, newResponse(b, body), b24.DefaultMaxBody, bytesCtor)
		if err != nil || len(buf) < 60000 {
			b.Fatal(err, len(buf))
		}
	}
}

func BenchmarkReadText70K(b *testing.B) {
	body := benchBody(b)
	ctx := context.Background()
	for b.Loop() {
		p, _ := newResponse(b, body).Call("text")
		v, err := jsutil.Await(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		s, _ := v.String()
		if len([]byte(s)) < 60000 {
			b.Fatal(len(s))
		}
	}
}

func BenchmarkReadStream70K(b *testing.B) {
	body := benchBody(b)
	ctx := context.Background()
	for b.Loop() {
		resp := newResponse(b, body)
		stream, _ := resp.Get("body")
		buf, _, err := readStream(ctx, stream, b24.DefaultMaxBody)
		if err != nil || len(buf) < 60000 {
			b.Fatal(err, len(buf))
		}
	}
}

// A network body arrives in chunks; this one comes in 16 KB pieces.
func BenchmarkReadStream70KIn16KChunks(b *testing.B) {
	body := eval(b, "return new TextEncoder().encode(a)", benchBody(b))
	ctx := context.Background()
	for b.Loop() {
		stream := eval(b, `let off = 0; return new ReadableStream({pull(c) {
  if (off >= a.length) { c.close(); return; }
  c.enqueue(a.slice(off, off + 16384)); off += 16384; }})`, body)
		buf, _, err := readStream(ctx, stream, b24.DefaultMaxBody)
		if err != nil || len(buf) < 60000 {
			b.Fatal(err, len(buf))
		}
	}
}
