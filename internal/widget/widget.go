// Package widget is the Pin All widget's behaviour in plain Go: the path to
// ready, the state machine (ready, busy, done, error), the actions, the
// lookups of the listed sessions' dialogs, the chat sidebar's dialog, the
// warm-up and the GC hold. It drives three small interfaces: the page
// (internal/view's Page implements it), the portal frame (internal/frame)
// and the REST client (internal/b24). wasm/ only builds the js
// implementations and hands them over, so all of this is tested natively.
//
// Data flows one way: window.name -> init data -> token -> client call ->
// result or typed error -> page.
package widget

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/lookup"
	"github.com/pinall/pinall/internal/startup"
	"github.com/pinall/pinall/internal/view"
)

// Page is the widget's page. Its methods write the DOM contract (see
// internal/view); the implementation logs its own DOM failures, and returns
// an error only where the failure ends start-up or an action.
type Page interface {
	SetLabels(view.Labels)
	SetPlacement(placement string)
	ShowDialog(dialogID string, l view.DialogLabels) error // the chat sidebar's block
	SetDialogTitle(title string)
	Listen(view.Events) error // once; the sidebar's block, shown before or after, included
	SetState(s view.State, actionsOn bool)
	SetStatus(text string)
	SetStop(show bool, label string) // the button that ends a click's wait for the rate limit
	SetError(text string)            // "" clears it
	// SetSessions lists ids; text is them joined, as b24.IDs has them.
	SetSessions(ids []int64, text, label string) error
	FillRow(sessionID int64, r view.Row)
	NoteRow(sessionID int64, note string)
	SetMore(show bool, text string)
	WatchRow(index int)   // -1: none
	SetLookups(busy bool) // lookups queued or out, or none till a scroll (or none left)
	AfterPaint()          // blocks until the page had a frame to paint
	Log(msg string)       // for developers (the console); users read the page
}

// Frame is the portal frame as the widget uses it.
type Frame interface {
	startup.Frame
	SetTitle(ctx context.Context, title string) error
	OpenMessenger(dialogID string) error // "chatNNN"
}

// Deps are what the js wiring (wasm/main_js.go) hands the widget.
type Deps struct {
	Page Page
	// OpenFrame opens the portal frame.
	OpenFrame func(context.Context) (Frame, error)
	Transport b24.Transport // the REST calls'; nil: b24's default (native only)
	// WarmTransport makes a transport that answers WarmReply and sends
	// nothing (warmup.go); nil: no warm-up.
	WarmTransport func() (b24.Transport, error)
	Lang          l10n.Lang // the page's words (its host's, internal/host)
	// Go runs fn in a goroutine behind the panic boundary: a panic in fn
	// reaches Recovered, and the program goes on.
	Go func(fn func())
	// Rand is the source of the waits' jitter, uniform in [0, 1) and safe
	// for concurrent use; nil: math/rand/v2's. A simulation seeds it, so a
	// run can be repeated.
	Rand func() float64
}

// Widget is the only place that holds state across clicks.
//
// One thread: on js/wasm Go runs on the page's one thread, and a click
// handler runs inside a JS event callback; goroutines and callbacks
// interleave only where one blocks. A callback that waits for another JS
// event (a fetch, a frame reply, a paint) deadlocks the page. So mu, which
// guards the widget's state and serialises every write to the page, is held
// only across synchronous work, never across a wait: client calls,
// AfterPaint and frame replies happen with mu released. The rule makes the
// widget correct on real threads too, which is what lets the native tests
// run it under the race detector.
type Widget struct {
	deps Deps
	page Page
	gc   gcHold         // no collection inside a click (gchold.go)
	rand func() float64 // Deps.Rand, or math/rand/v2's

	mu      sync.Mutex
	lang    l10n.Lang
	frame   Frame // nil until it opened
	client  *b24.Client
	started bool      // reached ready: the buttons work
	busy    bool      // one action in flight at a time
	wait    clickWait // the action's wait for the portal's rate limit (actions.go)
	rows    rowLookups

	// The chat sidebar's dialog (sidebar.go).
	chatID int64 // the open-line chat; 0 elsewhere
	naming bool  // its name's lookup is in flight
	named  bool  // the block's title names it
}

// The portal's leaky bucket drains 2 requests a second and holds 50, and
// every command of a batch counts (internal/lookup/pacer.go). A widget's
// names hold 10 units at most, a screenful: the bucket is the office's, and
// the rest is for the clicks of everyone in it and the portal's other apps.
const (
	lookupRate     = 2
	lookupCapacity = 10
)

// New returns a widget that has not started.
func New(d Deps) *Widget {
	r := d.Rand
	if r == nil {
		r = rand.Float64
	}
	return &Widget{
		deps: d, page: d.Page, lang: d.Lang, rand: r,
		rows: rowLookups{pacer: lookup.NewPacer(lookupRate, lookupCapacity, r)},
	}
}

// Start runs the path to ready: the listeners, frame, init data, client,
// the sidebar's block; then ready, and after it the frame's title and size,
// the warm-up and the sidebar dialog's name. It returns when the widget is
// ready or has failed (the buttons stay off then).
func (w *Widget) Start(ctx context.Context) {
	// The listeners need no init data: they go on while its answer travels
	// (the frame asks when it opens). Until ready the buttons are disabled
	// and a click is ignored (click).
	w.mu.Lock()
	err := w.page.Listen(view.Events{
		PinAll:      func() { w.click(pinAll) },
		UnpinAll:    func() { w.click(unpinAll) },
		PinDialog:   func() { w.click(pinDialog) },
		UnpinDialog: func() { w.click(unpinDialog) },
		Stop:        w.stopWait,
		Open:        w.openDialog,
		More:        w.moreRows,
		Near:        w.moreRows,
	})
	if err != nil {
		w.showError(err, false)
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	// No rate-limit retries inside a call: a click's own wait shows a
	// countdown and a way to stop (actions.go), and the lookups back off on
	// their pacer (internal/lookup).
	p, err := startup.Start(ctx, w.deps.OpenFrame, w.deps.Transport,
		b24.WithRetryPolicy(b24.RetryPolicy{MaxRetries: -1}))
	w.mu.Lock()
	defer w.mu.Unlock()
	w.frame = p.Frame
	t := l10n.TextsFor(w.lang)
	if p.HasInit {
		w.page.SetLabels(view.Labels{
			Title: t.Title, Hint: t.Hint,
			PinAll: t.PinAll, UnpinAll: t.UnpinAll, ResultTitle: t.ResultTitle,
		})
	}
	if err != nil {
		w.showError(err, false)
		return
	}
	w.client = p.Client
	if err := w.setupSidebar(p.Init); err != nil {
		w.showError(err, false)
		return
	}
	w.started = true
	w.page.SetStatus("")
	w.page.SetState(view.Ready, true)
	// The warm-up starts in the next task, so a first click finds the click's
	// path compiled; the rest waits until ready is on screen: Go runs every
	// goroutine it can before the task that set ready ends, and ready is
	// shown only then.
	w.warmUp(p.Endpoint)
	w.deps.Go(func() {
		w.page.AfterPaint()
		w.afterReady(p.Init.Placement, t.Title)
	})
}

// afterReady sets the frame's title and size, and starts the sidebar
// dialog's name.
func (w *Widget) afterReady(placement, title string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if placement == "" || placement == "DEFAULT" {
		// setTitle is denied, without a reply, in other placements.
		f := w.frame
		w.deps.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			// A title the portal did not take leaves its own: nothing to tell.
			_ = f.SetTitle(ctx, title)
		})
	}
	w.fit()
	w.nameDialog()
}

// Recovered is the panic boundary's handler: whatever panicked, the page
// lands in the error state with words, and the buttons work again once the
// widget had started.
func (w *Widget) Recovered(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.busy = false
	w.endWait()
	w.showError(err, w.started)
}

// showError puts the error's words on the page; actionsOn keeps the buttons
// working (after a failed action; not when start-up failed). mu is held.
func (w *Widget) showError(err error, actionsOn bool) {
	p := l10n.Explain(w.lang, err)
	w.page.SetStatus("")
	w.page.SetError(p.Message)
	w.page.SetState(view.Error, actionsOn)
	w.page.Log("pinall: " + p.Log)
	w.fit()
}

// fit asks the portal to size the frame to the content. mu is held.
func (w *Widget) fit() {
	if w.frame != nil {
		w.frame.Fit()
	}
}
