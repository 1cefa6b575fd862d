package widget

import (
	"context"

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
func (w *Widget) run(act action) {
	if release := w.gc.hold(); release != nil {
		defer release()
	}
	// client and chatID were set before ready, and click read started
	// under mu: they are safe to read without it.
	ctx := context.Background()
	var ids []int64
	var err error
	switch act {
	case pinAll:
		ids, err = w.client.PinAll(ctx)
	case unpinAll:
		ids, err = w.client.UnpinAll(ctx)
	case pinDialog, unpinDialog:
		err = w.client.Pin(ctx, w.chatID, act == pinDialog)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy = false
	defer w.nameDialog() // a failed lookup of the sidebar's name is tried again now
	if err != nil {
		w.showError(err, true)
		return
	}
	// The session list belongs to the last action: a dialog action empties it.
	if err := w.page.SetSessions(ids, l10n.TextsFor(w.lang).SessionLabel); err != nil {
		w.showError(err, true)
		return
	}
	w.page.SetStatus(w.outcome(act, len(ids)))
	w.page.SetState(view.Done, true)
	w.startLookups(ids) // after done: the names follow, the result never waits for them
	w.fit()
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
