package lookup

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
)

// The tests run in synctest bubbles: the pacer's waits pass on the bubble's
// clock, exactly and at once, and a loader stuck for good fails the test.

// waitTimeout bounds a wait for the loader, on the bubble's clock: longer
// than any pacing a test asks for.
const waitTimeout = time.Hour

// open is a pacer that has been named through without a refusal for a
// while: the names' rate is the portal's, their burst burstFor of it.
func open(capacity int) *Pacer {
	p := NewPacer(2, capacity, nil)
	p.rate, p.refused = p.top, true
	return p
}

// A fresh pacer starts small: a quarter of the portal's rate, a burst of a
// few seconds of it, whatever the capacity.
func TestPacerStartsSmall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(2, 10, nil)
		n, err := p.take(context.Background(), 50, 10)
		require.NoError(t, err)
		assert.Equal(t, 2, n, "2 units: 0.5/s for 5 s")
		start := time.Now()
		n, err = p.take(context.Background(), 50, 1)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		assert.InDelta(t, 1, time.Since(start).Seconds(), 0.01, "room for one more unit in 1 s at 0.5/s")
	})
}

// Each batch that goes through doubles the rate up to half the portal's,
// then adds a twentieth of itself, up to the portal's; the burst follows
// the rate up to the capacity.
func TestPacerGrows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(2, 10, nil)
		var rates []float64
		for range 17 {
			p.accepted()
			rates = append(rates, p.rate)
		}
		want := []float64{1, 1.05, 1.1025, 1.157625}
		assert.InDeltaSlice(t, want, rates[:4], 1e-9)
		assert.Less(t, rates[14], 2.0, "fifteen steps of a twentieth do not double it")
		assert.InDelta(t, 2, rates[15], 1e-9, "the sixteenth reaches the portal's rate")
		assert.InDelta(t, 2, rates[16], 1e-9, "and it stays there")

		time.Sleep(time.Minute)
		n, err := p.take(context.Background(), 50, 10)
		require.NoError(t, err)
		assert.Equal(t, 10, n, "the burst stops at the capacity")
		start := time.Now()
		for range 10 {
			_, err = p.take(context.Background(), 10, 10)
			require.NoError(t, err)
		}
		assert.InDelta(t, 50, time.Since(start).Seconds(), 0.01, "100 more units at the portal's 2/s")

		q := NewPacer(2, 45, nil)
		q.accepted() // 1/s: a 5-unit burst
		n, err = q.take(context.Background(), 50, 1)
		require.NoError(t, err)
		assert.Equal(t, 5, n, "the burst is 5 s of the rate, below the capacity")
	})
}

// A refusal marks the model full, cuts the rate to a thirty-second (to
// 1/384 of the portal's at least), and holds the names for backoffBase to
// four times it, growing with each refusal in a row; after it, one command, then twice as
// many with each batch once the refusals are forgotten. From then on the
// rate grows by steps only.
func TestPacerRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := open(45)
		p.Refused()
		assert.InDelta(t, 2.0/32, p.rate, 1e-9, "a thirty-second")
		before := time.Now()
		n, err := p.take(ctx, 50, 10)
		require.NoError(t, err)
		assert.Equal(t, 1, n, "after a refusal: one command")
		waited := time.Since(before)
		assert.GreaterOrEqual(t, waited, backoffBase, "the backoff, jittered")
		assert.LessOrEqual(t, waited, 4*backoffBase, "drawn from a range three times as wide as the wait")

		p.accepted() // forgets the refusal
		assert.InDelta(t, 2.0/32*1.05, p.rate, 1e-9, "a step, not a doubling, once refused")
		n, err = p.take(ctx, 50, 10)
		require.NoError(t, err)
		assert.Equal(t, 1, n, "still one while it remembered a refusal")
		p.accepted()
		p.mu.Lock()
		p.rate = p.top // a burst of several units: only the window limits the take
		p.mu.Unlock()
		n, err = p.take(ctx, 50, 2)
		require.NoError(t, err)
		assert.Equal(t, 2, n, "then twice as many")

		p.Refused()
		p.Refused() // a second refusal in a row waits longer
		before = time.Now()
		_, err = p.take(ctx, 1, 1)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(before), backoffBase*2)

		for range 20 {
			p.Refused()
		}
		assert.InDelta(t, 2.0/384, p.rate, 1e-9, "never below 1/384 of the portal's: 300 widgets at it ask less than the bucket drains")
		before = time.Now()
		_, err = p.take(ctx, 1, 1)
		require.NoError(t, err)
		assert.LessOrEqual(t, time.Since(before), backoffMax*4, "the backoff's ceiling")
		assert.GreaterOrEqual(t, time.Since(before), backoffMax)

		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		n, err = p.take(cancelled, 1, 1)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Zero(t, n)
	})
}

// The holds are drawn from the pacer's source: after an action, afterAction
// and r of afterJitter; after a refusal, d and r of 3d, d doubling with each
// refusal in a row. So the widgets of an office that were refused together
// come back spread over a range three times as wide as the wait itself.
func TestPacerHoldsDrawnFromItsSource(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		for _, r := range []float64{0, 0.5, 0.99} {
			p := NewPacer(2, 10, func() float64 { return r })
			p.Yield()
			start := time.Now()
			_, err := p.take(ctx, 1, 1)
			require.NoError(t, err)
			assert.Equal(t, afterAction+time.Duration(r*float64(afterJitter)), time.Since(start), "after an action, r = %v", r)

			for i, d := range []time.Duration{backoffBase, 2 * backoffBase, backoffMax, backoffMax} {
				p.Refused()
				start = time.Now()
				_, err = p.take(ctx, 1, 1)
				require.NoError(t, err)
				assert.Equal(t, d+time.Duration(r*3*float64(d)), time.Since(start), "refusal %d in a row, r = %v", i+1, r)
			}
		}
	})
}

// Yield holds the names afterAction, up to afterJitter more, and never
// shortens a longer hold.
func TestPacerYield(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		for range 20 {
			p := open(10)
			p.Yield()
			before := time.Now()
			_, err := p.take(ctx, 1, 1)
			require.NoError(t, err)
			waited := time.Since(before)
			assert.GreaterOrEqual(t, waited, afterAction)
			assert.LessOrEqual(t, waited, afterAction+afterJitter)
		}
		p := open(10)
		p.Refused()
		p.Yield()
		before := time.Now()
		_, err := p.take(ctx, 1, 1)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(before), backoffBase, "the refusal's hold stands")
	})
}

// A take that waits for the drain sleeps until the very instant a unit is
// free, once: it does not poll (a page's lookups waiting minutes for the
// office's bucket would keep its CPU busy). 0.75/s: a quarter of a unit
// missing is 333,333,333 ns away, no whole millisecond.
func TestPacerWakesWhenAUnitIsFree(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := NewPacer(3, 10, nil) // 0.75/s, a burst of 3.75 units
		n, err := p.take(ctx, 10, 1)
		require.NoError(t, err)
		require.Equal(t, 3, n)
		start := time.Now()
		n, err = p.take(ctx, 1, 1)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		assert.Equal(t, 333333333*time.Nanosecond, time.Since(start))
	})
}

// A hold ends at its instant, and a take of nothing returns at once, hold
// or not.
func TestPacerHoldEndsOnTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := open(10)
		p.mu.Lock()
		p.until = time.Now().Add(5 * time.Second)
		p.mu.Unlock()
		start := time.Now()
		n, err := p.take(ctx, 1, 1)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		assert.Equal(t, 5*time.Second, time.Since(start), "not a moment later")

		p.Refused()
		start = time.Now()
		n, err = p.take(ctx, 0, 0)
		require.NoError(t, err)
		assert.Zero(t, n)
		assert.Zero(t, time.Since(start), "nothing to wait for")
	})
}

// portal is a fake Fetch: chat 1000+id, with the sessions in refused
// failing, and the calls recorded.
type portal struct {
	mu      sync.Mutex
	calls   [][]int64
	refused map[int64]error
	whole   []error // errors for the next calls, one each
}

func (p *portal) fetch(ctx context.Context, ids []int64) (map[int64]b24.Dialog, map[int64]error, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, append([]int64(nil), ids...))
	found, failed := map[int64]b24.Dialog{}, map[int64]error{}
	if len(p.whole) > 0 {
		err := p.whole[0]
		p.whole = p.whole[1:]
		if err != nil {
			for _, id := range ids {
				failed[id] = err
			}
			return found, failed, err
		}
	}
	for _, id := range ids {
		if e := p.refused[id]; e != nil {
			failed[id] = e
			if errors.Is(e, b24.ErrQueryLimit) {
				delete(p.refused, id) // refused once for the limit
			}
			continue
		}
		found[id] = b24.Dialog{ID: 1000 + id, Name: "Customer"}
	}
	return found, failed, nil
}

func (p *portal) sizes() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var s []int
	for _, c := range p.calls {
		s = append(s, len(c))
	}
	return s
}

func seq(n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	return ids
}

// running is a loader under test: what it shows, when it waits, how it ends.
type running struct {
	shown chan Batch
	still chan int // the rows wanted (all sent) each time Run is still
	done  chan error
}

// run starts the loader and collects what it shows.
func run(t *testing.T, l *Loader) (r running, cancel func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r = running{shown: make(chan Batch, 1000), still: make(chan int, 1000), done: make(chan error, 1)}
	l.show = func(b Batch) { r.shown <- b }
	// Still, nothing is left to send: r.still gets how many rows the loader
	// has sent. A test's own OnStill is kept, and runs first.
	own := l.still
	l.OnStill(func() {
		if own != nil {
			own()
		}
		l.mu.Lock()
		sent := l.next
		l.mu.Unlock()
		r.still <- sent
	})
	go func() { r.done <- l.Run(ctx) }()
	t.Cleanup(cancel)
	return r, cancel
}

func collect(t *testing.T, shown chan Batch, rows int) (found map[int64]b24.Dialog, failed map[int64]error) {
	t.Helper()
	found, failed = map[int64]b24.Dialog{}, map[int64]error{}
	for len(found)+len(failed) < rows {
		select {
		case b := <-shown:
			for id, d := range b.Found {
				found[id] = d
			}
			for id, e := range b.Failed {
				failed[id] = e
			}
		case <-time.After(waitTimeout):
			t.Fatalf("only %d of %d rows shown", len(found)+len(failed), rows)
		}
	}
	return found, failed
}

// quiet checks that nothing more is shown before the loader, with the
// first sent rows looked up, waits for more to be wanted.
func quiet(t *testing.T, r running, sent int) {
	t.Helper()
	for {
		select {
		case b := <-r.shown:
			t.Fatalf("unexpected lookup shown: %+v", b)
		case n := <-r.still:
			if n == sent {
				return
			}
		case err := <-r.done:
			t.Fatalf("Run ended (%v) while rows were left", err)
		case <-time.After(waitTimeout):
			t.Fatalf("the loader never waited with %d rows sent", sent)
		}
	}
}

// stopped checks that Run has ended and shows nothing more.
func stopped(t *testing.T, r running) {
	t.Helper()
	select {
	case err := <-r.done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(waitTimeout):
		t.Fatal("Run did not end")
	}
	select {
	case b := <-r.shown:
		t.Fatalf("shown after Run ended: %+v", b)
	default:
	}
}

func TestLoaderCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The calls for results of 2, 50, 51 and 10,000 sessions, before anyone
		// scrolls: the first page only, in bursts of the names' 10.
		for _, c := range []struct {
			n     int
			sizes []int
		}{{2, []int{2}}, {50, []int{10, 10, 10, 10, 10}}, {51, []int{10, 10, 10, 10, 10}}, {10_000, []int{10, 10, 10, 10, 10}}} {
			p := &portal{}
			pacer := open(45)
			l := NewLoader(seq(c.n), p.fetch, pacer, nil)
			r, _ := run(t, l)
			found, _ := collect(t, r.shown, min(c.n, page))
			assert.Len(t, found, min(c.n, page))
			if c.n <= page {
				require.NoError(t, <-r.done, "all rows looked up: Run ends")
			} else {
				quiet(t, r, page)
			}
			assert.Equal(t, c.sizes, p.sizes(), "%d sessions", c.n)
		}
	})
}

func TestLoaderMore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &portal{}
		pacer := open(45)
		start := time.Now()
		l := NewLoader(seq(10_000), p.fetch, pacer, nil)
		r, cancel := run(t, l)
		collect(t, r.shown, 50)
		quiet(t, r, 50) // Run waits for more: the More below wakes it

		l.More()
		assert.Equal(t, 100, l.Wanted())
		found, _ := collect(t, r.shown, 50)
		for id := int64(51); id <= 100; id++ {
			assert.Contains(t, found, id)
		}
		assert.Equal(t, []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, p.sizes(), "paced: 10 at a time")
		assert.InDelta(t, 45, time.Since(start).Seconds(), 0.1, "100 lookups at 2/s after a burst of 10")
		quiet(t, r, 100)
		l.wantRows(100) // nothing new wanted: Run is not woken
		synctest.Wait()
		assert.Empty(t, r.still, "not still again: it never stopped being still")

		l.wantRows(120) // a row further down scrolled into view
		collect(t, r.shown, 20)
		l.wantRows(90) // never shrinks
		assert.Equal(t, 120, l.Wanted())

		cancel()
		l.More()
		stopped(t, r)
	})
}

func TestLoaderRefusedRow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &portal{refused: map[int64]error{2: &b24.APIError{Code: "ACCESS_ERROR"}}}
		pacer := open(45)
		r, _ := run(t, NewLoader(seq(3), p.fetch, pacer, nil))
		found, failed := collect(t, r.shown, 3)
		require.NoError(t, <-r.done)
		assert.Len(t, found, 2)
		assert.ErrorIs(t, failed[2], b24.ErrAccessError)
		assert.Len(t, p.calls, 1, "a refused row is not asked again")
	})
}

func TestLoaderWholeBatchFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boom := &b24.APIError{Code: "INTERNAL_SERVER_ERROR"}
		p := &portal{whole: []error{boom}}
		pacer := open(45)
		l := NewLoader(seq(120), p.fetch, pacer, nil)
		r, _ := run(t, l)

		b := <-r.shown
		assert.ErrorIs(t, b.Err, boom)
		assert.Len(t, b.Failed, 10, "every row of the failed call keeps a reason")
		assert.Empty(t, b.Found)
		found, _ := collect(t, r.shown, 40)
		assert.Len(t, found, 40, "the loader goes on with the next rows")
		quiet(t, r, page)
		assert.Len(t, p.calls, 5, "a failed call is not repeated")
	})
}

func TestLoaderRetriesRateLimitedCommands(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &portal{refused: map[int64]error{1: &b24.APIError{Code: "QUERY_LIMIT_EXCEEDED"}}}
		pacer := open(45)
		start := time.Now()
		r, _ := run(t, NewLoader(seq(3), p.fetch, pacer, nil))
		found, failed := collect(t, r.shown, 3)
		require.NoError(t, <-r.done)
		assert.Len(t, found, 3, "the limited command succeeded on its second try")
		assert.Empty(t, failed)
		require.Len(t, p.calls, 2)
		assert.Equal(t, []int64{1}, p.calls[1])
		assert.GreaterOrEqual(t, time.Since(start), backoffBase/2, "the retry waits out the backoff")
	})
}

// A call refused whole for the rate limit holds the names, even from a
// fetch that names no row in failed.
func TestLoaderWholeCallRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &portal{}
		var at []time.Duration
		start := time.Now()
		fetch := func(ctx context.Context, ids []int64) (map[int64]b24.Dialog, map[int64]error, error) {
			at = append(at, time.Since(start))
			if len(at) == 1 {
				return nil, nil, &b24.APIError{Code: "QUERY_LIMIT_EXCEEDED"}
			}
			return p.fetch(ctx, ids)
		}
		r, _ := run(t, NewLoader(seq(3), fetch, open(45), nil))
		found, failed := collect(t, r.shown, 3)
		require.NoError(t, <-r.done)
		assert.Len(t, found, 3, "tried again, named")
		assert.Empty(t, failed)
		require.GreaterOrEqual(t, len(at), 2)
		assert.GreaterOrEqual(t, at[1], backoffBase/2, "the pacer heard the refusal")
	})
}

// A command refused for the rate limit is tried until it goes through, each
// wait longer than the last (jittered), each try one command: every row is
// named in the end, and a busy office gets one refused command a try.
func TestLoaderNeverGivesUpOnTheRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		limit := &b24.APIError{Code: "QUERY_LIMIT_EXCEEDED"}
		p := &portal{}
		var at []time.Duration
		start := time.Now()
		fetch := func(ctx context.Context, ids []int64) (map[int64]b24.Dialog, map[int64]error, error) {
			at = append(at, time.Since(start))
			if len(at) <= 5 {
				p.mu.Lock()
				p.calls = append(p.calls, ids)
				p.mu.Unlock()
				failed := map[int64]error{}
				for _, id := range ids {
					failed[id] = limit
				}
				return nil, failed, nil
			}
			return p.fetch(ctx, ids)
		}
		r, _ := run(t, NewLoader(seq(20), fetch, open(45), nil))
		found, failed := collect(t, r.shown, 20)
		require.NoError(t, <-r.done)
		assert.Len(t, found, 20, "named in the end")
		assert.Empty(t, failed)
		sizes := p.sizes()
		assert.Equal(t, []int{10, 1, 1, 1, 1}, sizes[:5], "after a refusal, one command a try")
		assert.Equal(t, slices.Repeat([]int{1}, 20), sizes[5:],
			"then one at a time: the rate, cut to a thirty-second five times, is at its least, a burst below two units")
		// Each command that goes through lifts the rate a step: the gaps shrink.
		for i := 7; i < len(at); i++ {
			assert.Less(t, at[i]-at[i-1], at[i-1]-at[i-2], "gap %d, of %v", i, at)
		}
		assert.InDelta(t, 192/1.05, (at[6] - at[5]).Seconds(), 0.01, "a unit in 192 s at the least rate, a step up")
		wait := backoffBase
		for i := 1; i < 6; i++ {
			assert.GreaterOrEqual(t, at[i]-at[i-1], wait, "wait %d, of %v", i, at)
			assert.LessOrEqual(t, at[i]-at[i-1], 4*wait, "wait %d, of %v", i, at)
			wait = min(wait*backoffGrowth, backoffMax)
		}
	})
}

// One refused for the operating-time budget is given up after maxTries.
func TestLoaderGivesUpOnAnOperatingTimeLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		limit := &b24.APIError{Code: "OPERATION_TIME_LIMIT"}
		p := &portal{}
		fetch := func(ctx context.Context, ids []int64) (map[int64]b24.Dialog, map[int64]error, error) {
			p.fetch(ctx, ids)
			return nil, map[int64]error{ids[0]: limit}, nil
		}
		pacer := open(45)
		r, _ := run(t, NewLoader(seq(1), fetch, pacer, nil))
		_, failed := collect(t, r.shown, 1)
		require.NoError(t, <-r.done)
		assert.ErrorIs(t, failed[1], b24.ErrOperationTimeLimit)
		assert.Len(t, p.calls, maxTries)
	})
}

func TestLoaderCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := make(chan struct{})
		fetch := func(ctx context.Context, ids []int64) (map[int64]b24.Dialog, map[int64]error, error) {
			close(gate)
			<-ctx.Done()
			return nil, nil, ctx.Err()
		}
		pacer := open(45)
		r, cancel := run(t, NewLoader(seq(3), fetch, pacer, nil))
		<-gate
		cancel()
		stopped(t, r)
	})
}

// OnStill fires when the wanted rows are looked up and the loader waits for
// wantRows, and when every row is: never while a wanted row is left to send.
func TestOnStill(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pacer := open(50)
		p := &portal{}
		l := NewLoader(seq(70), p.fetch, pacer, nil)
		still := make(chan bool, 10)
		l.OnStill(func() { still <- l.Still() })
		r, _ := run(t, l)
		next := func() bool {
			t.Helper()
			select {
			case s := <-still:
				return s
			case <-time.After(waitTimeout):
				t.Fatal("the loader never went still")
				return false
			}
		}
		assert.True(t, next(), "the first page is looked up")
		_, _ = collect(t, r.shown, page)
		assert.Equal(t, []int{10, 10, 10, 10, 10}, p.sizes(), "still only once the page was shown")
		l.More()
		assert.True(t, next(), "every row looked up")
		_, _ = collect(t, r.shown, 20)
		require.NoError(t, <-r.done)
		assert.Empty(t, still, "not still between the batches of the last 20 rows")
	})
}
