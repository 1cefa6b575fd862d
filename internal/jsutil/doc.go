//go:build js && wasm

// Package jsutil fills the gaps in safejs the widget needs: awaiting a
// Promise with a context, typed JS errors, and a panic boundary around every
// callback and goroutine so a Go panic never ends the program.
package jsutil
