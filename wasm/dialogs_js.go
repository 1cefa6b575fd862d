//go:build js && wasm

package main

import (
	"context"
	"strconv"

	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/lookup"
	"github.com/pinall/pinall/internal/view"
)

// The portal's leaky bucket drains 2 requests a second and holds 50, and
// every command of a batch counts (facts §3, §7). The lookups fill it to 45
// at most: the rest is for the user's own clicks and the portal's other apps.
const (
	lookupRate     = 2
	lookupCapacity = 45
)

// rowLookups names the sessions of the last action: after the list is shown
// (data-state done), the dialogs of the rows a person can see are looked up
// in batches and filled in as they land. A new action cancels them.
type rowLookups struct {
	pacer  *lookup.Pacer // one for the page: the portal's bucket outlives an action
	loader *lookup.Loader
	cancel context.CancelFunc
}

// setupRows wires the list's open buttons, "show more" and the scroll
// watch. It runs once, at start.
func (a *app) setupRows() error {
	a.rows.pacer = lookup.NewPacer(lookupRate, lookupCapacity)
	return a.view.ListenRows(view.RowEvents{
		Open: a.openDialog,
		More: a.moreRows,
		Near: a.moreRows,
	})
}

// startLookups begins naming the rows of ids, the list just shown.
func (a *app) startLookups(ids []int64) {
	a.stopLookups()
	if len(ids) == 0 || a.client == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	var loader *lookup.Loader
	loader = lookup.NewLoader(ids, a.client.DialogsBySession, a.rows.pacer, func(b lookup.Batch) {
		a.showLookups(ctx, b)
	})
	a.mu.Lock()
	a.rows.loader, a.rows.cancel = loader, cancel
	a.mu.Unlock()
	a.showMore(loader)
	jsutil.Go(func() {
		defer cancel()
		// After the result is on screen: building and sending the batch in
		// the click's own task would delay done (the action is the click's
		// one request; the names are extra).
		jsutil.AfterPaint()
		_ = loader.Run(ctx) // ends when every row is named, or on the next action
	})
}

// stopLookups cancels the lookups of the previous action, in flight or
// waiting for the rate limit; nothing they find reaches the page after.
func (a *app) stopLookups() {
	a.mu.Lock()
	cancel := a.rows.cancel
	a.rows.loader, a.rows.cancel = nil, nil
	a.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// showLookups fills in what one batch found. It runs on the loader's
// goroutine; the check of ctx and the DOM writes happen with no wait in
// between, so a click that cancelled ctx cannot slip in.
func (a *app) showLookups(ctx context.Context, b lookup.Batch) {
	if ctx.Err() != nil {
		return
	}
	rt := l10n.RowTextsFor(a.lang)
	for id, d := range b.Found {
		name := d.Name
		if name == "" {
			name = "chat" + strconv.FormatInt(d.ID, 10)
		}
		_ = a.view.FillRow(id, view.Row{
			ChatID: d.ID, Name: name, Channel: a.lang.Channel(d.Connector),
			Open: rt.Open, OpenLabel: a.lang.OpenLabel(name),
		})
	}
	for id, err := range b.Failed {
		_ = a.view.NoteRow(id, l10n.LookupNote(a.lang, err))
	}
	if b.Err != nil {
		// The action succeeded; its rows keep their IDs. For developers only.
		jsutil.ConsoleError("pinall: dialog names: " + l10n.Explain(a.lang, b.Err).Log)
	}
	a.fit()
}

// moreRows asks for the names of the next page of rows ("show more", or the
// last named row scrolled into view).
func (a *app) moreRows() {
	a.mu.Lock()
	loader := a.rows.loader
	a.mu.Unlock()
	if loader == nil {
		return
	}
	loader.More()
	a.showMore(loader)
}

// showMore offers "show more" while rows are left, and watches the last
// wanted row, so scrolling to it asks for more.
func (a *app) showMore(loader *lookup.Loader) {
	left := loader.Wanted() < loader.Len()
	_ = a.view.SetMore(left, l10n.RowTextsFor(a.lang).ShowMore)
	watch := -1
	if left {
		watch = loader.Wanted() - 1
	}
	_ = a.view.WatchRow(watch)
}

// openDialog opens a row's dialog in the messenger (imOpenMessenger).
func (a *app) openDialog(chatID int64) {
	if a.frame == nil {
		return
	}
	if err := a.frame.OpenMessenger("chat" + strconv.FormatInt(chatID, 10)); err != nil {
		jsutil.ConsoleError("pinall: open dialog: " + err.Error())
	}
}
