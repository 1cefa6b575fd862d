//go:build !js

package e2e

// The widget in the messenger's placements: IM_SIDEBAR of an open-line chat
// (PLACEMENT_OPTIONS.dialogId chatNNN) adds "pin / unpin this dialog";
// IM_NAVIGATION shows the plain widget. The layout fits a ~300 px sidebar.

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

const (
	mPin = "imopenlines.session.mode.pin"

	// The demo's chat 1364, as the sidebar names it.
	chat1364Title = "This conversation: Eugene P. - Priority Support, Live chat"
)

type dialogBlock struct {
	Placement string `json:"placement"`
	Hidden    bool   `json:"hidden"`
	DialogID  string `json:"dialogId"`
	Title     string `json:"title"`
	Pin       string `json:"pin"`
	PinOn     bool   `json:"pinOn"`
	UnpinOn   bool   `json:"unpinOn"`
}

func (a *app) dialogBlock() dialogBlock {
	a.t.Helper()
	return evalAs[dialogBlock](a, `(() => {
		const box = document.getElementById("pa-dialog");
		const pin = document.getElementById("pin-dialog"), unpin = document.getElementById("unpin-dialog");
		return {placement: document.documentElement.dataset.placement || "", hidden: box.hidden,
			dialogId: box.dataset.dialogId || "", title: document.getElementById("pa-dialog-title").textContent,
			pin: pin.textContent, pinOn: !pin.disabled, unpinOn: !unpin.disabled};
	})()`)
}

// posts are the POSTs of one REST method.
func posts(p *devportal.Portal, method string) []devportal.RequestRecord {
	var out []devportal.RequestRecord
	for _, r := range restCalls(p, method) {
		if r.HTTPMethod == "POST" {
			out = append(out, r)
		}
	}
	return out
}

func sessionOf(p *devportal.Portal, id int) devportal.SessionView {
	return byID(p.Sessions())[id]
}

// dialogTitle waits for the sidebar block's title to be want.
func (a *app) dialogTitle(want string) {
	a.t.Helper()
	eventually(a.t, waitTimeout, "the dialog's title "+want, func() bool { return a.dialogBlock().Title == want })
}

// pinsChat1364 clicks "Pin this conversation" in chat1364's sidebar: its
// open session (1652) is pinned by one pin call, and nothing else.
func pinsChat1364(a *app, p *devportal.Portal) {
	t := a.t
	t.Helper()
	require.False(t, sessionOf(p, 1652).Pinned)
	a.click("#pin-dialog")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Equal(t, "This conversation is pinned: it stays with you.", a.dom().Status)
	assert.True(t, sessionOf(p, 1652).Pinned, "the chat's open session is pinned")
	assert.False(t, sessionOf(p, 1654).Pinned, "no other dialog touched")
	assert.Len(t, restCalls(p, mPin), 1)
	assert.Empty(t, restCalls(p, mPinAll))
}

func TestSidebarPinsAndUnpinsTheOpenDialog(t *testing.T) {
	p, _, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
	a.dialogTitle(chat1364Title) // named after ready (TestSidebarNamesItsDialog)
	b := a.dialogBlock()
	assert.Equal(t, dialogBlock{Placement: "IM_SIDEBAR", DialogID: "chat1364", Title: chat1364Title,
		Pin: "Pin this conversation", PinOn: true, UnpinOn: true}, b)
	a.waitFitted()
	pinsChat1364(a, p)

	a.click("#unpin-dialog")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	assert.Contains(t, a.dom().Status, "unpinned")
	assert.False(t, sessionOf(p, 1652).Pinned)

	// "Pin all" still works beside it.
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	assert.Equal(t, pinnable(p.Sessions(), operator), []int(nil))
}

// The sidebar names its dialog (imopenlines.dialog.get by the placement's
// chat) after ready, in the portal's language.
func TestSidebarNamesItsDialog(t *testing.T) {
	p, _, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
	a.dialogTitle(chat1364Title)
	assert.Len(t, posts(p, mDialogGet), 1)
	assert.Equal(t, stateReady, a.dom().State, "naming is not an action")

	_, _, ru := openReady(t, devportal.Config{Lang: "ru"}, "placement=IM_SIDEBAR&dialog=chat1364")
	ru.dialogTitle("Этот диалог: Eugene P. - Priority Support, Онлайн-чат")
}

// A refused lookup leaves today's title and says nothing alarming; the next
// action tries again.
func TestSidebarDialogNameRefused(t *testing.T) {
	p := startPortal(t, devportal.Config{})
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Method: mDialogGet, Code: "ACCESS_ERROR", Status: 403}))
	tb := newTab(t)
	a := openPortalApp(t, tb, p, "placement=IM_SIDEBAR&dialog=chat1364")
	require.Equal(t, stateReady, a.waitState(stateReady, stateError))
	// The lookup has ended when the widget logged it, for developers.
	eventually(t, waitTimeout, "the refused lookup's console line", func() bool {
		for _, l := range tb.console() {
			if strings.Contains(l.Text, "pinall: this dialog's name") {
				return true
			}
		}
		return false
	})
	assert.Equal(t, "This conversation", a.dialogBlock().Title, "today's text stays")
	d := a.dom()
	assert.Equal(t, stateReady, d.State)
	assert.Empty(t, d.Alert, "nothing alarming")
	assert.Empty(t, d.Status)

	a.click("#pin-dialog")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	a.dialogTitle(chat1364Title)
	assert.Len(t, posts(p, mDialogGet), 2, "tried again after the action")
}

func TestSidebarDialogErrorsInWords(t *testing.T) {
	cases := []struct {
		name, dialog, want string
	}{
		{"not an open line", "chat99", "not an Open Channel conversation"},
		{"another operator's dialog", "chat1392", "not the agent of this conversation"},
		{"unknown chat", "chat5", "not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, tb, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog="+c.dialog)
			tb.allowConsole(`pinall: `)
			before := p.Sessions()
			a.waitFitted()
			a.click("#pin-dialog")
			require.Equal(t, stateError, a.waitState(stateDone, stateError))
			d := a.dom()
			assert.Contains(t, d.Alert, c.want)
			assert.NotContains(t, d.Alert, "Chat", "the portal's own text is not shown")
			assert.True(t, d.PinEnabled, "the buttons keep working after a failed action")
			assert.True(t, a.dialogBlock().PinOn)
			assert.Equal(t, before, p.Sessions())
		})
	}
}

func TestSidebarWithoutAnOpenLineDialog(t *testing.T) {
	// A private chat's dialogId is a user id: no dialog block, the widget as usual.
	_, _, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=15")
	b := a.dialogBlock()
	assert.True(t, b.Hidden)
	assert.False(t, b.PinOn, "hidden buttons stay off")
}

func TestNavigationShowsTheWidget(t *testing.T) {
	p, _, a := openReady(t, devportal.Config{}, "placement=IM_NAVIGATION")
	b := a.dialogBlock()
	assert.Equal(t, "IM_NAVIGATION", b.Placement)
	assert.True(t, b.Hidden)
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	assert.Empty(t, pinnable(p.Sessions(), operator))
	assert.Empty(t, frameEvents(p, "setTitle"), "setTitle is denied outside DEFAULT: not sent")
}

// layout measures the app: horizontal overflow, and each button's box.
type layout struct {
	Width    float64            `json:"width"`
	Overflow bool               `json:"overflow"`
	Buttons  map[string]float64 `json:"buttons"` // id -> right edge
	Tops     map[string]float64 `json:"tops"`
}

func (a *app) layout() layout {
	a.t.Helper()
	return evalAs[layout](a, `(() => {
		const root = document.documentElement, out = {width: root.clientWidth, overflow: root.scrollWidth > root.clientWidth, buttons: {}, tops: {}};
		for (const b of document.querySelectorAll("button")) {
			if (!b.id || b.offsetParent === null) continue;
			const r = b.getBoundingClientRect();
			out.buttons[b.id] = r.right; out.tops[b.id] = r.top;
		}
		return out;
	})()`)
}

func TestLayoutFitsANarrowSidebarAndAFullPage(t *testing.T) {
	p, _, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
	// Bitrix24's chat sidebar is about 300 px wide.
	portalEvalAs[bool](a, `(document.querySelector(".frame-box").style.width = "300px", true)`)
	eventually(t, waitTimeout, "the frame at 300 px", func() bool { return a.layout().Width <= 300 })
	l := a.layout()
	assert.False(t, l.Overflow, "no horizontal scrolling at 300 px")
	for id, right := range l.Buttons {
		assert.LessOrEqual(t, right, l.Width, "%s is cut off", id)
	}
	assert.Less(t, l.Tops["pin-dialog"], l.Tops["unpin-dialog"], "stacked in a narrow sidebar")

	// The frame's height follows the content: 15 session rows make it taller.
	a.waitFitted()
	h0 := a.frameHeight()
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError))
	// Not waitFitted: the list's max-height is in vh, so it grows with the
	// frame it sizes; the frame growing is what the user sees.
	eventually(t, waitTimeout, "resizeWindow after the list grew", func() bool {
		return a.frameHeight() > h0
	})
	ev := frameEvents(p, "resizeWindow")
	require.NotEmpty(t, ev)
	assert.Equal(t, "100%", ev[len(ev)-1].Width)

	// A full page: the buttons side by side.
	_, _, wide := openReady(t, devportal.Config{}, "")
	lw := wide.layout()
	assert.False(t, lw.Overflow)
	assert.Equal(t, lw.Tops["pin-all"], lw.Tops["unpin-all"], "one row on a full page")
}
