// Package lookup decides which sessions' dialogs the widget looks up, and
// when: only the rows a person can see (a page at a time), in batch calls,
// paced so the lookups stay inside the portal's rate limit. It is plain Go:
// the wasm side gives it a fetch function and shows what it delivers.
package lookup

import (
	"context"
	"sync"
	"time"

	"github.com/pinall/pinall/internal/clock"
)

// Pacer is the widget's own model of the portal's leaky bucket (Bitrix24's documented REST limit:
// each request adds 1, the level drains 2/s, above 50 the portal refuses;
// every command inside a batch counts as a request). Lookups take units from
// it before they are sent, so they never lift the portal's level above
// Capacity: keep Capacity below the portal's burst, and the difference is
// left for the user's own clicks (pin all, unpin all) and other apps.
type Pacer struct {
	mu       sync.Mutex
	rate     float64 // units drained per second
	capacity float64
	level    float64
	last     time.Time
}

// NewPacer returns an empty bucket draining perSecond, holding capacity.
func NewPacer(perSecond float64, capacity int) *Pacer {
	return &Pacer{rate: perSecond, capacity: float64(max(capacity, 1)), last: time.Now()}
}

// Take waits until at least least units fit under the capacity, then takes
// as many as fit, up to most, and returns how many it took. least is capped
// at most and at the capacity. A cancelled ctx returns its error, taking
// nothing.
func (p *Pacer) Take(ctx context.Context, most, least int) (int, error) {
	if most <= 0 {
		return 0, ctx.Err()
	}
	least = max(1, min(least, most, int(p.capacity)))
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		p.mu.Lock()
		p.drainLocked()
		free := int(p.capacity - p.level + 1e-9)
		if free >= least {
			n := min(most, free)
			p.level += float64(n)
			p.mu.Unlock()
			return n, nil
		}
		missing := float64(least) - (p.capacity - p.level)
		wait := time.Duration(missing / p.rate * float64(time.Second))
		p.mu.Unlock()
		if err := clock.Real.Sleep(ctx, max(wait, time.Millisecond)); err != nil {
			return 0, err
		}
	}
}

// Full marks the bucket full: the portal refused a command for the rate
// limit, so its level is higher than this model thought.
func (p *Pacer) Full() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drainLocked()
	p.level = p.capacity
}

func (p *Pacer) drainLocked() {
	now := time.Now()
	if d := now.Sub(p.last).Seconds(); d > 0 {
		p.level = max(0, p.level-d*p.rate)
	}
	p.last = now
}
