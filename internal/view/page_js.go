//go:build js && wasm

package view

import (
	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/jsutil"
)

// The View is the widget controller's page (internal/widget's Page) and the
// InstallView the installer's (internal/install's Page). A DOM failure is
// logged to the console where it happens, so the controllers have no errors
// to drop; the calls whose failure ends start-up or an action still return
// theirs.

// logged reports a DOM failure for developers; the page goes on.
func logged(what string, err error) {
	if err != nil {
		jsutil.ConsoleError("pinall: view: " + what + ": " + err.Error())
	}
}

// Listen wires the buttons and the session list to ev, once; the sidebar
// block's buttons too, whether it is shown before or after (ShowDialog).
func (v *View) Listen(ev Events) error {
	v.events, v.listened = ev, true
	buttons := []button{{v.pin, ev.PinAll}, {v.unpin, ev.UnpinAll}, {v.stop, ev.Stop}}
	if d := v.dialog; d != nil {
		buttons = append(buttons, button{d.pin, ev.PinDialog}, button{d.unpin, ev.UnpinDialog})
	}
	if err := listen(buttons); err != nil {
		return err
	}
	return v.listenRows(RowEvents{Open: ev.Open, More: ev.More, Near: ev.Near})
}

// button is a button and what its click calls (nil: nothing).
type button struct {
	el safejs.Value
	fn func()
}

func listen(buttons []button) error {
	for _, b := range buttons {
		if b.fn == nil {
			continue
		}
		fn := b.fn
		if _, err := jsutil.AddEventListener(b.el, "click", func(safejs.Value) { fn() }); err != nil {
			return err
		}
	}
	return nil
}

// AfterPaint returns once the page had a frame to paint (jsutil.AfterPaint).
func (v *View) AfterPaint() { jsutil.AfterPaint() }

// Log writes a line for developers to the console.
func (v *View) Log(msg string) { jsutil.ConsoleError(msg) }

// Log writes a line for developers to the console.
func (v *InstallView) Log(msg string) { jsutil.ConsoleError(msg) }

// ListenFinish calls fn on a click of the finish button.
func (v *InstallView) ListenFinish(fn func()) error {
	_, err := jsutil.AddEventListener(v.finish, "click", func(safejs.Value) { fn() })
	return err
}
