//go:build js && wasm

package frame

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/jsutil"
)

// Fits asked for while a resize is in flight fold into one more round, and
// the frame ends at the content's last height. The test sees what the
// portal sees: the resizeWindow messages, and when the fitter measured.
func TestFitterSendsOneAtATimeAndEndsOnTheLastHeight(t *testing.T) {
	p := newFakeParent(t, portal)
	f := openTest(t)
	var h, measured atomic.Int64
	h.Store(100)
	f.FitTo(func() (int, error) {
		measured.Add(1)
		return int(h.Load()), nil
	})
	resizes := func() []sent {
		var r []sent
		for _, s := range p.messages() {
			if s.cmd == "resizeWindow" {
				r = append(r, s)
			}
		}
		return r
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(3 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; resizes %v", what, resizes())
			}
		}
	}
	const last = `{"width":"100%","height":300}`
	f.Fit()
	for i := 1; i <= 20; i++ {
		h.Store(int64(100 + 10*i))
		f.Fit()
	}
	// Rounds run one after another, each waiting for the portal's reply:
	// once the last height is sent, no other height can follow it.
	waitFor("the last height", func() bool {
		r := resizes()
		return len(r) > 0 && r[len(r)-1].params == last
	})
	if n := len(resizes()); n > 3 {
		t.Fatalf("want 1 to 3 resizeWindow for 21 fits, got %d", n)
	}

	// Nothing changed: the next round measures and sends nothing. A round
	// sends right after it measures, before it waits for anything, so two
	// frames after the measure any message would be there.
	n, m := len(p.messages()), measured.Load()
	f.Fit()
	waitFor("a measure after the fit", func() bool { return measured.Load() > m })
	jsutil.AfterPaint()
	jsutil.AfterPaint()
	if got := len(p.messages()); got != n {
		t.Fatalf("an unchanged height sent %d more messages: %v", got-n, p.messages()[n:])
	}
}
