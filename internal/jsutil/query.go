//go:build js && wasm

package jsutil

import (
	"github.com/hack-pad/safejs"
)

// QueryParam reads one parameter of the page's URL. The portal puts LANG
// there, so errors before the handshake can already speak the user's language.
func QueryParam(name string) string {
	loc, err := safejs.Global().Get("location")
	if err != nil {
		return ""
	}
	search, err := loc.Get("search")
	if err != nil {
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
