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
// Lookups take units from it before they are sent.
//
// The bucket is the portal's per source address: the other widgets of an
// office fill it too, they cannot be seen, and a refusal
// (QUERY_LIMIT_EXCEEDED) is the only sign of them. So the names never take
// the bucket's top, and they give way to the clicks:
//   - after the widget's own action they hold off a moment (Yield): the
//     office's other operators are likely clicking too;
//   - they drain at a rate of their own, from a quarter of the portal's,
//     doubling with each batch that went through up to half of it; once
//     refused, growing by a twentieth a batch only, and each refusal cuts
//     it to a thirty-second, down to below what each of 300 widgets sharing
//     the bucket would get: the names of many widgets share what the clicks
//     leave, none of them sure it is alone, and one refusal must bring a
//     widget near its share of a crowd, for each refusal is a request the
//     portal turned away;
//   - their burst is a few seconds of that rate, never more than capacity:
//     a widget that starts with the office does not grab the bucket's room;
//   - after a refusal they hold off for a wait longer than a crowd of
//     clicks lasts, growing with each refusal in a row and drawn from a
//     range three times as wide as itself, so the widgets refused together
//     come back apart and few of them name at once; then one command, to
//     see whether the bucket has room, doubling from there.
type Pacer struct {
	_ [0]func() // not comparable: no equality function in the wasm

	rand func() float64 // the jitter's source, uniform in [0, 1)

	mu       sync.Mutex
	top      float64 // the portal's drain: the names' rate never passes it
	rate     float64 // the names' own drain, units a second
	capacity float64 // the most units the names hold at once
	level    float64
	last     time.Time

	until   time.Time // no lookups before this: an action, or a refusal
	strikes int       // refusals in a row
	window  int       // the most units one take gives; b24.MaxBatch when all is well
	refused bool      // the portal refused once: the rate grows by steps only
}

// The names' rate, as shares of the portal's: where it starts, how far it
// doubles, what it grows by a batch after that or after a refusal, what a
// refusal cuts it by, and the least it comes down to. Their burst is
// burstFor of it.
const (
	startShare = 0.25
	slowShare  = 0.5
	stepGrowth = 1.05
	refusalCut = 32
	leastShare = 1.0 / 384
	burstFor   = 5 * time.Second
)

// The hold after the widget's own action: afterAction, and up to
// afterJitter more, so an office's widgets do not start naming together.
const (
	afterAction = 2 * time.Second
	afterJitter = 2 * time.Second
)

// The lookups' backoff after a refusal: the first wait (longer than the
// clicks of an office of 300 take to get through, so the clicks that wait
// come first), how it grows per refusal in a row, and its ceiling. Each
// wait is drawn from d to (1+backoffSpread)d, so the widgets of an office
// spread out.
const (
	backoffBase   = 3 * time.Minute
	backoffGrowth = 2
	backoffMax    = 10 * time.Minute
	backoffSpread = 3
)

// NewPacer returns the names' empty bucket beside a portal draining
// perSecond: it holds at most capacity units. rnd is the jitter's source,
// uniform in [0, 1) and safe for concurrent use; nil: math/rand/v2's.
func NewPacer(perSecond float64, capacity int, rnd func() float64) *Pacer {
	if rnd == nil {
		rnd = rand.Float64
	}
	return &Pacer{rand: rnd, top: perSecond, rate: perSecond * startShare, capacity: float64(max(capacity, 1)),
		last: time.Now(), window: b24.MaxBatch}
}

// take waits until at least least units fit in the names' burst (and the
// hold after an action or a refusal has passed), then takes as many as fit,
// up to most, and returns how many it took. least is capped at most and at
// the burst; after a refusal most is capped too, from 1 doubling with each
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
		burst := p.burstLocked()
		most := min(most, p.window)
		least := max(1, min(least, most, int(burst)))
		wait := time.Until(p.until)
		if free := int(burst - p.level + 1e-9); wait <= 0 && free >= least {
			n := min(most, free)
			p.level += float64(n)
			p.mu.Unlock()
			return n, nil
		}
		missing := float64(least) - (burst - p.level)
		wait = max(wait, time.Duration(missing/p.rate*float64(time.Second)))
		p.mu.Unlock()
		if err := clock.Real.Sleep(ctx, max(wait, time.Millisecond)); err != nil {
			return 0, err
		}
	}
}

// Yield tells the pacer the widget's own action went through: the names
// hold off a moment, leaving the bucket to the clicks of the others.
func (p *Pacer) Yield() {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := afterAction + time.Duration(p.rand()*float64(afterJitter))
	if t := time.Now().Add(d); t.After(p.until) {
		p.until = t
	}
}

// Refused tells the pacer the portal refused a request for the rate limit
// (a lookup's command, or the click's own call): the bucket is fuller than
// this model thought, so the model is marked full, the names' rate drops to
// a thirty-second, and lookups hold off for a jittered wait that grows with each
// refusal in a row, then start again with one command.
func (p *Pacer) Refused() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drainLocked()
	p.refused = true
	p.rate = max(p.rate/refusalCut, p.top*leastShare)
	p.level = p.burstLocked()
	d := backoffBase
	for i := 0; i < p.strikes && d < backoffMax; i++ {
		d *= backoffGrowth
	}
	d = min(d, backoffMax)
	d += time.Duration(p.rand() * backoffSpread * float64(d))
	if t := time.Now().Add(d); t.After(p.until) {
		p.until = t
	}
	p.strikes++
	p.window = 1
}

// accepted tells the pacer a batch went through without a refusal: the
// names' rate grows, the backoff forgets one refusal, and once it has
// forgotten them all the next batch may be twice as big. Forgetting one at
// a time keeps a widget of a busy office from coming back at full size on
// one lucky batch.
func (p *Pacer) accepted() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drainLocked()
	if p.refused || p.rate >= p.top*slowShare {
		p.rate = min(p.rate*stepGrowth, p.top)
	} else {
		p.rate = min(p.rate*2, p.top*slowShare)
	}
	if p.strikes > 0 {
		p.strikes--
		return
	}
	p.window = min(p.window*2, b24.MaxBatch)
}

// burstLocked is what the names may hold now: burstFor of their rate, at
// least one unit, at most the capacity.
func (p *Pacer) burstLocked() float64 {
	return min(max(p.rate*burstFor.Seconds(), 1), p.capacity)
}

func (p *Pacer) drainLocked() {
	now := time.Now()
	if d := now.Sub(p.last).Seconds(); d > 0 {
		p.level = max(0, p.level-d*p.rate)
	}
	p.last = now
}
