//go:build !js

package widget

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/view"
)

const sidebarOpts = `{"dialogId":"chat1364"}`

func TestChatID(t *testing.T) {
	for in, want := range map[string]int64{"chat1364": 1364, "chat": 0, "15": 0, "chat-1": 0, "chat0": 0,
		"chat123456789012345678": 123456789012345678, "chat1234567890123456789": 0, "chatx": 0, "": 0} {
		assert.Equal(t, want, chatID(in), in)
	}
}

func TestSidebarPinsItsDialog(t *testing.T) {
	e := setup(t, "IM_SIDEBAR", sidebarOpts)
	e.handle(b24.MethodDialogGet, reply(`{"result":`+dialogJSON(1364, "Eugene P. - Priority Support", "livechat|1|1363|203")+`}`))
	var mu sync.Mutex
	var sent []string
	gate := make(chan struct{}, 2) // the test reads busy before the first pin is answered
	e.handle(b24.MethodPin, func(w http.ResponseWriter, r *http.Request) {
		<-gate
		mu.Lock()
		defer mu.Unlock()
		sent = append(sent, r.PostForm.Get("CHAT_ID")+" "+r.PostForm.Get("ACTIVATE"))
		writeJSON(w, 200, `{"result":true}`)
	})
	e.start()
	e.page.read(func() {
		assert.Equal(t, "IM_SIDEBAR", e.page.placement)
		assert.Equal(t, "chat1364", e.page.dialogID, "the block is shown for the open dialog")
	})

	e.page.click(t, "pin-dialog")
	e.page.read(func() { assert.Equal(t, "Pinning this conversation…", e.page.status) })
	gate <- struct{}{}
	e.page.waitState(t, view.Done)
	e.page.read(func() {
		assert.Equal(t, "This conversation is pinned: it stays with you.", e.page.status)
		assert.Empty(t, e.page.sessions, "a dialog action lists no sessions")
	})
	gate <- struct{}{}
	e.page.click(t, "unpin-dialog")
	e.page.waitFor(t, "unpinned", func() bool {
		return e.page.status == "This conversation is unpinned: it follows the queue rules again."
	})
	e.settle()
	mu.Lock()
	assert.Equal(t, []string{"1364 Y", "1364 N"}, sent)
	mu.Unlock()
	assert.Zero(t, e.count(b24.MethodBatch), "no lookups after a dialog action")
}

func TestSidebarNamesItsDialog(t *testing.T) {
	e := setup(t, "IM_SIDEBAR", sidebarOpts)
	e.speak("ru")
	e.handle(b24.MethodDialogGet, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "1364", r.PostForm.Get("CHAT_ID"), "looked up by the placement's chat")
		writeJSON(w, 200, `{"result":`+dialogJSON(1364, "Евгений П. - <b>Поддержка</b>", "telegrambot|2|x")+`}`)
	})
	e.start()
	e.page.waitFor(t, "the name", func() bool { return e.page.title != "Этот диалог" })
	e.page.read(func() {
		assert.Equal(t, "Этот диалог: Евгений П. - <b>Поддержка</b>, Telegram", e.page.title,
			"the server's string as it came (the page writes it as text)")
	})
}

func TestSidebarNameNeverDelaysReady(t *testing.T) {
	e := setup(t, "IM_SIDEBAR", sidebarOpts)
	arrived, release := make(chan struct{}), make(chan struct{})
	e.handle(b24.MethodDialogGet, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
		writeJSON(w, 200, `{"result":`+dialogJSON(1364, "Eugene P. - Priority Support", "livechat|1|1363|203")+`}`)
	})
	e.start() // returns at ready, the lookup held on the portal
	<-arrived
	e.page.read(func() {
		assert.Equal(t, view.Ready, e.page.state)
		assert.Equal(t, "This conversation", e.page.title, "ready shows the plain title first")
	})
	close(release)
	e.page.waitFor(t, "the name", func() bool {
		return e.page.title == "This conversation: Eugene P. - Priority Support, Live chat"
	})
}

func TestSidebarNameLookupWaitsForThePaint(t *testing.T) {
	e := setup(t, "IM_SIDEBAR", sidebarOpts)
	e.handle(b24.MethodDialogGet, reply(`{"result":`+dialogJSON(1364, "Eugene P.", "")+`}`))
	e.page.paint, e.page.painting = make(chan struct{}), make(chan struct{}, 1)
	e.w.Start(context.Background())
	assert.Equal(t, view.Ready, e.page.State())
	select {
	case <-e.page.painting: // the lookup waits for the paint
	case <-time.After(waitTimeout):
		t.Fatal("the lookup did not wait for ready to be painted")
	}
	assert.Zero(t, e.count(b24.MethodDialogGet), "nothing sent before ready is on screen")
	close(e.page.paint)
	e.page.waitFor(t, "the name", func() bool { return e.page.title == "This conversation: Eugene P." })
}

func TestSidebarNameFailureIsQuietAndRetriedOnTheNextAction(t *testing.T) {
	e := setup(t, "IM_SIDEBAR", sidebarOpts)
	var refused atomic.Bool
	e.handle(b24.MethodDialogGet, func(w http.ResponseWriter, r *http.Request) {
		if !refused.Swap(true) {
			replyError(403, "ACCESS_ERROR")(w, r)
			return
		}
		writeJSON(w, 200, `{"result":`+dialogJSON(1364, "Eugene P. - Priority Support", "livechat|1|1363|203")+`}`)
	})
	e.handle(b24.MethodPin, reply(`{"result":true}`))
	e.start()
	e.settle() // the refused lookup has ended
	e.page.read(func() {
		assert.Equal(t, "This conversation", e.page.title, "today's text stays")
		assert.Equal(t, view.Ready, e.page.state, "nothing alarming")
		assert.Empty(t, e.page.errText)
		assert.Empty(t, e.page.status)
		require.NotEmpty(t, e.page.logs, "for developers, in the console")
		assert.Contains(t, e.page.logs[len(e.page.logs)-1], "this dialog's name")
	})
	assert.Equal(t, 1, e.count(b24.MethodDialogGet))

	e.page.click(t, "pin-dialog")
	e.page.waitFor(t, "the name, on the next action", func() bool {
		return e.page.title == "This conversation: Eugene P. - Priority Support, Live chat"
	})
	e.settle()
	assert.Equal(t, 2, e.count(b24.MethodDialogGet))

	e.page.click(t, "unpin-dialog")
	e.page.waitState(t, view.Done)
	e.settle()
	assert.Equal(t, 2, e.count(b24.MethodDialogGet), "named once: not looked up again")
}

func TestSidebarOfAPrivateChat(t *testing.T) {
	// A private chat's dialogId is a user id: no block, no lookup.
	e := setup(t, "IM_SIDEBAR", `{"dialogId":"15"}`)
	e.start()
	e.settle()
	e.page.read(func() { assert.Empty(t, e.page.dialogID) })
	spawned := e.spawned.Load()
	e.page.click(t, "pin-dialog")
	assert.Equal(t, spawned, e.spawned.Load(), "no dialog to pin")
	assert.Zero(t, e.requests.Load())
}
