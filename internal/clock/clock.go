// Package clock is the one interface through which the REST client and the
// dev portal read and wait on time where a test cannot use testing/synctest
// (a test against a real socket: time in a synctest bubble stops while a
// goroutine waits on the network). Everything else reads the time package
// directly and is tested in a synctest bubble.
package clock

import (
	"context"
	"time"
)

// Clock reads the time and waits on it.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx ends: then it returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the time package's clock.
var Real Clock = &realClock{}

// realClock's methods take a pointer: a value's methods in an interface
// need a pointer-receiver wrapper each, more code in the wasm.
type realClock struct{}

func (*realClock) Now() time.Time { return time.Now() }

func (*realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
