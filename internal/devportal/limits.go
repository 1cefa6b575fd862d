package devportal

import (
	"sync"
	"time"
)

// bucket is the portal's leaky bucket: each request adds one, the level
// drains at rate per second, and a request that would lift it above burst is
// refused with 503 QUERY_LIMIT_EXCEEDED (and adds nothing).
type bucket struct {
	mu    sync.Mutex
	rate  float64
	burst float64
	level float64
	last  time.Time
	now   func() time.Time // time.Now; tests step a clock of their own
}

func newBucket(rate float64, burst int) *bucket {
	return &bucket{rate: rate, burst: float64(burst), last: time.Now(), now: time.Now}
}

func (b *bucket) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.level = max(0, b.level-now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.level+1 > b.burst {
		return false
	}
	b.level++
	return true
}

func (b *bucket) set(rate float64, burst int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rate, b.burst, b.level, b.last = rate, float64(burst), 0, b.now()
}

// operating tracks execution time per method over a sliding window (the real
// portal sums ten one-minute buckets); above budget a method is refused with
// 429 OPERATION_TIME_LIMIT until the oldest charge leaves the window.
type operating struct {
	mu      sync.Mutex
	budget  time.Duration
	window  time.Duration
	charges map[string][]charge
	now     func() time.Time // time.Now; tests step a clock of their own
}

type charge struct {
	at   time.Time
	cost time.Duration
}

func newOperating(budget, window time.Duration) *operating {
	return &operating{budget: budget, window: window, charges: map[string][]charge{}, now: time.Now}
}

// state returns the method's spent time in the window and when it resets.
func (o *operating) state(method string) (spent time.Duration, resetAt time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stateLocked(method, o.now())
}

func (o *operating) stateLocked(method string, now time.Time) (time.Duration, time.Time) {
	cs := o.charges[method]
	i := 0
	for i < len(cs) && now.Sub(cs[i].at) >= o.window {
		i++
	}
	cs = cs[i:]
	o.charges[method] = cs
	var spent time.Duration
	for _, c := range cs {
		spent += c.cost
	}
	reset := now.Add(o.window)
	if len(cs) > 0 {
		reset = cs[0].at.Add(o.window)
	}
	return spent, reset
}

// blocked reports whether the method has spent more than its budget.
func (o *operating) blocked(method string) (bool, time.Time) {
	spent, reset := o.state(method)
	return spent > o.budget, reset
}

func (o *operating) add(method string, cost time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.charges[method] = append(o.charges[method], charge{at: o.now(), cost: cost})
}

func (o *operating) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.charges = map[string][]charge{}
}
