package widget

import (
	"context"
	"strconv"

	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/lookup"
	"github.com/pinall/pinall/internal/view"
)

// rowLookups names the sessions of the last action: after the list is shown
// (data-state done), the dialogs of the rows a person can see are looked up
// in batches and filled in as they land. A new action cancels them.
type rowLookups struct {
	pacer  *lookup.Pacer // one for the page: the portal's bucket outlives an action
	loader *lookup.Loader
	cancel context.CancelFunc
}

// startLookups begins naming the rows of ids, the list just shown. mu is held.
func (w *Widget) startLookups(ids []int64) {
	w.stopLookups()
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	loader := lookup.NewLoader(ids, w.client.DialogsBySession, w.rows.pacer, func(b lookup.Batch) {
		w.showLookups(ctx, b)
	})
	// Still: the loader waits for a scroll, or named every row. A "show
	// more" under mu since then left it busy.
	loader.OnStill(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if ctx.Err() == nil && loader.Still() {
			w.page.SetLookups(false)
		}
	})
	w.rows.loader, w.rows.cancel = loader, cancel
	w.page.SetLookups(true)
	w.showMore(loader)
	w.deps.Go(func() {
		defer cancel()
		// After the result is on screen: building and sending the batch in
		// the click's own task would delay done (the action is the click's
		// one request; the names are extra).
		w.page.AfterPaint()
		// Run ends when every row is named (nil), or on the next action
		// (ctx's error): neither is news to anyone.
		_ = loader.Run(ctx)
	})
}

// stopLookups cancels the lookups of the previous action, in flight or
// waiting for the rate limit; nothing they find reaches the page after.
// mu is held.
func (w *Widget) stopLookups() {
	if w.rows.cancel != nil {
		w.rows.cancel()
		w.page.SetLookups(false)
	}
	w.rows.loader, w.rows.cancel = nil, nil
}

// showLookups fills in what one batch found. It runs on the loader's
// goroutine; ctx is checked under mu, which a click takes to cancel it, so a
// batch of a cancelled action never reaches the page.
func (w *Widget) showLookups(ctx context.Context, b lookup.Batch) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	rt := l10n.RowTextsFor(w.lang)
	for id, d := range b.Found {
		name := d.Name
		if name == "" {
			name = "chat" + strconv.FormatInt(d.ID, 10)
		}
		w.page.FillRow(id, view.Row{
			ChatID: d.ID, Name: name, Channel: w.lang.Channel(d.Connector),
			Open: rt.Open, OpenLabel: w.lang.OpenLabel(name),
		})
	}
	for id, err := range b.Failed {
		w.page.NoteRow(id, l10n.LookupNote(w.lang, err))
	}
	if b.Err != nil {
		// The action succeeded; its rows keep their IDs. For developers only.
		w.page.Log("pinall: dialog names: " + l10n.Explain(w.lang, b.Err).Log)
	}
	w.fit()
}

// moreRows asks for the names of the next page of rows ("show more", or the
// last named row scrolled into view). It runs on the JS event loop.
func (w *Widget) moreRows() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.rows.loader == nil {
		return
	}
	w.rows.loader.More()
	if !w.rows.loader.Still() {
		w.page.SetLookups(true)
	}
	w.showMore(w.rows.loader)
}

// showMore offers "show more" while rows are left, and watches the last
// wanted row, so scrolling to it asks for more. mu is held.
func (w *Widget) showMore(loader *lookup.Loader) {
	left := loader.Wanted() < loader.Len()
	w.page.SetMore(left, l10n.RowTextsFor(w.lang).ShowMore)
	watch := -1
	if left {
		watch = loader.Wanted() - 1
	}
	w.page.WatchRow(watch)
}

// openDialog opens a row's dialog in the messenger (imOpenMessenger). It
// runs on the JS event loop.
func (w *Widget) openDialog(chatID int64) {
	w.mu.Lock()
	f := w.frame
	w.mu.Unlock()
	if f == nil {
		return
	}
	// A post, no reply: nothing to wait for.
	if err := f.OpenMessenger("chat" + strconv.FormatInt(chatID, 10)); err != nil {
		w.page.Log("pinall: open dialog: " + err.Error())
	}
}
