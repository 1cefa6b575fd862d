//go:build js && wasm

// Command installer runs on install.html while the portal says INSTALL:
// it binds the widget's placements and then finishes the installation. It
// is a program of its own so the widget's download carries none of it.
package main

import (
	"context"

	"github.com/pinall/pinall/internal/jsutil"
)

func main() {
	in := &installer{}
	jsutil.SetPanicHandler(in.recovered)
	jsutil.Go(func() { in.start(context.Background()) })
	select {} // keep the runtime alive for the callbacks
}
