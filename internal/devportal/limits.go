package devportal

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pinall/pinall/internal/clock"
)

// buckets are the portal's leaky buckets, one per source IP, as Bitrix24
// counts them: every widget of an office behind one address shares one.
// Each request adds one, the level drains at rate per second, and a request
// that would lift it above burst is refused with 503 QUERY_LIMIT_EXCEEDED
// (and adds nothing).
type buckets struct {
	mu    sync.Mutex
	clock clock.Clock
	rate  float64
	burst float64
	by    map[string]*bucket // by source IP
}

type bucket struct {
	level float64
	last  time.Time
}

func newBuckets(rate float64, burst int, c clock.Clock) *buckets {
	return &buckets{clock: c, rate: rate, burst: float64(burst), by: map[string]*bucket{}}
}

// take adds one request from ip to its bucket, or reports that it is full.
func (b *buckets) take(ip string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	k := b.by[ip]
	if k == nil {
		k = &bucket{last: now}
		b.by[ip] = k
	}
	k.level = max(0, k.level-now.Sub(k.last).Seconds()*b.rate)
	k.last = now
	if k.level+1 > b.burst {
		return false
	}
	k.level++
	return true
}

// set changes the limit and empties every bucket.
func (b *buckets) set(rate float64, burst int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rate, b.burst, b.by = rate, float64(burst), map[string]*bucket{}
}

// sourceIP is the address a request came from, without its port.
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// operating tracks execution time per method over a sliding window (the real
// portal sums ten one-minute buckets); above budget a method is refused with
// 429 OPERATION_TIME_LIMIT until the oldest charge leaves the window.
type operating struct {
	mu      sync.Mutex
	budget  time.Duration
	window  time.Duration
	charges map[string][]charge
	clock   clock.Clock
}

type charge struct {
	at   time.Time
	cost time.Duration
}

func newOperating(budget, window time.Duration, c clock.Clock) *operating {
	return &operating{budget: budget, window: window, charges: map[string][]charge{}, clock: c}
}

// state returns the method's spent time in the window and when it resets.
func (o *operating) state(method string) (spent time.Duration, resetAt time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stateLocked(method, o.clock.Now())
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
	o.charges[method] = append(o.charges[method], charge{at: o.clock.Now(), cost: cost})
}

func (o *operating) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.charges = map[string][]charge{}
}
