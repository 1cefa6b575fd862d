package widget

import (
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// gcHold keeps the garbage collector off from a click until just after its
// result is shown. Wasm has one thread: a collection is a pause in the
// middle of the click, and parsing a long reply at loader.js's low GOGC
// would run several. The heap grows by what one click allocates, and a
// full collection runs a frame later, when the result is on screen.
// Collecting there, rather than leaving the garbage to the pacer, is what
// keeps wasm memory flat, as it never shrinks: left to the pacer, the heap
// passes its goal by a click's garbage whenever a hold overlaps the goal,
// and each new peak is memory kept for good. The figures are in
// bench/results.md (round 2, step 9; round 4). Holds do not nest or
// stretch: a click while the collector is still off leaves the release as
// it is, so clicks in quick succession cannot keep it off.
type gcHold struct {
	_ [0]func() // not comparable: no equality function in the wasm

	on      atomic.Bool // held: the collector is off
	percent int         // GOGC as loader.js set it; written by the hold that set on
}

// releaseDelay lets the browser paint the result before the collector runs.
const releaseDelay = 16 * time.Millisecond

// hold turns the collector off and returns the release to call when the
// click is over, or nil if it was already off.
func (g *gcHold) hold() (release func()) {
	if !g.on.CompareAndSwap(false, true) {
		return nil
	}
	g.percent = debug.SetGCPercent(-1)
	return g.releaseSoon
}

// releaseSoon gives the collector back in a task of its own and collects
// what the click left.
func (g *gcHold) releaseSoon() {
	time.AfterFunc(releaseDelay, func() {
		debug.SetGCPercent(g.percent)
		runtime.GC()
		g.on.Store(false) // after: the next hold may write percent
	})
}

// collect runs a full collection unless a click holds the collector.
func (g *gcHold) collect() {
	if !g.held() {
		runtime.GC()
	}
}

// held reports whether the collector is off.
func (g *gcHold) held() bool { return g.on.Load() }
