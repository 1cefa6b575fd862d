//go:build js && wasm

package view

import (
	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/domid"
)

// The chat sidebar adds to the widget's DOM contract:
//
//	html[data-placement]              the placement the portal opened: DEFAULT, IM_NAVIGATION, IM_SIDEBAR, ...
//	#pa-dialog[data-dialog-id]        the open dialog's block (e.g. chat1364), hidden elsewhere
//	#pin-dialog, #unpin-dialog        pin or unpin that one dialog
//
// The dialog buttons follow data-state like #pin-all and #unpin-all.

type dialogView struct{ box, title, pin, unpin safejs.Value }

// SetPlacement writes html[data-placement].
func (v *View) SetPlacement(placement string) {
	logged("placement", setAttr(v.root, "data-placement", placement))
}

// ShowDialog shows the block for dialogID; its buttons follow data-state and,
// after Listen, call its events.
func (v *View) ShowDialog(dialogID string, l DialogLabels) error {
	d := &dialogView{}
	if err := find(v.doc, element{domid.Dialog, &d.box}, element{domid.DialogTitle, &d.title},
		element{domid.PinDialog, &d.pin}, element{domid.UnpinDialog, &d.unpin}); err != nil {
		return err
	}
	if err := firstErr(
		setAttr(d.box, "data-dialog-id", dialogID),
		d.title.Set("textContent", l.Title),
		d.pin.Set("textContent", l.Pin),
		d.unpin.Set("textContent", l.Unpin),
		d.box.Set("hidden", false),
	); err != nil {
		return err
	}
	v.dialog = d
	if v.listened {
		if err := listen([]button{{d.pin, v.events.PinDialog}, {d.unpin, v.events.UnpinDialog}}); err != nil {
			return err
		}
	}
	v.stateShown = false // the new buttons follow the state too
	return v.setState(v.state, v.actionsOn)
}

// actionButtons are the buttons data-state governs: the first n of b (an
// array, not a slice: nothing to allocate at each change of state).
func (v *View) actionButtons() (b [4]safejs.Value, n int) {
	b[0], b[1] = v.pin, v.unpin
	if v.dialog == nil {
		return b, 2
	}
	b[2], b[3] = v.dialog.pin, v.dialog.unpin
	return b, 4
}

// SetDialogTitle names the sidebar's dialog ("This dialog: ..."), as text.
// Before ShowDialog there is no block: nothing to name.
func (v *View) SetDialogTitle(title string) {
	if v.dialog != nil {
		logged("dialog title", v.dialog.title.Set("textContent", title))
	}
}
