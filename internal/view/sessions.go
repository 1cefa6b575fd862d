//go:build js && wasm

package view

import (
	"strconv"

	"github.com/hack-pad/safejs"
)

// SetSessions replaces the list with one li[data-session-id] per ID. The
// rows are built in a detached fragment and attached in one step, so a
// 10,000-ID result costs one layout, not 10,000.
func (v *View) SetSessions(ids []int64, label string) error {
	frag, err := v.doc.Call("createDocumentFragment")
	if err != nil {
		return err
	}
	for _, id := range ids {
		li, err := v.doc.Call("createElement", "li")
		if err != nil {
			return err
		}
		s := strconv.FormatInt(id, 10)
		if err := setAttr(li, "data-session-id", s); err != nil {
			return err
		}
		if err := li.Set("textContent", label+s); err != nil {
			return err
		}
		if _, err := frag.Call("appendChild", li); err != nil {
			return err
		}
	}
	if _, err := v.list.Call("replaceChildren", frag); err != nil {
		return err
	}
	return v.resultTitle.Set("hidden", len(ids) == 0)
}

// Rows returns the list's li elements, for callers that enrich rows later.
func (v *View) Rows() (safejs.Value, error) {
	return v.list.Call("querySelectorAll", "li[data-session-id]")
}
