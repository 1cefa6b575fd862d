//go:build js && wasm

package main

import (
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/jsfetch"
	"github.com/pinall/pinall/internal/widget"
)

// cannedTransport is the warm-up's transport (internal/widget/warmup.go):
// the browser's fetch glue itself, with fetch replaced by one that answers
// widget.WarmReply, so the warm-up compiles the path a click takes and
// sends nothing. It shares what real keeps between requests, so the first
// click finds it made.
func cannedTransport(real *jsfetch.Transport) (b24.Transport, error) {
	fetch, err := cannedFetch()
	if err != nil {
		return nil, err
	}
	return real.WithFetch(fetch), nil
}

// cannedFetch stands in for fetch: Promise.resolve bound to a Response
// holding WarmReply, so jsfetch reads it as it reads the portal's.
func cannedFetch() (safejs.Value, error) {
	g := safejs.Global()
	ctor, err := g.Get("Response")
	if err != nil {
		return safejs.Value{}, err
	}
	reply := widget.WarmReply
	resp, err := ctor.New(string(reply), map[string]any{"status": 200, "headers": map[string]any{
		"Content-Type": "application/json; charset=utf-8", "Content-Length": strconv.Itoa(len(reply))}})
	if err != nil {
		return safejs.Value{}, err
	}
	promise, err := g.Get("Promise")
	if err != nil {
		return safejs.Value{}, err
	}
	resolve, err := promise.Get("resolve")
	if err != nil {
		return safejs.Value{}, err
	}
	return resolve.Call("bind", promise, resp)
}
