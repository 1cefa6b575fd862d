//go:build js && wasm

package view

import (
	"errors"

	"github.com/hack-pad/safejs"
)

// element names one element the program writes to, and where to keep it.
type element struct {
	id  string
	dst *safejs.Value
}

// document returns the page's document and its root element.
func document() (doc, root safejs.Value, err error) {
	if doc, err = safejs.Global().Get("document"); err != nil {
		return doc, root, err
	}
	root, err = doc.Get("documentElement")
	return doc, root, err
}

// find looks each element up by id. A missing one is an error: the page and
// the program disagree about the contract.
func find(doc safejs.Value, els ...element) error {
	for _, e := range els {
		el, err := doc.Call("getElementById", e.id)
		if err != nil {
			return err
		}
		if el.IsNull() || el.IsUndefined() {
			return errors.New("view: the page has no #" + e.id)
		}
		*e.dst = el
	}
	return nil
}
