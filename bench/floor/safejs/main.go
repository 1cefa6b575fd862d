//go:build js && wasm

// Command safejs is bench variant D: the floor of variant C plus what the
// widget must carry before any code of its own: hack-pad/safejs for every
// JS touch (it brings fmt) and a context with a deadline (the client's
// context-first API). The gap D-C is the mandated stack's; A-D is ours.
package main

import (
	"context"
	"time"

	"github.com/hack-pad/safejs"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return
	}
	root, err := doc.Get("documentElement")
	if err != nil {
		return
	}
	if _, err := root.Call("setAttribute", "data-state", "ready"); err != nil {
		return
	}
	<-ctx.Done()
}
