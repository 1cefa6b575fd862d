//go:build js && wasm

// Command wasm is the Pin All widget: it runs in a Bitrix24 placement
// iframe, takes its token from the portal frame, calls
// imopenlines.session.mode.pinAll / unpinAll and shows the outcome.
//
// Data flows one way: window.name -> init data -> token -> client call ->
// result or typed error -> view. The program never exits: the page would
// die with it (loader.js shows a reload banner if it ever does).
package main

import (
	"context"

	"github.com/pinall/pinall/internal/jsutil"
)

func main() {
	a := &app{}
	jsutil.SetPanicHandler(a.recovered)
	jsutil.Go(func() { a.start(context.Background()) })
	select {} // keep the runtime alive for the callbacks
}
