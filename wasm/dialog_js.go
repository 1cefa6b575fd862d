//go:build js && wasm

package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/view"
)

// The chat sidebar (IM_SIDEBAR) knows the open dialog: the widget offers to
// pin or unpin that one (imopenlines.session.mode.pin) besides "pin all".
const (
	pinDialog action = iota + 100
	unpinDialog
)

// chatID reads "chatNNN" (PLACEMENT_OPTIONS.dialogId of an open-line chat);
// 0 for anything else, such as a private chat's user id.
func chatID(dialogID string) int64 {
	digits, ok := strings.CutPrefix(dialogID, "chat")
	if !ok || digits == "" || len(digits) > 18 {
		return 0
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// setupDialog marks the placement on the page and, in a chat sidebar with
// an open-line dialog, shows and wires the dialog's buttons.
func (a *app) setupDialog(init frame.InitData) error {
	_ = a.view.SetPlacement(init.Placement)
	if init.Placement != "IM_SIDEBAR" {
		return nil
	}
	dialog := init.DialogID()
	id := chatID(dialog)
	if id == 0 {
		return nil
	}
	d := l10n.DialogTextsFor(a.lang)
	pin, unpin, err := a.view.ShowDialog(dialog, view.DialogLabels{Title: d.Title, Pin: d.Pin, Unpin: d.Unpin})
	if err != nil {
		return err
	}
	a.chatID = id
	for _, b := range []struct {
		el  safejs.Value
		act action
	}{{pin, pinDialog}, {unpin, unpinDialog}} {
		act := b.act
		if _, err := jsutil.AddEventListener(b.el, "click", func(safejs.Value) { a.click(act) }); err != nil {
			return err
		}
	}
	return nil
}

// busyText is the status line while act runs.
func busyText(l l10n.Lang, act action) string {
	switch act {
	case pinDialog:
		return l10n.DialogTextsFor(l).PinBusy
	case unpinDialog:
		return l10n.DialogTextsFor(l).UnpinBusy
	case unpinAll:
		return l10n.TextsFor(l).UnpinBusy
	}
	return l10n.TextsFor(l).PinBusy
}

// runDialog performs a dialog action; false when act is not one.
func (a *app) runDialog(act action) bool {
	if act != pinDialog && act != unpinDialog {
		return false
	}
	if err := a.client.Pin(context.Background(), a.chatID, act == pinDialog); err != nil {
		a.showError(err, true)
		return true
	}
	d := l10n.DialogTextsFor(a.lang)
	// The session list belongs to the last action: this one touched no list.
	_ = a.view.SetSessions(nil, l10n.TextsFor(a.lang).SessionLabel)
	status := d.Pinned
	if act == unpinDialog {
		status = d.Unpinned
	}
	_ = a.view.SetStatus(status)
	_ = a.view.SetState(view.Done, true)
	a.fit()
	return true
}
