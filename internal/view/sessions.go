//go:build js && wasm

package view

import (
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/domid"
	"github.com/pinall/pinall/internal/jsutil"
)

// The session list's part of the DOM contract:
//
//	#sessions li[data-session-id]      one per session of the last action, its ID in its text;
//	                                   all of them there at done
//	#sessions[aria-busy=true]          an action is running
//	li[data-chat-id]                   the session's chat, once its dialog was looked up
//	li[data-lookup]                    done (name, channel, open button) | failed (a quiet note)
//	li .pa-row-name, .pa-row-channel   the dialog's name and its channel
//	li button.pa-open                  opens the dialog in the messenger; aria-label names the dialog
//	li .pa-row-note                    why the row has no name; plain text, not a live region
//	#sessions-more                     looks up the names of the next rows (hidden when none are left)
//	#sessions[data-lookups]            busy: names queued or being looked up; idle: none until a scroll
//	                                   (or every row is named)
//
// A row starts as its text alone; the elements of an enriched row are made
// only when its lookup lands, so a 10,000-row result costs one li each.

// rowsView is the list's state: where each session's row is, and the
// listeners of listenRows. No handle per row is kept: every JS value Go holds
// costs a finalizer, and a 10,000-row result is mostly never touched again;
// a row is fetched by index (#sessions' children) when a lookup fills it.
type rowsView struct {
	ids      []int64      // the sessions of the list, in order
	near     int          // index of the row a lookup last named: the search for the next starts here
	more     safejs.Value // #sessions-more, made on first use
	moreOn   bool         // more is shown
	moreText string       // and says this
	titleOn  int8         // the result's title: 0 unknown, 1 hidden, 2 shown
	lookups  string       // data-lookups as last written: "", "idle" or "busy"
	dataset  safejs.Value // the list's, looked up on first use
	watching bool         // the observer watches a row
	observer safejs.Value // IntersectionObserver on the watched row
	listened bool
}

// SetSessions replaces the list with one li[data-session-id] per ID, its
// text the label with the ID in place of {id}. text is ids in decimal,
// joined by commas ("1652,1653"), as b24.IDs has it: the list crosses into
// JS as that one string, and the page's rows helper (rows.js) builds every
// row in one fragment put in with one replaceChildren: the list is whole
// when this returns, in the click's own task, as plain JavaScript would
// have it. (Appending rows over later frames brought done sooner, but every
// frame laid the list out again: the whole list came ~10x after done, make
// bench's 10,000-ID click.)
func (v *View) SetSessions(ids []int64, text, label string) error {
	if err := v.unwatch(); err != nil {
		return err
	}
	v.rows.ids, v.rows.near = ids, 0
	var list any = text
	if text == "" {
		list = v.js.of("")
	}
	if _, err := v.fill.Invoke(v.list, list, v.js.of(label)); err != nil {
		return err
	}
	if err := v.setMore(false, ""); err != nil {
		return err
	}
	title := int8(1)
	if len(ids) > 0 {
		title = 2
	}
	if v.rows.titleOn == title {
		return nil
	}
	err := v.resultTitle.Set("hidden", title == 1)
	if err == nil {
		v.rows.titleOn = title
	}
	return err
}

// row is the list's li at index i, or false when there is none.
func (v *View) row(i int) (safejs.Value, bool) {
	if i < 0 || i >= len(v.rows.ids) {
		return safejs.Value{}, false
	}
	children, err := v.list.Get("children")
	if err != nil {
		return safejs.Value{}, false
	}
	li, err := children.Index(i)
	if err != nil || li.Type() != safejs.TypeObject {
		return safejs.Value{}, false
	}
	return li, true
}

// rowOf is the row of a session of the list, or false. Lookups name rows
// in list order, a page at a time (in any order within it), so the search
// goes outwards from the row named last and finds the next within a few
// steps: no index of 10,000 sessions is built, which would cost a click a
// map of them in wasm. A session listed twice is found at the row nearer to the
// last one named.
func (v *View) rowOf(sessionID int64) (safejs.Value, bool) {
	ids, c := v.rows.ids, v.rows.near
	for d := 0; c+d < len(ids) || c-d > 0; d++ {
		if i := c + d; i < len(ids) && ids[i] == sessionID {
			v.rows.near = i
			return v.row(i)
		}
		if i := c - d - 1; i >= 0 && ids[i] == sessionID {
			v.rows.near = i
			return v.row(i)
		}
	}
	return safejs.Value{}, false
}

// FillRow shows the dialog of a session's row: its name first, then the
// channel, the session's own text, and the open button. A session not in
// the list is ignored (the list changed since the lookup started).
func (v *View) FillRow(sessionID int64, r Row) { logged("row", v.fillRow(sessionID, r)) }

func (v *View) fillRow(sessionID int64, r Row) error {
	li, ok := v.rowOf(sessionID)
	if !ok {
		return nil
	}
	sid, err := li.Get("textContent")
	if err != nil {
		return err
	}
	sidText, _ := sid.String()
	if state, _ := li.Call("getAttribute", "data-lookup"); !state.IsNull() {
		// Filled before: keep the session's text, not the old row's.
		old, _ := li.Call("querySelector", ".pa-row-sid")
		if !old.IsNull() {
			t, _ := old.Get("textContent")
			sidText, _ = t.String()
		}
	}
	name, err := v.span("pa-row-name", r.Name)
	if err != nil {
		return err
	}
	channel, err := v.span("pa-row-channel", r.Channel)
	if err != nil {
		return err
	}
	sidSpan, err := v.span("pa-row-sid", sidText)
	if err != nil {
		return err
	}
	btn, err := v.doc.Call("createElement", "button")
	if err != nil {
		return err
	}
	if err := firstErr(
		btn.Set("type", "button"),
		btn.Set("className", "pa-btn pa-btn-light pa-open"),
		btn.Set("textContent", r.Open),
		setAttr(btn, "aria-label", r.OpenLabel),
	); err != nil {
		return err
	}
	parts := []any{name}
	if r.Channel != "" {
		parts = append(parts, channel)
	}
	parts = append(parts, sidSpan, btn)
	if _, err := li.Call("replaceChildren", parts...); err != nil {
		return err
	}
	return firstErr(
		setAttr(li, "data-chat-id", strconv.FormatInt(r.ChatID, 10)),
		setAttr(li, "data-lookup", "done"),
	)
}

// NoteRow marks a session's row whose dialog could not be looked up: it
// keeps its ID and gets a quiet note (text, no live region: the action
// succeeded, this is a remark). A session not in the list is ignored.
func (v *View) NoteRow(sessionID int64, note string) { logged("row note", v.noteRow(sessionID, note)) }

func (v *View) noteRow(sessionID int64, note string) error {
	li, ok := v.rowOf(sessionID)
	if !ok {
		return nil
	}
	if state, _ := li.Call("getAttribute", "data-lookup"); !state.IsNull() {
		return nil // looked up already; a late note changes nothing
	}
	span, err := v.span("pa-row-note", note)
	if err != nil {
		return err
	}
	if _, err := li.Call("append", " ", span); err != nil {
		return err
	}
	return setAttr(li, "data-lookup", "failed")
}

func (v *View) span(class, text string) (safejs.Value, error) {
	el, err := v.doc.Call("createElement", "span")
	if err != nil {
		return el, err
	}
	return el, firstErr(el.Set("className", class), el.Set("textContent", text))
}

// SetLookups marks whether names of the list are being looked up: a test
// waits for idle instead of watching for a late lookup.
func (v *View) SetLookups(busy bool) {
	s := "idle"
	if busy {
		s = "busy"
	}
	if s == v.rows.lookups {
		return
	}
	if v.rows.dataset.IsUndefined() {
		ds, err := v.list.Get("dataset")
		if err != nil {
			logged("lookups", err)
			return
		}
		v.rows.dataset = ds
	}
	err := v.rows.dataset.Set("lookups", v.js.of(s))
	if err == nil {
		v.rows.lookups = s
	}
	logged("lookups", err)
}

// SetMore shows (with text) or hides the button that looks up the next rows.
func (v *View) SetMore(show bool, text string) { logged("show more", v.setMore(show, text)) }

func (v *View) setMore(show bool, text string) error {
	if v.rows.more.IsUndefined() {
		if !show {
			return nil
		}
		if err := v.makeMore(); err != nil {
			return err
		}
	}
	// Written only when it changes: SetSessions hides it and the lookups
	// show it again in the result's own task.
	if show && v.rows.moreText != text {
		if err := v.rows.more.Set("textContent", text); err != nil {
			return err
		}
		v.rows.moreText = text
	}
	if show == v.rows.moreOn {
		return nil
	}
	if err := v.rows.more.Set("hidden", !show); err != nil {
		return err
	}
	v.rows.moreOn = show
	return nil
}

// makeMore puts the hidden #sessions-more button right after the list.
func (v *View) makeMore() error {
	btn, err := v.doc.Call("createElement", "button")
	if err != nil {
		return err
	}
	if err := firstErr(
		btn.Set("type", "button"),
		btn.Set("id", domid.More),
		btn.Set("className", "pa-btn pa-btn-light pa-more"),
		btn.Set("hidden", true),
		setAttr(btn, "aria-controls", "sessions"),
	); err != nil {
		return err
	}
	if _, err := v.list.Call("after", btn); err != nil {
		return err
	}
	v.rows.more = btn
	return nil
}

// RowEvents are the list's callbacks. They run on the JS event loop: they
// must not block.
type RowEvents struct {
	Open func(chatID int64) // a row's open button
	More func()             // the "show more" button
	Near func()             // the watched row scrolled into view (see WatchRow)
}

// listenRows wires the list once: one click listener for every row's open
// button (delegated: no function per row), one for the "show more" button,
// and an IntersectionObserver for WatchRow. They live as long as the page.
func (v *View) listenRows(ev RowEvents) error {
	if v.rows.listened {
		return nil
	}
	if _, err := jsutil.AddEventListener(v.list, "click", func(e safejs.Value) {
		target, err := e.Get("target")
		if err != nil || target.Type() != safejs.TypeObject {
			return
		}
		btn, err := target.Call("closest", "button.pa-open")
		if err != nil || btn.IsNull() {
			return
		}
		li, err := btn.Call("closest", "li[data-chat-id]")
		if err != nil || li.IsNull() {
			return
		}
		raw, err := li.Call("getAttribute", "data-chat-id")
		if err != nil {
			return
		}
		s, _ := raw.String()
		if id, ok := ascii.ParseInt(s); ok && id > 0 && ev.Open != nil {
			ev.Open(id)
		}
	}); err != nil {
		return err
	}
	if v.rows.more.IsUndefined() {
		if err := v.makeMore(); err != nil {
			return err
		}
	}
	if _, err := jsutil.AddEventListener(v.rows.more, "click", func(safejs.Value) {
		if ev.More != nil {
			ev.More()
		}
	}); err != nil {
		return err
	}
	cb, err := jsutil.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 || ev.Near == nil {
			return nil
		}
		entries := args[0]
		n, _ := entries.Length()
		for i := 0; i < n; i++ {
			e, err := entries.Index(i)
			if err != nil {
				continue
			}
			in, _ := e.Get("isIntersecting")
			if b, _ := in.Bool(); b {
				ev.Near()
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	ctor, err := safejs.Global().Get("IntersectionObserver")
	if err == nil && ctor.Type() == safejs.TypeFunction {
		opts := map[string]any{"root": v.list, "rootMargin": "0px 0px 80px 0px"}
		obs, err := ctor.New(cb, opts)
		if err != nil {
			cb.Release()
			return err
		}
		v.rows.observer = obs
	} else {
		cb.Release() // no observer here: "show more" still works
	}
	v.rows.listened = true
	return nil
}

// WatchRow makes the row at index (0-based, in list order) the one whose
// scrolling into view calls RowEvents.Near; -1 (or an index past the end)
// watches nothing.
func (v *View) WatchRow(index int) { logged("watch row", v.watchRow(index)) }

func (v *View) watchRow(index int) error {
	if err := v.unwatch(); err != nil {
		return err
	}
	if obs := v.rows.observer; obs.IsUndefined() || obs.IsNull() {
		return nil // no IntersectionObserver here: "show more" still works
	}
	li, ok := v.row(index)
	if !ok {
		return nil
	}
	_, err := v.rows.observer.Call("observe", li)
	v.rows.watching = err == nil
	return err
}

// unwatch stops watching the watched row, if any.
func (v *View) unwatch() error {
	if !v.rows.watching {
		return nil
	}
	if _, err := v.rows.observer.Call("disconnect"); err != nil {
		return err
	}
	v.rows.watching = false
	return nil
}
