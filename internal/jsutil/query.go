//go:build js && wasm

package jsutil

import (
	"github.com/hack-pad/safejs"
)

// QueryParam reads one parameter of the page's URL. The portal puts LANG
// there, so errors before the handshake can already speak the user's language.
func QueryParam(name string) string {
	search, ok := location("search")
	if !ok {
		return ""
	}
	params, err := safejs.Global().Get("URLSearchParams")
	if err != nil {
		return ""
	}
	p, err := params.New(search)
	if err != nil {
		return ""
	}
	v, err := p.Call("get", name)
	if err != nil || v.IsNull() {
		return ""
	}
	s, _ := v.String()
	return s
}

// PageURL is the page's own URL (location.href), or "" if it cannot be read.
func PageURL() string {
	href, ok := location("href")
	if !ok {
		return ""
	}
	s, _ := href.String()
	return s
}

// location reads one property of the page's location.
func location(key string) (safejs.Value, bool) {
	loc, err := safejs.Global().Get("location")
	if err != nil {
		return safejs.Value{}, false
	}
	v, err := loc.Get(key)
	return v, err == nil
}
