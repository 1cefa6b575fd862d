//go:build js && wasm

package main

import (
	"context"
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/jsfetch"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/l10n"
)

// V8 compiles a wasm function on its first call (lazy compilation), so the
// first click used to pay for compiling the fetch glue, the REST client, the
// JSON parser and the words: ~20-30 ms over later clicks (make bench, clicks
// 1-4 on one page). Right after ready, in a task of its own, the widget runs
// that path once on a canned reply. Nothing leaves the page and the DOM is
// not touched: fetch is a canned Response and the token is not the user's.

// warmReply is a pinAll reply as the portal sends it.
var warmReply = []byte(`{"result":[1,2],"time":{"start":1,"finish":1.1,"duration":0.1,"processing":0.01,` +
	`"date_start":"2026-01-01T00:00:00+00:00","date_finish":"2026-01-01T00:00:00+00:00","operating_reset_at":1,"operating":0}}`)

// cannedFetch stands in for fetch: Promise.resolve bound to a Response
// holding warmReply, so jsfetch reads it as it reads the portal's.
func cannedFetch() (safejs.Value, error) {
	g := safejs.Global()
	ctor, err := g.Get("Response")
	if err != nil {
		return safejs.Value{}, err
	}
	resp, err := ctor.New(string(warmReply), map[string]any{"status": 200, "headers": map[string]any{
		"Content-Type": "application/json; charset=utf-8", "Content-Length": strconv.Itoa(len(warmReply))}})
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

type cannedToken struct{}

func (cannedToken) Token(context.Context) (b24.Token, error) {
	return b24.Token{AccessToken: "warm-up"}, nil
}

func (cannedToken) Refresh(context.Context, b24.Token) (b24.Token, error) {
	return b24.Token{AccessToken: "warm-up"}, nil
}

// warmUp schedules warm after the current task, so ready is shown first.
func (a *app) warmUp(endpoint string) {
	lang := a.lang
	jsutil.Go(func() {
		time.Sleep(time.Millisecond) // yields to the JS event loop
		warm(endpoint, lang)
	})
}

// warm runs a pinAll through a client on the canned transport and words
// its result; it returns how many IDs the client decoded.
func warm(endpoint string, lang l10n.Lang) int {
	fetch, err := cannedFetch()
	if err != nil {
		return 0
	}
	c, err := b24.New(endpoint, b24.WithTransport(&jsfetch.Transport{Fetch: fetch}), b24.WithTokenSource(cannedToken{}))
	if err != nil {
		return 0
	}
	ids, err := c.PinAll(context.Background())
	if err != nil {
		return 0
	}
	_ = lang.Pinned(len(ids))
	_ = l10n.TextsFor(lang)
	return len(ids)
}
