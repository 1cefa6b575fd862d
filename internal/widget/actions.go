package widget

import (
	"context"
	"errors"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/view"
)

// action is what a button does.
type action int

const (
	pinAll      action = iota // #pin-all: imopenlines.session.mode.pinAll
	unpinAll                  // #unpin-all: imopenlines.session.mode.unpinAll
	pinDialog                 // #pin-dialog: the chat sidebar's dialog (sidebar.go)
	unpinDialog               // #unpin-dialog
)

// busyText is the status line while act runs.
func busyText(l l10n.Lang, act action) string {
	switch act {
	case pinDialog:
		return l10n.DialogTextsFor(l).PinBusy
	case unpinDialog:
		return l10n.DialogTextsFor(l).UnpinBusy
	case unpinAll:
		return l10n.TextsFor(l).UnpinBusy
	}
	return l10n.TextsFor(l).PinBusy
}

// click runs on the JS event loop: it must not block, so the call runs in
// a goroutine. A click while an action is in flight, or before ready, is
// ignored; so is a dialog action outside the chat sidebar.
func (w *Widget) click(act action) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.busy || !w.started || (act == pinDialog || act == unpinDialog) && w.chatID == 0 {
		return
	}
	w.busy = true
	w.stopLookups() // the last action's lookups end here
	w.page.SetError("")
	w.page.SetStatus(busyText(w.lang, act))
	w.page.SetState(view.Busy, true)
	w.deps.Go(func() { w.run(act) })
}

// run performs one action and shows its result or its error. A panic here
// ends in Recovered, which clears busy.
//
// While the portal only says "slow down" (503 QUERY_LIMIT_EXCEEDED: its
// bucket is full, whoever filled it), the action keeps trying after a
// jittered wait that grows, counting down on the status line with a Stop
// button beside it (wait). Trying again is safe: the portal checks the
// limit before the method runs, so a refused call changed nothing, and
// pinAll, unpinAll and pin set a state, they do not toggle it. No call is
// ever cancelled: Stop ends a wait, or, pressed while a try is out, the
// action after that try, and a try that went through is shown as done. Any
// other refusal (OVERLOAD_LIMIT included) ends the action at once with its
// own words.
func (w *Widget) run(act action) {
	release := w.gc.hold()
	defer func() {
		if release != nil {
			release()
		}
	}()
	ids, err := w.call(act)
	for tries := 0; errors.Is(err, b24.ErrQueryLimit); tries++ {
		if release != nil {
			release() // a wait is no click work: the collector may run in it
			release = nil
		}
		w.rows.pacer.Refused() // the office's bucket is full: names wait
		if !w.waitToRetry(act, clickBackoff(tries, w.rand())) {
			w.endStopped()
			return
		}
		release = w.gc.hold()
		ids, err = w.call(act)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy = false
	w.endWait()
	defer w.nameDialog() // a failed lookup of the sidebar's name is tried again now
	if err != nil {
		w.showError(err, true)
		return
	}
	// The session list belongs to the last action: a dialog action empties it.
	if err := w.page.SetSessions(ids.List, ids.Text, l10n.TextsFor(w.lang).SessionLabel); err != nil {
		w.showError(err, true)
		return
	}
	w.page.SetStatus(w.outcome(act, len(ids.List)))
	w.page.SetState(view.Done, true)
	w.rows.pacer.Yield()     // the office's other clicks come before these names
	w.startLookups(ids.List) // after done: the names follow, the result never waits for them
	w.fit()
}

// call makes act's one REST call. client and chatID were set before ready,
// and click read started under mu: they are safe to read without it.
func (w *Widget) call(act action) (ids b24.IDs, err error) {
	ctx := context.Background()
	switch act {
	case pinAll:
		ids, err = w.client.PinAll(ctx)
	case unpinAll:
		ids, err = w.client.UnpinAll(ctx)
	case pinDialog, unpinDialog:
		err = w.client.Pin(ctx, w.chatID, act == pinDialog)
	}
	return ids, err
}

// clickWait is an action's wait for the portal's rate limit. mu guards it.
type clickWait struct {
	_ [0]func() // not comparable: no equality function in the wasm

	stop    chan struct{} // closed by Stop; nil while the action never waited
	stopped bool          // Stop was pressed
}

// A click's waits for the rate limit: after its n-th refusal in a row
// (from 0) a wait drawn at random from clickWaits[n], the last range once
// past the end, so the clicks of an office that were refused together come
// back apart; none is longer than its range's top, so a click still waiting
// when the bucket has room is late by at most that.
//
// The first is short: a lone operator refused for a burst of the portal's
// other traffic gets through in seconds. A second refusal means a crowd:
// W clicks waiting for a bucket that frees 2 units a second need W/2 s, and
// of their tries all but 2 a second are refused, so the waits widen to
// spread a crowd's tries over about as long as it needs; a third refusal
// means a larger crowd, and the range moves up. The ranges trade the
// refusals of a large office against the wait of a middling one
// (docs/benchmarks.md, "The office"); the names' backoff is longer, so the
// clicks that wait come first.
var clickWaits = [...][2]time.Duration{
	{3 * time.Second, 4 * time.Second},
	{24 * time.Second, 56 * time.Second},
	{48 * time.Second, 80 * time.Second},
}

// clickBackoff is the wait before try n+1 (0-based); r is uniform in [0, 1).
func clickBackoff(n int, r float64) time.Duration {
	w := clickWaits[min(n, len(clickWaits)-1)]
	return w[1] - time.Duration(r*float64(w[1]-w[0]))
}

// waitToRetry waits d before the next try of act, showing the seconds left
// and the Stop button. It reports false when Stop was pressed (now, or
// while the last try was out).
func (w *Widget) waitToRetry(act action, d time.Duration) bool {
	end := time.Now().Add(d)
	w.mu.Lock()
	if w.wait.stop == nil {
		w.wait.stop = make(chan struct{})
		w.page.SetStop(true, l10n.RateTextsFor(w.lang).Stop)
	}
	stop, stopped := w.wait.stop, w.wait.stopped
	w.mu.Unlock()
	if stopped {
		return false
	}
	for left := time.Until(end); left > 0; left = time.Until(end) {
		secs := int((left + time.Second - 1) / time.Second)
		w.mu.Lock()
		w.page.SetStatus(w.lang.Retrying(secs))
		w.fit()
		w.mu.Unlock()
		// Wake when the count goes down by one.
		t := time.NewTimer(left - time.Duration(secs-1)*time.Second)
		select {
		case <-t.C:
		case <-stop:
			t.Stop()
			return false
		}
	}
	w.mu.Lock()
	w.page.SetStatus(busyText(w.lang, act))
	w.mu.Unlock()
	return true
}

// stopWait is the Stop button: it ends the action's wait for the rate
// limit. It runs on the JS event loop.
func (w *Widget) stopWait() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.busy || w.wait.stop == nil || w.wait.stopped {
		return
	}
	w.wait.stopped = true
	close(w.wait.stop)
}

// endStopped ends an action stopped while it waited: nothing was changed,
// and the words say so.
func (w *Widget) endStopped() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy = false
	w.endWait()
	w.page.SetStatus("")
	w.page.SetError(l10n.RateTextsFor(w.lang).Stopped)
	w.page.SetState(view.Error, true)
	w.page.Log("pinall: stopped waiting for the portal's rate limit (QUERY_LIMIT_EXCEEDED)")
	w.fit()
	w.nameDialog()
}

// endWait hides the Stop button once the action is over. mu is held.
func (w *Widget) endWait() {
	if w.wait.stop != nil {
		w.page.SetStop(false, l10n.RateTextsFor(w.lang).Stop)
	}
	w.wait = clickWait{}
}

// outcome is the status line after act changed n sessions.
func (w *Widget) outcome(act action, n int) string {
	switch act {
	case unpinAll:
		return w.lang.Unpinned(n)
	case pinDialog:
		return l10n.DialogTextsFor(w.lang).Pinned
	case unpinDialog:
		return l10n.DialogTextsFor(w.lang).Unpinned
	}
	return w.lang.Pinned(n)
}
