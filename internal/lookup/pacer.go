// Package lookup decides which sessions' dialogs the widget looks up, and
// when: only the rows a person can see (a page at a time), in batch calls,
// paced so the lookups stay inside the portal's rate limit and out of the
// way of the clicks. It is plain Go: the wasm side gives it a fetch
// function and shows what it delivers.
package lookup

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/clock"
)

// Pacer is the widget's own model of the portal's leaky bucket (Bitrix24's
// documented REST limit: each request adds 1, the level drains 2/s, above
// 50 the portal refuses; every command inside a batch counts as a request).
// Lookups take units from it before they are sent, so they never lift the
// portal's level above Capacity: keep Capacity below the portal's burst, and
// the difference is left for the user's own clicks (pin all, unpin all) and
// other apps.
//
// The bucket is the portal's per source address: the other widgets of an
// office fill it too, and a refusal (QUERY_LIMIT_EXCEEDED) is the only sign
// of them. After one the lookups hold off for a jittered wait that grows
// with each refusal in a row, and then send one command to see whether the
// bucket has room, doubling from there: so names give way to the clicks of
// an office that is busy, and a busy office is not flooded with refused
// batches.
type Pacer struct {
	_ [0]func() // not comparable: no equality function in the wasm

	mu       sync.Mutex
	rate     float64 // units drained per second
	capacity float64
	level    float64
	last     time.Time

	until   time.Time // no lookups before this: the portal refused
	strikes int       // refusals in a row
	window  int       // the most units one Take gives; b24.MaxBatch when all is well
}

// The lookups' backoff after a refusal: the first wait, how it grows per
// refusal in a row, its ceiling, and the jitter (each wait is varied by
// up to this fraction either way, so the widgets of an office spread out).
const (
	backoffBase   = 30 * time.Second
	backoffGrowth = 2
	backoffMax    = 10 * time.Minute
	backoffJitter = 0.5
)

// NewPacer returns an empty bucket draining perSecond, holding capacity.
func NewPacer(perSecond float64, capacity int) *Pacer {
	return &Pacer{rate: perSecond, capacity: float64(max(capacity, 1)), last: time.Now(), window: b24.MaxBatch}
}

// take waits until at least least units fit under the capacity (and the
// backoff after a refusal has passed), then takes as many as fit, up to
// most, and returns how many it took. least is capped at most and at the
// capacity; after a refusal most is capped too, from 1 doubling with each
// batch that went through. A cancelled ctx returns its error, taking
// nothing.
func (p *Pacer) take(ctx context.Context, most, least int) (int, error) {
	if most <= 0 {
		return 0, ctx.Err()
	}
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		p.mu.Lock()
		p.drainLocked()
		most := min(most, p.window)
		least := max(1, min(least, most, int(p.capacity)))
		wait := time.Until(p.until)
		if free := int(p.capacity - p.level + 1e-9); wait <= 0 && free >= least {
			n := min(most, free)
			p.level += float64(n)
			p.mu.Unlock()
			return n, nil
		}
		missing := float64(least) - (p.capacity - p.level)
		wait = max(wait, time.Duration(missing/p.rate*float64(time.Second)))
		p.mu.Unlock()
		if err := clock.Real.Sleep(ctx, max(wait, time.Millisecond)); err != nil {
			return 0, err
		}
	}
}

// Refused tells the pacer the portal refused a request for the rate limit
// (a lookup's command, or the click's own call): the bucket is fuller than
// this model thought, so the model is marked full, and lookups hold off for
// a jittered wait that grows with each refusal in a row, then start again
// with one command.
func (p *Pacer) Refused() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drainLocked()
	p.level = p.capacity
	d := backoffBase
	for i := 0; i < p.strikes && d < backoffMax; i++ {
		d *= backoffGrowth
	}
	d = min(d, backoffMax)
	d = time.Duration(float64(d) * (1 + backoffJitter*(2*rand.Float64()-1)))
	if t := time.Now().Add(d); t.After(p.until) {
		p.until = t
	}
	p.strikes++
	p.window = 1
}

// accepted tells the pacer a batch went through without a refusal: the
// backoff forgets one refusal, and once it has forgotten them all the next
// batch may be twice as big. Forgetting one at a time keeps a widget of a
// busy office from coming back at full size on one lucky batch.
func (p *Pacer) accepted() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.strikes > 0 {
		p.strikes--
		return
	}
	p.window = min(p.window*2, b24.MaxBatch)
}

func (p *Pacer) drainLocked() {
	now := time.Now()
	if d := now.Sub(p.last).Seconds(); d > 0 {
		p.level = max(0, p.level-d*p.rate)
	}
	p.last = now
}
