//go:build js && wasm

// Command exits stands in for a widget whose Go program ends: loader.js must
// notice and offer a reload instead of leaving a dead page.
package main

func main() {}
