package widget

import (
	"context"
	"strings"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/view"
)

// The chat sidebar (IM_SIDEBAR) knows the open dialog: the widget offers to
// pin or unpin that one (imopenlines.session.mode.pin) besides "pin all",
// and names it: "This dialog: <customer and line>, <channel>". Its state is
// Widget's chatID, naming and named.

// chatID reads "chatNNN" (PLACEMENT_OPTIONS.dialogId of an open-line chat);
// 0 for anything else, such as a private chat's user id.
func chatID(dialogID string) int64 {
	digits, ok := strings.CutPrefix(dialogID, "chat")
	if !ok || digits == "" || len(digits) > 18 {
		return 0
	}
	n, ok := ascii.ParseInt(digits)
	if !ok || n <= 0 {
		return 0
	}
	return n
}

// setupSidebar marks the placement on the page and, in a chat sidebar with
// an open-line dialog, shows the dialog's block. mu is held.
func (w *Widget) setupSidebar(init frame.InitData) error {
	w.page.SetPlacement(init.Placement)
	if init.Placement != "IM_SIDEBAR" {
		return nil
	}
	dialog := init.DialogID()
	id := chatID(dialog)
	if id == 0 {
		return nil
	}
	d := l10n.DialogTextsFor(w.lang)
	if err := w.page.ShowDialog(dialog, view.DialogLabels{Title: d.Title, Pin: d.Pin, Unpin: d.Unpin}); err != nil {
		return err
	}
	w.chatID = id
	return nil
}

// nameDialog looks the sidebar's dialog up (imopenlines.dialog.get by its
// chat) and names it in the block's title. It runs after ready and after
// each action, until one lookup succeeded; it never waits for the lookup. A
// failed one leaves the title as it was ("This dialog") and is logged for
// developers only: the buttons work without the name. mu is held.
func (w *Widget) nameDialog() {
	if w.chatID == 0 || w.named || w.naming || w.client == nil {
		return
	}
	w.naming = true
	id, lang, client := w.chatID, w.lang, w.client
	w.deps.Go(func() {
		w.page.AfterPaint() // ready (or the result) is on screen first
		// One request, as a click's: the lookups' pacer is for batches.
		d, err := client.DialogByChat(context.Background(), id)
		w.mu.Lock()
		defer w.mu.Unlock()
		w.naming = false
		if err != nil {
			w.page.Log("pinall: this dialog's name: " + l10n.Explain(lang, err).Log)
			return
		}
		if d.Name == "" {
			return // nothing to name it by: the title stays
		}
		w.named = true
		w.page.SetDialogTitle(lang.ThisDialog(d.Name, lang.Channel(d.Connector)))
		w.fit()
	})
}
