//go:build js && wasm

package view

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFillRowShowsTheDialogAsText(t *testing.T) {
	v := page(t)
	require.NoError(t, setSessions(v, []int64{1652, 1653, 1654}, "Session #"))
	payload := `Eve <img src=x onerror="window.pwned=1"><b>bold</b>`
	v.FillRow(1652, Row{ChatID: 1364, Name: payload, Channel: "Live chat", Open: "Open", OpenLabel: "Open dialog " + payload})

	row := `document.querySelector("#sessions li[data-session-id='1652']")`
	assert.Equal(t, "1364", str(t, row+`.dataset.chatId`))
	assert.Equal(t, "done", str(t, row+`.dataset.lookup`))
	assert.Equal(t, payload, str(t, row+`.querySelector(".pa-row-name").textContent`))
	assert.Equal(t, "Live chat", str(t, row+`.querySelector(".pa-row-channel").textContent`))
	assert.Contains(t, str(t, row+`.textContent`), "Session #1652", "the row keeps its session ID")
	assert.Equal(t, "Open dialog "+payload, str(t, row+`.querySelector("button.pa-open").getAttribute("aria-label")`))
	assert.Equal(t, "button", str(t, row+`.querySelector("button.pa-open").type`))
	assert.Equal(t, 0, mustInt(t, `document.querySelectorAll("#sessions img, #sessions b").length`))

	// The other rows stay bare: no elements until their lookup lands.
	assert.Equal(t, 0, mustInt(t, `document.querySelector("#sessions li[data-session-id='1653']").children.length`))
	assert.Equal(t, 1, mustInt(t, `document.querySelectorAll("#sessions li[data-chat-id]").length`))

	// Filled twice (a retried lookup): still one session text.
	v.FillRow(1652, Row{ChatID: 1364, Name: "Eve", Open: "Open", OpenLabel: "Open dialog Eve"})
	assert.Equal(t, "Session #1652", str(t, row+`.querySelector(".pa-row-sid").textContent`))
	assert.Equal(t, 0, mustInt(t, row+`.querySelectorAll(".pa-row-channel").length`), "no channel, no empty element")

	// A session no longer listed is ignored.
	v.FillRow(9999, Row{ChatID: 1, Name: "x"})
}

func TestNoteRowIsQuiet(t *testing.T) {
	v := page(t)
	require.NoError(t, setSessions(v, []int64{7, 8}, "Session #"))
	v.NoteRow(7, "no access to this dialog")
	row := `document.querySelector("#sessions li[data-session-id='7']")`
	assert.Equal(t, "failed", str(t, row+`.dataset.lookup`))
	assert.Contains(t, str(t, row+`.textContent`), "Session #7")
	assert.Equal(t, "no access to this dialog", str(t, row+`.querySelector(".pa-row-note").textContent`))
	assert.Equal(t, 0, mustInt(t, `document.querySelectorAll("#sessions [role=alert], #sessions [aria-live]").length`), "a note is not an alert")
	assert.False(t, boolean(t, row+`.hasAttribute("data-chat-id")`))
}

func TestRowEvents(t *testing.T) {
	v := page(t)
	opened := make(chan int64, 4)
	more := make(chan struct{}, 4)
	require.NoError(t, v.listenRows(RowEvents{
		Open: func(id int64) { opened <- id },
		More: func() { more <- struct{}{} },
	}))
	require.NoError(t, v.listenRows(RowEvents{}), "a second call changes nothing")
	require.NoError(t, setSessions(v, []int64{1, 2}, "#"))
	v.FillRow(2, Row{ChatID: 1366, Name: "Alexei", Open: "Open", OpenLabel: "Open dialog Alexei"})

	assert.True(t, boolean(t, `document.getElementById("sessions-more").hidden`), "nothing more to show yet")
	v.SetMore(true, "Show names of the next dialogs")
	assert.False(t, boolean(t, `document.getElementById("sessions-more").hidden`))
	assert.Equal(t, "Show names of the next dialogs", str(t, `document.getElementById("sessions-more").textContent`))

	eval(t, `document.querySelector("#sessions li[data-chat-id] button.pa-open").click()`)
	eval(t, `document.querySelector("#sessions li[data-session-id='1']").click()`) // not a button: nothing
	eval(t, `document.getElementById("sessions-more").click()`)
	select {
	case id := <-opened:
		assert.Equal(t, int64(1366), id)
	case <-time.After(time.Second):
		t.Fatal("no open")
	}
	select {
	case <-more:
	case <-time.After(time.Second):
		t.Fatal("no more")
	}
	assert.Empty(t, opened)

	require.NoError(t, setSessions(v, []int64{3}, "#"))
	assert.True(t, boolean(t, `document.getElementById("sessions-more").hidden`), "a new list hides it")
	v.SetLookups(true)
	assert.Equal(t, "busy", str(t, `document.getElementById("sessions").dataset.lookups`))
	v.SetLookups(false)
	assert.Equal(t, "idle", str(t, `document.getElementById("sessions").dataset.lookups`))
	v.WatchRow(0)
	v.WatchRow(-1)
	v.WatchRow(5)
}

func TestTenThousandRowsStayBare(t *testing.T) {
	v := page(t)
	ids := make([]int64, 10000)
	for i := range ids {
		ids[i] = int64(100000 + i)
	}
	start := time.Now()
	require.NoError(t, setSessions(v, ids, "#"))
	took := time.Since(start)
	for _, id := range ids[:50] {
		v.FillRow(id, Row{ChatID: id, Name: "n", Open: "Open", OpenLabel: "Open dialog n"})
	}
	assert.Equal(t, 50*3, mustInt(t, `document.querySelectorAll("#sessions li *").length`), "elements only in the 50 filled rows")
	t.Logf("10,000 rows in %v", took)
}
