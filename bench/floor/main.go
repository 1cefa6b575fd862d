//go:build js && wasm

// Command floor is bench variant C: the least a Go program can do in the
// widget's page. It starts, sets html[data-state]=ready and waits. Served
// with the widget's own index.html, loader.js and wasm_exec.js, it is the
// floor for Go start-up and size that variant A is compared against.
package main

import "syscall/js"

func main() {
	js.Global().Get("document").Get("documentElement").Get("dataset").Set("state", "ready")
	select {}
}
