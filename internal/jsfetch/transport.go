//go:build js && wasm

// Package jsfetch is the b24.Transport of the wasm build: the browser's
// fetch through safejs, so the download carries no net/http.
package jsfetch

import (
	"context"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/jsutil"
)

// Transport sends requests with fetch. The zero value is ready to use.
type Transport struct {
	// Fetch, when set, is called in place of the page's fetch, with the same
	// arguments, for a promise of a Response: the widget's warm-up runs the
	// whole path on a canned reply without a request.
	Fetch safejs.Value

	mu sync.Mutex
	s  *shared // made on the first request; WithFetch's transports share it
}

// shared is what a transport keeps between requests, made or looked up
// once: each would otherwise cost calls into JS at every request, inside a
// click's own tasks (a Go string handed to JS is copied into a new JS string
// at every call).
type shared struct {
	mu sync.Mutex
	// fetch's second argument for requests of Content-Type initType: a call
	// sets only its body and signal, a few calls into JS where a new object
	// costs a dozen.
	init     safejs.Value
	initType string
	made     bool         // the values below are there
	abort    safejs.Value // the AbortController constructor
	bytes    safejs.Value // the Uint8Array constructor
	names    [2]any       // the header names content-type, content-length
	urls     []url        // the URLs requested, a few: one per REST method (the parameters travel in the body)
}

// url is a URL and its JS copy, held as the any a call takes: made into one
// once, not at every call.
type url struct {
	_   [0]func() // not comparable: no equality function in the wasm
	url string
	v   any
}

// WithFetch returns a transport that calls fetch in place of the page's
// (see Fetch) and shares what t keeps between requests: the warm-up's
// canned request makes, before the first click, what that click would
// otherwise make.
func (t *Transport) WithFetch(fetch safejs.Value) *Transport {
	return &Transport{Fetch: fetch, s: t.state()}
}

// state returns t's shared state, made on first use.
func (t *Transport) state() *shared {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.s == nil {
		t.s = &shared{}
	}
	return t.s
}

var _ b24.Transport = (*Transport)(nil)

// Do POSTs req.Body to req.URL. The request stays a CORS simple request: no
// header but Content-Type, no credentials, no referrer; a redirect is an
// error (the token must not follow it elsewhere). Any HTTP status is a
// Response; the body is read up to the cap and marked Truncated beyond it.
// A cancelled ctx aborts the fetch and returns ctx.Err().
func (t *Transport) Do(ctx context.Context, req *b24.Request) (*b24.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	max := req.MaxBody
	if max <= 0 {
		max = b24.DefaultMaxBody
	}
	global := safejs.Global()
	s, err := t.state().values(global)
	if err != nil {
		return nil, err
	}
	controller, err := s.abort.New()
	if err != nil {
		return nil, err
	}
	signal, err := controller.Get("signal")
	if err != nil {
		return nil, err
	}
	// Abort when ctx ends; stop() after the body is read drops the hook.
	stop := context.AfterFunc(ctx, func() { _, _ = controller.Call("abort") })
	defer stop()

	promise, err := s.fetch(global, t.Fetch, req, signal)
	if err != nil {
		return nil, err
	}
	resp, err := jsutil.Await(ctx, promise)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	out := &b24.Response{}
	status, err := getInt(resp, "status")
	if err != nil {
		return nil, err
	}
	out.Status = status
	headers, err := resp.Get("headers")
	if err != nil {
		return nil, err
	}
	out.ContentType = header(headers, s.names[0])
	length := -1
	if n, ok := ascii.ParseInt(header(headers, s.names[1])); ok && n >= 0 {
		length = int(n)
	}
	out.Body, out.Truncated, err = readBody(ctx, resp, length, max, s.bytes)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return out, nil
}

// values makes the values every request uses, on the first one.
func (s *shared) values(global safejs.Value) (*shared, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.made {
		return s, nil
	}
	var err error
	if s.abort, err = global.Get("AbortController"); err != nil {
		return nil, err
	}
	if s.bytes, err = global.Get("Uint8Array"); err != nil {
		return nil, err
	}
	for i, name := range [...]string{"content-type", "content-length"} {
		v, err := safejs.ValueOf(name)
		if err != nil {
			return nil, err
		}
		s.names[i] = v
	}
	s.made = true
	return s, nil
}

// fetch starts the request, with fetch (undefined: the page's). fetch reads
// its init synchronously, so one object serves every call; its body (the
// token is in it) is cleared after.
func (s *shared) fetch(global, fetch safejs.Value, req *b24.Request, signal safejs.Value) (safejs.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	init := s.init
	if init.IsUndefined() || s.initType != req.ContentType {
		var err error
		if init, err = newInit(global, req.ContentType); err != nil {
			return safejs.Value{}, err
		}
		s.init, s.initType = init, req.ContentType
	}
	if err := init.Set("body", req.Body); err != nil {
		return safejs.Value{}, err
	}
	defer func() { _ = init.Set("body", nil) }()
	if err := init.Set("signal", signal); err != nil {
		return safejs.Value{}, err
	}
	// The URL as a JS string, copied once per URL.
	var u any
	for _, k := range s.urls {
		if k.url == req.URL {
			u = k.v
		}
	}
	if u == nil {
		v, err := safejs.ValueOf(req.URL)
		if err != nil {
			return safejs.Value{}, err
		}
		u = v
		s.urls = append(s.urls, url{url: req.URL, v: u})
	}
	if fetch.IsUndefined() {
		return global.Call("fetch", u, init)
	}
	return fetch.Invoke(u, init)
}

// initFields are fetch's options for every request (see Do).
var initFields = [...]struct{ name, value string }{
	{"method", "POST"},
	{"credentials", "omit"},
	{"mode", "cors"},
	{"cache", "no-store"},
	{"redirect", "error"},
	{"referrerPolicy", "no-referrer"},
}

// newInit makes fetch's second argument: initFields, and a Content-Type
// header unless contentType is "". The fields are set from a table, not
// converted from a map literal: a literal is code, a table is data.
func newInit(global safejs.Value, contentType string) (safejs.Value, error) {
	init, err := newObject(global, "Object")
	if err != nil {
		return safejs.Value{}, err
	}
	for _, f := range initFields {
		if err := init.Set(f.name, f.value); err != nil {
			return safejs.Value{}, err
		}
	}
	if contentType == "" {
		return init, nil
	}
	headers, err := newObject(global, "Object")
	if err != nil {
		return safejs.Value{}, err
	}
	if err := headers.Set("Content-Type", contentType); err != nil {
		return safejs.Value{}, err
	}
	return init, init.Set("headers", headers)
}

// readBody reads at most max bytes. A known length within the cap is read in
// one arrayBuffer() (one await, one copy); a known length over it is not
// read at all (Content-Length counts encoded bytes, and a body decodes to at
// least as many); otherwise the stream is read chunk by chunk and cancelled
// once the cap is passed, so a huge body is not downloaded in full.
func readBody(ctx context.Context, resp safejs.Value, length, max int, bytes safejs.Value) ([]byte, bool, error) {
	if length >= 0 && length <= max {
		// arrayBuffer() reads a response without a body as empty: no need
		// to look at the body first.
		return readArrayBuffer(ctx, resp, max, bytes)
	}
	body, err := resp.Get("body")
	if err != nil {
		return nil, false, err
	}
	if body.IsNull() || body.IsUndefined() {
		return []byte{}, false, nil
	}
	if length > max {
		// Reading up to the cap only to refuse it would cost the download
		// and a cap-sized buffer inside the click, where the collector is
		// held off: a new peak of wasm memory, which never shrinks.
		if p, err := body.Call("cancel"); err == nil {
			_, _ = jsutil.Await(ctx, p)
		}
		return nil, true, nil
	}
	return readStream(ctx, body, max)
}

// readArrayBuffer reads the whole body; bytes is the Uint8Array constructor.
func readArrayBuffer(ctx context.Context, resp safejs.Value, max int, bytes safejs.Value) ([]byte, bool, error) {
	p, err := resp.Call("arrayBuffer")
	if err != nil {
		return nil, false, err
	}
	ab, err := jsutil.Await(ctx, p)
	if err != nil {
		return nil, false, err
	}
	u8, err := bytes.New(ab)
	if err != nil {
		return nil, false, err
	}
	n, err := u8.Length()
	if err != nil {
		return nil, false, err
	}
	// Content-Length counts encoded bytes; a compressed body can decode
	// larger than announced.
	buf := make([]byte, min(n, max))
	if _, err := safejs.CopyBytesToGo(buf, u8); err != nil {
		return nil, false, err
	}
	return buf, n > max, nil
}

func readStream(ctx context.Context, body safejs.Value, max int) ([]byte, bool, error) {
	reader, err := body.Call("getReader")
	if err != nil {
		return nil, false, err
	}
	buf := make([]byte, 0, min(max, 64<<10))
	for {
		p, err := reader.Call("read")
		if err != nil {
			return nil, false, err
		}
		chunk, err := jsutil.Await(ctx, p)
		if err != nil {
			return nil, false, err
		}
		done, _ := chunk.Get("done")
		if d, _ := done.Bool(); d {
			return buf, false, nil
		}
		value, err := chunk.Get("value")
		if err != nil {
			return nil, false, err
		}
		n, err := value.Length()
		if err != nil {
			return nil, false, err
		}
		room := max - len(buf)
		take := min(n, room)
		start := len(buf)
		if need := start + take; need > cap(buf) {
			// Doubling, where append would grow a big slice by ~1.25x: a
			// capped 1 MiB read leaves ~1 MiB of garbage, not ~5 MiB, and the
			// GC is held off during a click (internal/widget/gchold.go).
			c := 2 * cap(buf)
			if c < need {
				c = need
			}
			grown := make([]byte, start, min(c, max)) // max: the cap, a parameter here
			copy(grown, buf)
			buf = grown
		}
		buf = buf[:start+take]
		if _, err := safejs.CopyBytesToGo(buf[start:], value); err != nil {
			return nil, false, err
		}
		if n > room {
			// Over the cap: stop the download; the rest is never read.
			if p, err := reader.Call("cancel"); err == nil {
				_, _ = jsutil.Await(ctx, p)
			}
			return buf, true, nil
		}
	}
}

func newObject(global safejs.Value, ctor string, args ...any) (safejs.Value, error) {
	c, err := global.Get(ctor)
	if err != nil {
		return safejs.Value{}, err
	}
	return c.New(args...)
}

func getInt(v safejs.Value, key string) (int, error) {
	p, err := v.Get(key)
	if err != nil {
		return 0, err
	}
	return p.Int()
}

// header returns a response header, "" when absent or unreadable; name is
// the header's name as a JS string.
func header(headers safejs.Value, name any) string {
	v, err := headers.Call("get", name)
	if err != nil || v.Type() != safejs.TypeString {
		return ""
	}
	s, _ := v.String()
	return s
}
