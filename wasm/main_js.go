//go:build js && wasm

// Command wasm is the Pin All widget: it runs in a Bitrix24 placement
// iframe, takes its token from the portal frame, calls
// imopenlines.session.mode.pinAll / unpinAll and shows the outcome.
//
// This package is wiring only, as tailscale's cmd/tsconnect is: it builds
// the js implementations of the page (internal/view), the portal frame
// (internal/frame) and the transport (internal/jsfetch), hands them to the
// widget's behaviour (internal/widget, plain Go), sets the panic boundary
// and keeps the program alive. It never exits: the page would die with it
// (loader.js shows a reload banner if it ever does).
package main

import (
	"context"
	"runtime"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/host"
	"github.com/pinall/pinall/internal/jsfetch"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/view"
	"github.com/pinall/pinall/internal/widget"
)

func main() {
	// The portal is asked for the init data first: its answer travels while
	// the program reads its words and finds the page's elements.
	early := openEarly()
	hp, err := host.Read()
	var page *view.View
	if err == nil {
		page, err = view.New(hp.Rows)
	}
	if err != nil {
		// The page and the program disagree about their contract.
		host.Fail(err)
		select {}
	}
	w := newWidget(page, hp.Lang, &jsfetch.Transport{}, early)
	jsutil.SetPanicHandler(w.Recovered)
	jsutil.Go(func() { w.Start(context.Background()) })
	select {} // keep the runtime alive for the callbacks
}

// newWidget wires the widget to the page, its words, the portal frame
// (opened early) and transport.
func newWidget(page *view.View, lang l10n.Lang, transport b24.Transport, early *earlyFrame) *widget.Widget {
	return widget.New(widget.Deps{
		Page: page,
		OpenFrame: func(ctx context.Context) (widget.Frame, error) {
			// A failed early getInitData is start-up's failure: asked
			// again, its timeout would be waited twice.
			select {
			case <-early.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if early.openErr != nil {
				return nil, early.openErr
			}
			if early.initErr != nil {
				return nil, early.initErr
			}
			return fitted(early.f, page.ContentHeight), nil
		},
		Transport:     transport,
		WarmTransport: cannedTransport,
		Lang:          lang,
		Go:            jsutil.Go,
	})
}

// fitted keeps f's height on the content: after each change the widget
// makes, and when the portal changes the frame's width (the chat sidebar),
// as text wraps anew.
func fitted(f *frame.Frame, height func() (int, error)) frame.Fitted {
	ft := f.NewFitter(height)
	// Without it the frame keeps its height; nothing else breaks.
	_, _ = jsutil.AddEventListener(safejs.Global(), "resize", func(safejs.Value) { ft.Fit() })
	return frame.Fitted{Frame: f, Fitter: ft}
}

// earlyFrame is the portal frame, opened and asked for its init data before
// the program reads its page.
type earlyFrame struct {
	_       [0]func() // not comparable: no equality function in the wasm
	f       *frame.Frame
	openErr error
	done    chan struct{} // closed once the first getInitData is answered or failed
	initErr error
}

func openEarly() *earlyFrame {
	e := &earlyFrame{done: make(chan struct{})}
	if e.f, e.openErr = frame.Open(context.Background()); e.openErr != nil {
		close(e.done)
		return e
	}
	jsutil.Go(func() {
		defer close(e.done)
		_, e.initErr = e.f.InitData(context.Background())
	})
	runtime.Gosched() // the request goes out now; the answer comes in a later task
	return e
}
