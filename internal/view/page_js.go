//go:build js && wasm

package view

import (
	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/jsutil"
)

// Page is the widget's View as its controller (internal/widget) drives it.
// A DOM failure is logged to the console here, where it happens, so the
// controller has no errors to drop; the calls whose failure ends start-up or
// an action still return theirs.
type Page struct{ v *View }

// NewPage finds the widget page's elements (see New).
func NewPage() (*Page, error) {
	v, err := New()
	if err != nil {
		return nil, err
	}
	return &Page{v: v}, nil
}

// logged reports a DOM failure for developers; the page goes on.
func logged(what string, err error) {
	if err != nil {
		jsutil.ConsoleError("pinall: view: " + what + ": " + err.Error())
	}
}

func (p *Page) SetLabels(l Labels)            { logged("labels", p.v.SetLabels(l)) }
func (p *Page) SetPlacement(placement string) { logged("placement", p.v.SetPlacement(placement)) }
func (p *Page) SetState(s State, actionsOn bool) {
	logged("state "+string(s), p.v.SetState(s, actionsOn))
}
func (p *Page) SetStatus(text string)          { logged("status", p.v.SetStatus(text)) }
func (p *Page) SetError(text string)           { logged("error", p.v.SetError(text)) }
func (p *Page) SetDialogTitle(title string)    { logged("dialog title", p.v.SetDialogTitle(title)) }
func (p *Page) FillRow(sessionID int64, r Row) { logged("row", p.v.FillRow(sessionID, r)) }
func (p *Page) NoteRow(sessionID int64, note string) {
	logged("row note", p.v.NoteRow(sessionID, note))
}
func (p *Page) SetMore(show bool, text string)              { logged("show more", p.v.SetMore(show, text)) }
func (p *Page) WatchRow(index int)                          { logged("watch row", p.v.WatchRow(index)) }
func (p *Page) SetSessions(ids []int64, label string) error { return p.v.SetSessions(ids, label) }

// ShowDialog shows the chat sidebar's block for dialogID.
func (p *Page) ShowDialog(dialogID string, l DialogLabels) error {
	_, _, err := p.v.ShowDialog(dialogID, l)
	return err
}

// Listen wires the buttons (the sidebar block's too, once shown) and the
// session list to ev.
func (p *Page) Listen(ev Events) error {
	pin, unpin := p.v.Buttons()
	buttons := []struct {
		el safejs.Value
		fn func()
	}{{pin, ev.PinAll}, {unpin, ev.UnpinAll}}
	if d := p.v.dialog; d != nil {
		buttons = append(buttons, struct {
			el safejs.Value
			fn func()
		}{d.pin, ev.PinDialog}, struct {
			el safejs.Value
			fn func()
		}{d.unpin, ev.UnpinDialog})
	}
	for _, b := range buttons {
		if b.fn == nil {
			continue
		}
		fn := b.fn
		if _, err := jsutil.AddEventListener(b.el, "click", func(safejs.Value) { fn() }); err != nil {
			return err
		}
	}
	return p.v.ListenRows(RowEvents{Open: ev.Open, More: ev.More, Near: ev.Near})
}

// AfterPaint returns once the page had a frame to paint (jsutil.AfterPaint).
func (p *Page) AfterPaint() { jsutil.AfterPaint() }

// Log writes a line for developers to the console.
func (p *Page) Log(msg string) { jsutil.ConsoleError(msg) }

// ContentHeight is the content's height, for the frame's Fitter.
func (p *Page) ContentHeight() (int, error) { return p.v.ContentHeight() }

// InstallPage is the installer's view as its controller (internal/install)
// drives it, logging its own DOM failures like Page.
type InstallPage struct{ v *InstallView }

// NewInstallPage finds the installer page's elements.
func NewInstallPage() (*InstallPage, error) {
	v, err := NewInstall()
	if err != nil {
		return nil, err
	}
	return &InstallPage{v: v}, nil
}

func (p *InstallPage) SetLabels(l InstallLabels) { logged("labels", p.v.SetLabels(l)) }
func (p *InstallPage) SetState(s State, finishOn bool) {
	logged("state "+string(s), p.v.SetState(s, finishOn))
}
func (p *InstallPage) SetStatus(text string) { logged("status", p.v.SetStatus(text)) }
func (p *InstallPage) SetError(text string)  { logged("error", p.v.SetError(text)) }
func (p *InstallPage) SetPlacements(rows []PlacementRow) {
	logged("placements", p.v.SetPlacements(rows))
}
func (p *InstallPage) Log(msg string)              { jsutil.ConsoleError(msg) }
func (p *InstallPage) ContentHeight() (int, error) { return p.v.ContentHeight() }

// ListenFinish calls fn on a click of the finish button.
func (p *InstallPage) ListenFinish(fn func()) error {
	_, err := jsutil.AddEventListener(p.v.FinishButton(), "click", func(safejs.Value) { fn() })
	return err
}
