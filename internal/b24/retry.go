package b24

import (
	"context"
	"time"
)

// RetryPolicy bounds the retries inside one call. The zero value of a field
// means its default. Whatever it says, no wait runs past the call's deadline.
type RetryPolicy struct {
	_ [0]func() // not comparable: no equality function in the wasm

	// QUERY_LIMIT_EXCEEDED (503): retries after BaseDelay, then ×Multiplier
	// each time, each wait varied by ±Jitter (a fraction), as b24jssdk does.
	MaxRetries int           // default 3; negative: none
	BaseDelay  time.Duration // default 1 s
	Multiplier float64       // default 1.5
	Jitter     float64       // default 0.1; negative: none

	// A request that got no HTTP response is sent again this many times
	// (default 1; negative: none) after NetworkDelay (default 250 ms). Safe
	// for the idempotent methods this package wraps; set -1 for others.
	NetworkRetries int
	NetworkDelay   time.Duration
}

// defaultRetryPolicy is what a Client uses unless told otherwise.
var defaultRetryPolicy = RetryPolicy{
	MaxRetries:     3,
	BaseDelay:      time.Second,
	Multiplier:     1.5,
	Jitter:         0.1,
	NetworkRetries: 1,
	NetworkDelay:   250 * time.Millisecond,
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := defaultRetryPolicy
	if p.MaxRetries != 0 {
		d.MaxRetries = max(p.MaxRetries, 0)
	}
	if p.BaseDelay > 0 {
		d.BaseDelay = p.BaseDelay
	}
	if p.Multiplier > 0 {
		d.Multiplier = p.Multiplier
	}
	if p.Jitter != 0 {
		d.Jitter = min(max(p.Jitter, 0), 1)
	}
	if p.NetworkRetries != 0 {
		d.NetworkRetries = max(p.NetworkRetries, 0)
	}
	if p.NetworkDelay > 0 {
		d.NetworkDelay = p.NetworkDelay
	}
	return d
}

// backoff is the wait before rate-limit retry n (0-based); r is uniform in [0,1).
func (p RetryPolicy) backoff(n int, r float64) time.Duration {
	d := float64(p.BaseDelay)
	for i := 0; i < n; i++ { // not math.Pow: it links exp/log into the wasm
		d *= p.Multiplier
	}
	d *= 1 + p.Jitter*(2*r-1)
	return time.Duration(d)
}

// wait sleeps d unless that would pass ctx's deadline; ok is false then, and
// the caller returns the error it has instead of sleeping in vain.
func (c *Client) wait(ctx context.Context, d time.Duration) (ok bool, err error) {
	if dl, has := ctx.Deadline(); has && c.clock.Now().Add(d).After(dl) {
		return false, nil
	}
	if err := c.clock.Sleep(ctx, d); err != nil {
		return false, err
	}
	// A test's clock may ignore ctx: check it anyway.
	return true, ctx.Err()
}
