//go:build js

package b24

// The wasm build has no default transport: net/http would quadruple the
// download. The widget passes the fetch transport with WithTransport.
func defaultTransport() Transport { return nil }
