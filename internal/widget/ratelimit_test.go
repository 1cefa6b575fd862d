//go:build !js

package widget

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/view"
)

// limitedThen answers QUERY_LIMIT_EXCEEDED to the first n calls, then body.
func limitedThen(n int32, body string) http.HandlerFunc {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			replyError(503, "QUERY_LIMIT_EXCEEDED")(w, r)
			return
		}
		writeJSON(w, 200, body)
	}
}

// The state machine under the portal's "slow down", in a bubble: busy, then
// waiting with a countdown and Stop, then done with the one pin that went
// through; the names of its rows wait for the office's bucket.
func TestClickWaitsOutTheRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := setup(t, "DEFAULT", "")
		pinAll := limitedThen(3, ids(1652, 2))
		var during []string // the status line as each try arrives
		var at []time.Time  // when each try arrives
		e.handle(b24.MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
			e.page.read(func() { during = append(during, e.page.status) })
			at = append(at, time.Now())
			pinAll(w, r)
		})
		e.handle(b24.MethodBatch, batchDialogs(e))
		e.start()

		e.page.click(t, "pin-all")
		synctest.Wait()
		e.page.read(func() {
			assert.Equal(t, view.Busy, e.page.state, "still the click's")
			assert.Regexp(t, `^The portal is busy: too many requests are coming from your office at once\. Your click is not lost: trying again in [34] seconds\.$`, e.page.status)
			assert.Equal(t, "Stop", e.page.stop, "Stop is offered")
			assert.True(t, e.page.actionsOn)
		})
		// The countdown goes down a second at a time, the waits growing.
		seen := map[string]bool{}
		for e.page.State() == view.Busy {
			e.page.read(func() { seen[e.page.status] = true })
			time.Sleep(100 * time.Millisecond)
		}
		assert.True(t, seen["The portal is busy: too many requests are coming from your office at once. Your click is not lost: trying again in 1 second."])
		for status := range seen {
			assert.NotContains(t, status, "in 0 seconds", "the try goes out when the count reaches 0")
		}
		assert.Equal(t, []string{"Pinning your conversations…", "Pinning your conversations…", "Pinning your conversations…", "Pinning your conversations…"},
			during, "each try says what it does")

		e.page.read(func() {
			assert.Equal(t, view.Done, e.page.state)
			assert.Equal(t, "Pinned 2 conversations. They stay with you.", e.page.status)
			assert.Empty(t, e.page.stop, "Stop is gone")
			assert.Empty(t, e.page.errText)
		})
		assert.Equal(t, 4, e.count(b24.MethodPinAll), "three refusals, one pin: none lost, none twice")
		// A short wait, then longer ones: 3-4 s, 24-56 s, 48-80 s.
		require.Len(t, at, 4)
		for i, want := range [][2]time.Duration{{3 * time.Second, 4 * time.Second}, {24 * time.Second, 56 * time.Second}, {48 * time.Second, 80 * time.Second}} {
			gap := at[i+1].Sub(at[i])
			assert.True(t, gap >= want[0] && gap <= want[1], "wait %d: %v, want %v to %v", i+1, gap, want[0], want[1])
		}

		synctest.Wait()
		assert.Zero(t, e.count(b24.MethodBatch), "names wait: the office's bucket was full a moment ago")
		time.Sleep(45 * time.Minute) // more than the lookups' longest backoff, and a unit at their least rate
		e.page.read(func() { assert.Len(t, e.page.rows, 2, "then the names come") })
	})
}

// Stop ends the wait: nothing was changed, the words say so, the buttons
// work again.
func TestStopEndsTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := setup(t, "DEFAULT", "")
		e.handle(b24.MethodPinAll, limitedThen(1, `{"result":[]}`))
		e.start()

		e.page.click(t, "pin-all")
		synctest.Wait()
		require.Equal(t, "Stop", e.page.stop)
		e.page.click(t, "stop")
		synctest.Wait()
		e.page.read(func() {
			assert.Equal(t, view.Error, e.page.state)
			assert.Equal(t, "Stopped. Nothing was changed; try again in a few minutes.", e.page.errText)
			assert.Empty(t, e.page.status)
			assert.Empty(t, e.page.stop)
			assert.True(t, e.page.actionsOn)
		})
		time.Sleep(time.Minute)
		assert.Equal(t, 1, e.count(b24.MethodPinAll), "no try after Stop")
		e.page.click(t, "stop") // nothing to stop
		synctest.Wait()
		assert.Equal(t, view.Error, e.page.State())

		e.page.click(t, "pin-all")
		synctest.Wait()
		e.page.read(func() {
			assert.Equal(t, view.Done, e.page.state, "the next click works")
			assert.Empty(t, e.page.errText)
		})
	})
}

// Stop pressed while a try is out never loses it: the try that went
// through is shown as done.
func TestStopDuringATryKeepsWhatItDid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := setup(t, "DEFAULT", "")
		refused := limitedThen(1, ids(7, 1))
		arrived, release := make(chan struct{}), make(chan struct{})
		var calls atomic.Int32
		e.handle(b24.MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 2 {
				close(arrived)
				<-release
			}
			refused(w, r)
		})
		e.handle(b24.MethodBatch, batchDialogs(e))
		e.start()

		e.page.click(t, "pin-all")
		<-arrived // the second try is at the portal
		e.page.click(t, "stop")
		close(release)
		synctest.Wait()
		e.page.read(func() {
			assert.Equal(t, view.Done, e.page.state)
			assert.Equal(t, []int64{7}, e.page.sessions)
			assert.Empty(t, e.page.stop)
		})
	})
}

// Any other refusal ends the click at once with its own words: no wait, no
// Stop.
func TestOtherRefusalsEndAtOnce(t *testing.T) {
	for _, code := range []string{"OVERLOAD_LIMIT", "INTERNAL_SERVER_ERROR"} {
		t.Run(code, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := setup(t, "DEFAULT", "")
				e.handle(b24.MethodPinAll, replyError(503, code))
				e.start()
				start := time.Now()
				e.page.click(t, "pin-all")
				synctest.Wait()
				assert.Zero(t, time.Since(start), "no wait")
				e.page.read(func() {
					assert.Equal(t, view.Error, e.page.state)
					assert.NotContains(t, e.page.errText, "trying again")
					assert.NotEmpty(t, e.page.errText)
					assert.Empty(t, e.page.stop)
				})
				assert.Equal(t, 1, e.count(b24.MethodPinAll))
			})
		})
	}
}

// A quiet portal: the click's one call, no wait; the names after a
// moment that leaves the bucket to the office's other clicks.
func TestQuietPortalNoWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := setup(t, "DEFAULT", "")
		e.handle(b24.MethodPinAll, reply(ids(1, 3)))
		e.handle(b24.MethodBatch, batchDialogs(e))
		e.start()
		start := time.Now()
		e.page.click(t, "pin-all")
		synctest.Wait()
		assert.Zero(t, time.Since(start))
		e.page.read(func() {
			assert.Equal(t, view.Done, e.page.state)
			assert.Empty(t, e.page.rows, "the names wait a moment")
		})
		assert.Zero(t, e.count(b24.MethodBatch))
		time.Sleep(1900 * time.Millisecond)
		synctest.Wait()
		assert.Zero(t, e.count(b24.MethodBatch), "2 s at least")
		time.Sleep(4 * time.Second)
		synctest.Wait()
		e.page.read(func() { assert.Len(t, e.page.rows, 3, "named within 4 s and a second (a burst of 2, then 1/s)") })
	})
}

// A click refused once tries again within seconds; refused again, it is in
// a crowd, and its waits widen and move up with each refusal in a row, to a
// last range it keeps: no wait is longer than its range's top, so no click
// waits past it once the bucket has room.
func TestClickBackoff(t *testing.T) {
	for _, c := range []struct {
		n    int
		r    float64
		want time.Duration
		why  string
	}{
		{0, 0, 4 * time.Second, "the first: 3-4 s"},
		{0, 0.5, 3500 * time.Millisecond, ""},
		{0, 0.999999, 3 * time.Second, ""},
		{1, 0, 56 * time.Second, "a second refusal: a crowd, 24-56 s"},
		{1, 0.5, 40 * time.Second, ""},
		{1, 0.999999, 24 * time.Second, ""},
		{2, 0, 80 * time.Second, "a third: a larger crowd, 48-80 s"},
		{2, 0.5, 64 * time.Second, ""},
		{2, 0.999999, 48 * time.Second, ""},
		{50, 0, 80 * time.Second, "and no longer"},
		{50, 0.999999, 48 * time.Second, ""},
	} {
		assert.InDelta(t, c.want.Seconds(), clickBackoff(c.n, c.r).Seconds(), 0.0001, "after refusal %d, r = %v: %s", c.n+1, c.r, c.why)
	}
}

// A portal that keeps saying "slow down": the click keeps trying, each wait
// in its refusal's range, the status line saying from the start of each
// wait when the next try is, and the click is done with the one pin that
// went through.
func TestClickWaitsWidenAndSayWhen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := setup(t, "DEFAULT", "")
		pinAll := limitedThen(6, ids(7, 1))
		var at []time.Time
		e.handle(b24.MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
			at = append(at, time.Now())
			pinAll(w, r)
		})
		e.handle(b24.MethodBatch, batchDialogs(e))
		e.start()

		e.page.click(t, "pin-all")
		for e.page.State() == view.Busy {
			time.Sleep(time.Second)
		}
		e.page.read(func() {
			assert.Equal(t, view.Done, e.page.state)
			assert.Equal(t, []int64{7}, e.page.sessions)
		})
		require.Len(t, at, 7, "six refusals, one pin: none lost, none twice")

		// The first number of each countdown: the status after each try's
		// words.
		var counts []int
		busy := "Pinning your conversations…"
		e.page.read(func() {
			for i, s := range e.page.statuses[1:] {
				if e.page.statuses[i] != busy {
					continue
				}
				var n int
				if _, err := fmt.Sscanf(s[strings.LastIndex(s, " in ")+4:], "%d", &n); err == nil {
					counts = append(counts, n)
				}
			}
		})
		require.Len(t, counts, 6, "a countdown after each refusal")
		ranges := [][2]time.Duration{{3 * time.Second, 4 * time.Second}, {24 * time.Second, 56 * time.Second}}
		for i := range 6 {
			want := ranges[min(i, 1)]
			if i >= 2 {
				want = [2]time.Duration{48 * time.Second, 80 * time.Second}
			}
			gap := at[i+1].Sub(at[i])
			assert.True(t, gap >= want[0] && gap <= want[1], "wait %d: %v, want %v to %v", i+1, gap, want[0], want[1])
			assert.Equal(t, int((gap+time.Second-1)/time.Second), counts[i], "wait %d of %v: the count starts at its length", i+1, gap)
		}
	})
}
