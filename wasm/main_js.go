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
	// The loader asked the portal for the init data while the wasm loaded;
	// Open takes that answer, or asks now if the loader could not.
	f, ferr := frame.Open(context.Background(), frame.Asked(hp.Asked))
	tr := &jsfetch.Transport{}
	w := newWidget(page, hp.Lang, tr, func() (b24.Transport, error) { return cannedTransport(tr) }, f, ferr)
	jsutil.SetPanicHandler(w.Recovered)
	jsutil.Go(func() { w.Start(context.Background()) })
	select {} // keep the runtime alive for the callbacks
}

// newWidget wires the widget to the page, its words, the portal frame
// (opened already, or its error), the transport and the warm-up's.
func newWidget(page *view.View, lang l10n.Lang, transport b24.Transport, warm func() (b24.Transport, error), f *frame.Frame, ferr error) *widget.Widget {
	return widget.New(widget.Deps{
		Page: page,
		OpenFrame: func(context.Context) (widget.Frame, error) {
			if ferr != nil {
				return nil, ferr
			}
			return fitted(f, page.ContentHeight), nil
		},
		Transport:     transport,
		WarmTransport: warm,
		Lang:          lang,
		Go:            jsutil.Go,
	})
}

// fitted keeps f's height on the content: after each change the widget
// makes, and when the portal changes the frame's width (the chat sidebar),
// as text wraps anew.
func fitted(f *frame.Frame, height func() (int, error)) *frame.Frame {
	f.FitTo(height)
	// Without it the frame keeps its height; nothing else breaks.
	_, _ = jsutil.AddEventListener(safejs.Global(), "resize", func(safejs.Value) { f.Fit() })
	return f
}
