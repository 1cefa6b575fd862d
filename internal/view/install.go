//go:build js && wasm

package view

import (
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/domid"
)

// The installer page's DOM contract (widget/install.html):
//
//	<html data-page="install" data-state>  loading | busy | done | error | finished
//	#placements        one li[data-placement][data-result] per placement;
//	                   data-result is bound | already | rebound | failed
//	#install-finish    sends setInstallFinish (enabled in done and error)
//	[role=status]      what the installer is doing or did
//	[role=alert]       why a placement failed, empty when none did
//
// finished means setInstallFinish was sent: the portal reloads the app.

// InstallView holds the installer page's elements.
type InstallView struct {
	doc, root                    safejs.Value
	title, hint, listTitle, list safejs.Value
	finish, status, alert        safejs.Value
}

// NewInstall finds the installer page's elements.
func NewInstall() (*InstallView, error) {
	doc, root, err := document()
	if err != nil {
		return nil, err
	}
	v := &InstallView{doc: doc, root: root}
	return v, find(doc,
		element{domid.Title, &v.title}, element{domid.Hint, &v.hint}, element{domid.ListTitle, &v.listTitle},
		element{domid.Placements, &v.list}, element{domid.Finish, &v.finish}, element{domid.Status, &v.status},
		element{domid.Alert, &v.alert})
}

// SetLabels localises the installer page.
func (v *InstallView) SetLabels(l InstallLabels) {
	logged("labels", firstErr(
		v.title.Set("textContent", l.Title),
		v.hint.Set("textContent", l.Hint),
		v.listTitle.Set("textContent", l.ListTitle),
		v.finish.Set("textContent", l.Finish),
	))
}

// SetState moves the page to s; finishOn enables the finish button.
func (v *InstallView) SetState(s State, finishOn bool) {
	dataset, err := v.root.Get("dataset")
	busy := strconv.FormatBool(s == Busy || s == Loading)
	if err == nil {
		err = firstErr(dataset.Set("state", string(s)), v.finish.Set("disabled", !finishOn),
			setAttr(v.list, "aria-busy", busy))
	}
	logged("state "+string(s), err)
}

// SetPlacements replaces the list.
func (v *InstallView) SetPlacements(rows []PlacementRow) { logged("placements", v.setPlacements(rows)) }

func (v *InstallView) setPlacements(rows []PlacementRow) error {
	frag, err := v.doc.Call("createDocumentFragment")
	if err != nil {
		return err
	}
	for _, r := range rows {
		li, err := v.doc.Call("createElement", "li")
		if err != nil {
			return err
		}
		name, err1 := v.span("pa-place-name", r.Name)
		said, err2 := v.span("pa-place-result", r.Said)
		if err := firstErr(err1, err2, setAttr(li, "data-placement", r.Placement), setAttr(li, "data-result", r.Result)); err != nil {
			return err
		}
		// A text node between the two, so the row reads "name: result".
		sep, err := v.doc.Call("createTextNode", ": ")
		if err != nil {
			return err
		}
		for _, c := range []safejs.Value{name, sep, said} {
			if _, err := li.Call("appendChild", c); err != nil {
				return err
			}
		}
		if _, err := frag.Call("appendChild", li); err != nil {
			return err
		}
	}
	_, err = v.list.Call("replaceChildren", frag)
	return err
}

func (v *InstallView) span(class, text string) (safejs.Value, error) {
	s, err := v.doc.Call("createElement", "span")
	if err != nil {
		return s, err
	}
	return s, firstErr(s.Set("className", class), s.Set("textContent", text))
}

// SetStatus writes the status line; SetError the alert ("" clears it).
func (v *InstallView) SetStatus(text string) { logged("status", v.status.Set("textContent", text)) }

// SetError writes the alert line.
func (v *InstallView) SetError(text string) { logged("error", v.alert.Set("textContent", text)) }

// ContentHeight is the content's height for resizeWindow (see View.ContentHeight).
func (v *InstallView) ContentHeight() (int, error) {
	return (&View{root: v.root}).ContentHeight()
}
