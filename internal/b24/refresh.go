package b24

import (
	"context"
	"errors"
	"sync"
	"time"
)

var errEmptyToken = errors.New("the token source gave an empty token")

// refresher merges concurrent refreshes: calls that fail with the same stale
// token share one TokenSource.Refresh, and a call that failed with a token
// older than the last refreshed one reuses that instead of refreshing again.
type refresher struct {
	_ [0]func() // not comparable: no equality function in the wasm

	src     TokenSource
	timeout time.Duration

	mu     sync.Mutex
	latest Token   // the last token Refresh returned
	flight *flight // the refresh in progress, if any
}

type flight struct {
	_ [0]func() // not comparable: no equality function in the wasm

	done chan struct{}
	tok  Token
	err  error
}

func (r *refresher) refresh(ctx context.Context, stale Token) (Token, error) {
	r.mu.Lock()
	if r.latest.AccessToken != "" && r.latest.AccessToken != stale.AccessToken {
		tok := r.latest
		r.mu.Unlock()
		return tok, nil
	}
	f := r.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		r.flight = f
		// The refresh outlives the caller that started it: others may wait
		// on it. It keeps ctx's values, not its cancellation, and gets its
		// own bound.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout)
		go r.run(fctx, cancel, f, stale)
	}
	r.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

func (r *refresher) run(ctx context.Context, cancel context.CancelFunc, f *flight, stale Token) {
	defer cancel()
	var tok Token
	var err error
	func() {
		// A panicking TokenSource must not take the program down from a
		// goroutine nobody can recover in.
		defer func() {
			if p := recover(); p != nil {
				err = errors.New("the token source panicked")
			}
		}()
		tok, err = r.src.Refresh(ctx, stale)
	}()
	if err == nil && tok.AccessToken == "" {
		err = errEmptyToken
	}
	r.mu.Lock()
	f.tok, f.err = tok, err
	if err == nil {
		r.latest = tok
	}
	r.flight = nil
	r.mu.Unlock()
	close(f.done)
}
