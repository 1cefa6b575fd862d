//go:build js && wasm

package main

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/jsfetch"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/view"
)

// action is what a button does.
type action int

const (
	pinAll action = iota
	unpinAll
)

// app wires the frame, the client and the view. It is the only place that
// holds state across clicks.
type app struct {
	view   *view.View
	lang   l10n.Lang
	frame  *frame.Frame
	client *b24.Client
	fitter *frame.Fitter // nil until the frame is open

	mu      sync.Mutex
	busy    bool // one action in flight at a time
	started bool // the widget reached ready

	chatID int64 // the chat sidebar's open-line dialog (dialog_js.go), 0 elsewhere

	rows rowLookups // the names of the listed sessions' dialogs (dialogs_js.go)

	gc gcHold // no collection inside a click (gchold_js.go)
}

// start runs the path to ready: frame handshake (asked first), view, client,
// buttons.
func (a *app) start(ctx context.Context) {
	// The portal's answer to getInitData is the longest wait on the way to
	// ready: ask first, then find the page's elements while it travels.
	f, openErr := frame.Open(ctx)
	type initReply struct {
		data frame.InitData
		err  error
	}
	initc := make(chan initReply, 1)
	if openErr == nil {
		jsutil.Go(func() {
			d, err := f.InitData(ctx)
			initc <- initReply{d, err}
		})
		runtime.Gosched() // one thread: let it post the request before we go on
	}
	v, err := view.New()
	if err != nil {
		jsutil.ConsoleError("pinall: " + err.Error())
		return
	}
	a.view = v
	a.lang = l10n.Pick(jsutil.QueryParam("LANG"))
	if openErr != nil {
		a.fail(openErr)
		return
	}
	a.frame = f
	a.fitter = f.NewFitter(v.ContentHeight)
	r := <-initc
	if r.err != nil {
		a.fail(r.err)
		return
	}
	init := r.data
	a.lang = l10n.Pick(init.Lang)
	t := l10n.TextsFor(a.lang)
	_ = v.SetLabels(view.Labels{
		Lang: string(a.lang), Title: t.Title, Hint: t.Hint,
		PinAll: t.PinAll, UnpinAll: t.UnpinAll, ResultTitle: t.ResultTitle,
	})

	endpoint, err := b24.EndpointFromFrame(init.Domain, init.Protocol, init.Path)
	if err != nil {
		a.fail(err)
		return
	}
	client, err := b24.New(endpoint, b24.WithTransport(&jsfetch.Transport{}), b24.WithTokenSource(f))
	if err != nil {
		a.fail(err)
		return
	}
	a.client = client

	if err := a.setupDialog(init); err != nil {
		a.fail(err)
		return
	}
	if err := a.setupRows(); err != nil {
		a.fail(err)
		return
	}
	pin, unpin := v.Buttons()
	for _, b := range []struct {
		el  safejs.Value
		act action
	}{{pin, pinAll}, {unpin, unpinAll}} {
		act := b.act
		if _, err := jsutil.AddEventListener(b.el, "click", func(safejs.Value) { a.click(act) }); err != nil {
			a.fail(err)
			return
		}
	}
	a.mu.Lock()
	a.started = true
	a.mu.Unlock()
	_ = v.SetStatus("")
	_ = v.SetState(view.Ready, true)
	if init.Placement == "" || init.Placement == "DEFAULT" {
		// setTitle is denied in other placements; the portal would drop it.
		jsutil.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = f.SetTitle(ctx, t.Title)
		})
	}
	a.fit()
	a.warmUp(endpoint)
}

// click runs on the JS event loop: it must not block, so the call runs in
// a goroutine. A click while an action is in flight is ignored.
func (a *app) click(act action) {
	a.mu.Lock()
	if a.busy || !a.started {
		a.mu.Unlock()
		return
	}
	a.busy = true
	a.mu.Unlock()
	a.stopLookups() // the last action's lookups end here
	_ = a.view.SetError("")
	_ = a.view.SetStatus(busyText(a.lang, act))
	_ = a.view.SetState(view.Busy, true)
	jsutil.Go(func() {
		defer a.idle()
		a.run(act)
	})
}

func (a *app) idle() {
	a.mu.Lock()
	a.busy = false
	a.mu.Unlock()
}

// run performs one action and shows its result or its error.
func (a *app) run(act action) {
	if release := a.gc.hold(); release != nil {
		defer release()
	}
	if a.runDialog(act) {
		return
	}
	ctx := context.Background()
	var ids []int64
	var err error
	switch act {
	case pinAll:
		ids, err = a.client.PinAll(ctx)
	case unpinAll:
		ids, err = a.client.UnpinAll(ctx)
	}
	if err != nil {
		a.showError(err, true)
		return
	}
	t := l10n.TextsFor(a.lang)
	if err := a.view.SetSessions(ids, t.SessionLabel); err != nil {
		a.showError(err, true)
		return
	}
	status := a.lang.Pinned(len(ids))
	if act == unpinAll {
		status = a.lang.Unpinned(len(ids))
	}
	_ = a.view.SetStatus(status)
	_ = a.view.SetState(view.Done, true)
	a.startLookups(ids) // after done: the names follow, the result never waits for them
	a.fit()
}

// fail ends start-up: the widget cannot work, so the buttons stay off.
func (a *app) fail(err error) { a.showError(err, false) }

// showError puts the error's words on the page. actionsOn keeps the
// buttons working after a failed action.
func (a *app) showError(err error, actionsOn bool) {
	p := l10n.Explain(a.lang, err)
	_ = a.view.SetStatus("")
	_ = a.view.SetError(p.Message)
	_ = a.view.SetState(view.Error, actionsOn)
	jsutil.ConsoleError("pinall: " + p.Log)
	a.fit()
}

// recovered is the panic boundary's handler: whatever panicked, the page
// lands in the error state and the buttons work again.
func (a *app) recovered(err error) {
	if a.view == nil {
		jsutil.ConsoleError("pinall: " + err.Error())
		return
	}
	a.mu.Lock()
	a.busy = false
	on := a.started
	a.mu.Unlock()
	a.showError(err, on)
}

// fit asks the portal to size the frame to the content, when it changed.
func (a *app) fit() {
	if a.fitter != nil {
		a.fitter.Fit()
	}
}
