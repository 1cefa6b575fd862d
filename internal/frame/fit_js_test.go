//go:build js && wasm

package frame

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// Fits asked for while a resize is in flight fold into one more round, and
// the frame ends at the content's last height.
func TestFitterSendsOneAtATimeAndEndsOnTheLastHeight(t *testing.T) {
	p := newFakeParent(t, portal)
	f := openTest(t)
	var h atomic.Int64
	h.Store(100)
	ft := f.NewFitter(func() (int, error) { return int(h.Load()), nil })
	idle := make(chan struct{}, 8)
	ft.idle = func() { idle <- struct{}{} }
	waitIdle := func() {
		t.Helper()
		select {
		case <-idle:
		case <-time.After(3 * time.Second):
			t.Fatal("the fitter never went idle")
		}
	}
	ft.Fit()
	for i := 1; i <= 20; i++ {
		h.Store(int64(100 + 10*i))
		ft.Fit()
	}
	waitIdle()
	var resizes []sent
	for _, s := range p.messages() {
		if s.cmd == "resizeWindow" {
			resizes = append(resizes, s)
		}
	}
	if len(resizes) == 0 || len(resizes) > 3 {
		t.Fatalf("want 1 to 3 resizeWindow for 21 fits, got %d", len(resizes))
	}
	last := resizes[len(resizes)-1].params
	if want := `{"width":"100%","height":` + strconv.Itoa(300) + `}`; last != want {
		t.Fatalf("last resize %s, want %s", last, want)
	}
	// Nothing changed: the next round measures and sends nothing.
	n := len(p.messages())
	ft.Fit()
	waitIdle()
	if got := len(p.messages()); got != n {
		t.Fatalf("an unchanged height sent %d more messages", got-n)
	}
}
