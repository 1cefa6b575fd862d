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

	// fetch's second argument for requests of Content-Type initType, made
	// once: a call sets only its body and signal, a few calls into JS where
	// a new object costs a dozen, inside the click's own task.
	mu       sync.Mutex
	init     safejs.Value
	initType string
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
	controller, err := newObject(global, "AbortController")
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

	promise, err := t.fetch(global, req, signal)
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
	out.ContentType = header(headers, "content-type")
	length := -1
	if n, ok := ascii.ParseInt(header(headers, "content-length")); ok && n >= 0 {
		length = int(n)
	}
	out.Body, out.Truncated, err = readBody(ctx, resp, length, max)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return out, nil
}

// fetch starts the request. fetch reads its init synchronously, so one
// object serves every call; its body (the token is in it) is cleared after.
func (t *Transport) fetch(global safejs.Value, req *b24.Request, signal safejs.Value) (safejs.Value, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	init := t.init
	if init.IsUndefined() || t.initType != req.ContentType {
		var err error
		if init, err = newInit(global, req.ContentType); err != nil {
			return safejs.Value{}, err
		}
		t.init, t.initType = init, req.ContentType
	}
	if err := init.Set("body", req.Body); err != nil {
		return safejs.Value{}, err
	}
	defer func() { _ = init.Set("body", nil) }()
	if err := init.Set("signal", signal); err != nil {
		return safejs.Value{}, err
	}
	if t.Fetch.IsUndefined() {
		return global.Call("fetch", req.URL, init)
	}
	return t.Fetch.Invoke(req.URL, init)
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
func readBody(ctx context.Context, resp safejs.Value, length, max int) ([]byte, bool, error) {
	body, err := resp.Get("body")
	if err != nil {
		return nil, false, err
	}
	if body.IsNull() || body.IsUndefined() {
		return []byte{}, false, nil
	}
	switch {
	case length > max:
		// Reading up to the cap only to refuse it would cost the download
		// and a cap-sized buffer inside the click, where the collector is
		// held off: a new peak of wasm memory, which never shrinks.
		if p, err := body.Call("cancel"); err == nil {
			_, _ = jsutil.Await(ctx, p)
		}
		return nil, true, nil
	case length >= 0:
		return readArrayBuffer(ctx, resp, max)
	}
	return readStream(ctx, body, max)
}

func readArrayBuffer(ctx context.Context, resp safejs.Value, max int) ([]byte, bool, error) {
	p, err := resp.Call("arrayBuffer")
	if err != nil {
		return nil, false, err
	}
	ab, err := jsutil.Await(ctx, p)
	if err != nil {
		return nil, false, err
	}
	u8, err := newObject(safejs.Global(), "Uint8Array", ab)
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

// header returns a response header, "" when absent or unreadable.
func header(headers safejs.Value, name string) string {
	v, err := headers.Call("get", name)
	if err != nil || v.Type() != safejs.TypeString {
		return ""
	}
	s, _ := v.String()
	return s
}
