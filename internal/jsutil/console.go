//go:build js && wasm

package jsutil

import "github.com/hack-pad/safejs"

// ConsoleError writes msg to the browser console as an error, for
// developers; users see the page. Callers pass token-free text.
func ConsoleError(msg string) {
	console, err := safejs.Global().Get("console")
	if err != nil {
		println(msg)
		return
	}
	if _, err := console.Call("error", msg); err != nil {
		println(msg)
	}
}
