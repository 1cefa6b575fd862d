//go:build js && wasm

// Package view owns the widget's DOM and its public contract:
//
//	<html data-state>  loading | ready | busy | done | error
//	#pin-all, #unpin-all   the buttons
//	#pa-stop               shown while a click waits for the portal's rate
//	                       limit (data-state stays busy): ends the wait
//	[role=status]          the outcome of the last action
//	[role=alert]           the error, empty when there is none
//	#sessions              one li[data-session-id] per session of the last action
//	                       (li[data-chat-id][data-lookup]: see sessions.go)
//
// Every string reaches the DOM as text (textContent, setAttribute), never
// as HTML. The view knows no REST and no words: callers pass finished text.
// View is internal/widget's Page (InstallView internal/install's); the values
// they pass are plain Go (page.go). A failed DOM write is logged here
// (page_js.go), where it happens. The view holds no lock: only its
// controller writes to it, under the controller's mutex (internal/widget).
package view

import (
	"errors"
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/domid"
)

// View holds the elements it writes to, looked up once.
type View struct {
	doc, root                safejs.Value
	pin, unpin, stop         safejs.Value
	title, hint, resultTitle safejs.Value
	status, alert, list      safejs.Value
	state                    State
	actionsOn                bool
	dialog                   *dialogView // the chat sidebar's block (dialog.go), nil elsewhere
	events                   Events      // Listen's, for a block shown after it
	listened                 bool
	rows                     rowsView     // the session rows and their lookups (sessions.go)
	fill                     safejs.Value // the page's rows helper: builds a result's rows

	// What the page shows as this view last wrote it, so a write that would
	// change nothing is left out: each write is a call into JS, and a
	// click's writes happen inside its own task, before done is recorded.
	dataset    safejs.Value // root's, looked up on first use
	ariaProps  bool         // the engine reflects ARIA attributes as properties (ariaDisabled): looked up with dataset
	stateShown bool         // state and actionsOn are on the page, on every action button
	shown      struct{ status, alert shownText }
	js         jsStrings // JS copies of the strings written again and again
}

// jsStrings keeps a JS copy of each string the view writes again and again
// (attribute names and values, the states, the rows' label), made on its
// first write: a Go string handed to JS is copied into a new JS string at
// every call, a call into JS more and a finalizer, inside a click's own
// task. Only strings from a small fixed set go through it, a dozen; text
// that varies (the status line, a row's name) does not.
type jsStrings struct {
	_    noCompare
	kept []jsText // a dozen at most: a look through them costs less than a map's code
}

// of returns s's JS copy, made on its first use; s itself if none could be
// made (the call then copies it, as for any string).
func (j *jsStrings) of(s string) any {
	for _, k := range j.kept {
		if k.text == s {
			return k.v
		}
	}
	v, err := safejs.ValueOf(s)
	if err != nil {
		return s
	}
	j.kept = append(j.kept, jsText{text: s, v: v})
	return v
}

// shownText is an element's text as this view last wrote it, and the JS
// copies of the last two texts written: a status line goes back and forth
// between an action's busy words and its outcome, and a copy kept is handed
// to JS as it is, where a Go string is copied again at every write.
type shownText struct {
	_      noCompare
	text   string
	known  bool // text is what the element holds
	copies [2]jsText
	last   int // the copy written last
}

// jsText is a text and its JS copy, held as the any a call takes: made
// into one once, not at every call.
type jsText struct {
	_    noCompare
	text string
	v    any
}

// set writes text into el unless it holds it already.
func (t *shownText) set(el safejs.Value, text string) error {
	if t.known && t.text == text {
		return nil
	}
	i := t.last
	if t.copies[i].text != text || t.copies[i].v == nil {
		i = 1 - i
	}
	if t.copies[i].text != text || t.copies[i].v == nil {
		v, err := safejs.ValueOf(text)
		if err != nil {
			return err
		}
		t.copies[i] = jsText{text: text, v: v}
	}
	t.last = i
	err := el.Set("textContent", t.copies[i].v)
	t.text, t.known = text, err == nil
	return err
}

// New finds the page's elements; rows is the page's rows helper
// (pinallHost.rows, internal/host). A missing one is an error: the page and
// the program disagree about the contract.
func New(rows safejs.Value) (*View, error) {
	if rows.Type() != safejs.TypeFunction {
		return nil, errors.New("view: the page has no rows helper (pinallHost.rows, rows.js)")
	}
	doc, root, err := document()
	if err != nil {
		return nil, err
	}
	v := &View{doc: doc, root: root, fill: rows}
	return v, find(doc,
		element{domid.PinAll, &v.pin}, element{domid.UnpinAll, &v.unpin}, element{domid.Title, &v.title},
		element{domid.Hint, &v.hint}, element{domid.ResultTitle, &v.resultTitle}, element{domid.Status, &v.status},
		element{domid.Alert, &v.alert}, element{domid.Sessions, &v.list}, element{domid.Stop, &v.stop})
}

// SetLabels localises the page.
func (v *View) SetLabels(l Labels) {
	logged("labels", firstErr(
		v.title.Set("textContent", l.Title),
		v.hint.Set("textContent", l.Hint),
		v.pin.Set("textContent", l.PinAll),
		v.unpin.Set("textContent", l.UnpinAll),
		v.resultTitle.Set("textContent", l.ResultTitle),
	))
}

// SetState moves the page to s. While busy the buttons stay focusable but
// say aria-disabled, so a keyboard user keeps their place; the caller
// ignores clicks. Before the widget is usable they are really disabled.
func (v *View) SetState(s State, actionsOn bool) {
	if err := v.setState(s, actionsOn); err != nil {
		logged("state "+string(s), err)
	}
}

func (v *View) setState(s State, actionsOn bool) error {
	if v.dataset.IsUndefined() {
		ds, err := v.root.Get("dataset")
		if err != nil {
			return err
		}
		// An element without an attribute reflects it as null, where an
		// engine without ARIA reflection has no such property at all.
		aria, err := v.pin.Get("ariaDisabled")
		if err != nil {
			return err
		}
		v.dataset, v.ariaProps = ds, !aria.IsUndefined()
	}
	all := !v.stateShown
	onChanged := all || actionsOn != v.actionsOn
	busyChanged := all || (s == Busy) != (v.state == Busy)
	v.state, v.actionsOn = s, actionsOn
	err := v.dataset.Set("state", v.js.of(string(s)))
	busy := s == Busy
	buttons, n := v.actionButtons()
	for _, b := range buttons[:n] {
		if onChanged {
			err = orErr(err, b.Set("disabled", !actionsOn))
		}
		if busyChanged {
			err = orErr(err, v.setARIA(b, "aria-disabled", busy))
		}
	}
	if busyChanged {
		// aria-busy is not allowed on <html> (axe: aria-allowed-attr); the
		// list is what a busy action replaces, and the live regions stay
		// outside it.
		err = orErr(err, v.setARIA(v.list, "aria-busy", busy))
	}
	v.stateShown = err == nil
	return err
}

// SetStatus writes the outcome line.
func (v *View) SetStatus(text string) { logged("status", v.shown.status.set(v.status, text)) }

// SetStop shows the stop button with its label, or hides it.
func (v *View) SetStop(show bool, label string) {
	logged("stop", firstErr(v.stop.Set("textContent", label), v.stop.Set("hidden", !show)))
}

// SetError writes the error line; "" clears it.
func (v *View) SetError(text string) { logged("error", v.shown.alert.set(v.alert, text)) }

// ContentHeight is the height of the content in CSS pixels, for
// resizeWindow. The html element's box is measured, not scrollHeight, which
// never reports less than the frame's current height and so could only grow.
func (v *View) ContentHeight() (int, error) {
	rect, err := v.root.Call("getBoundingClientRect")
	if err != nil {
		return 0, err
	}
	h, err := rect.Get("height")
	if err != nil {
		return 0, err
	}
	f, err := h.Float()
	if err != nil {
		return 0, err
	}
	return int(f + 0.999), nil
}

// ariaNames are the properties that reflect the ARIA attributes setState
// writes (ARIA reflection).
var ariaNames = [...]struct{ attr, prop string }{
	{"aria-disabled", "ariaDisabled"},
	{"aria-busy", "ariaBusy"},
}

// setARIA sets el's ARIA attribute attr to "true" or "false": through its
// property where the engine reflects it, one call into JS that takes the
// bool as it is, where setAttribute would take two strings; through
// setAttribute elsewhere.
func (v *View) setARIA(el safejs.Value, attr string, on bool) error {
	if v.ariaProps {
		for _, p := range ariaNames {
			if p.attr == attr {
				return el.Set(p.prop, on)
			}
		}
	}
	return setAttr(el, v.js.of(attr), v.js.of(strconv.FormatBool(on)))
}

// setAttr sets an attribute; name and value are strings, or their JS copies
// (jsStrings).
func setAttr(el safejs.Value, name, value any) error {
	_, err := el.Call("setAttribute", name, value)
	return err
}

// orErr is err, or next when err is nil: the first of a run of writes' errors.
func orErr(err, next error) error {
	if err != nil {
		return err
	}
	return next
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
