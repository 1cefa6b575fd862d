// Package startup is the path every page of the app takes before it can
// work, written once for the widget (internal/widget) and the installer
// (internal/install): open the portal frame, ask it for the init data, build
// the REST endpoint and the client. The language is the page's: its host
// hands the program one language's words (internal/host). It is plain Go; the
// js wiring (wasm/) hands it the frame and the transport.
package startup

import (
	"context"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
)

// Frame is the portal frame as every page uses it: internal/frame's Frame
// (the init data, and the token source of the REST client) with its Fitter
// (Fit keeps the iframe's height on the content, and never blocks).
type Frame interface {
	InitData(ctx context.Context) (frame.InitData, error)
	b24.TokenSource
	Fit()
}

// Portal is what start-up got, as far as it got: a failed step leaves the
// later fields zero. F is the frame as the page uses it (a Frame and more),
// so the page gets it typed, with nothing to assert.
type Portal[F Frame] struct {
	Frame    F // zero (nil) when it did not open
	Init     frame.InitData
	HasInit  bool   // the portal answered getInitData
	Endpoint string // the REST base, https://portal/rest
	Client   *b24.Client
}

// Start opens the frame, asks for the init data and builds the REST client
// on transport (nil: b24's default, which exists natively only), with opts.
// The error is the first step's that failed; the Portal says how far it got.
func Start[F Frame](ctx context.Context, open func(context.Context) (F, error), transport b24.Transport, opts ...b24.Option) (Portal[F], error) {
	var p Portal[F]
	f, err := open(ctx)
	if err != nil {
		return p, err
	}
	p.Frame = f
	init, err := f.InitData(ctx)
	if err != nil {
		return p, err
	}
	p.Init, p.HasInit = init, true
	p.Endpoint, err = b24.EndpointFromFrame(init.Domain, init.Protocol, init.Path)
	if err != nil {
		return p, err
	}
	opts = append([]b24.Option{b24.WithTokenSource(f)}, opts...)
	if transport != nil {
		opts = append(opts, b24.WithTransport(transport))
	}
	p.Client, err = b24.New(p.Endpoint, opts...)
	return p, err
}
