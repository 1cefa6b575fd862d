//go:build !js

package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

const (
	mBatch     = "batch"
	mDialogGet = "imopenlines.dialog.get"
)

// rowView is one #sessions row as the DOM contract shows it.
type rowView struct {
	Session int    `json:"session"`
	Chat    int    `json:"chat"` // data-chat-id, 0 until known
	Lookup  string `json:"lookup"`
	Name    string `json:"name"`
	Channel string `json:"channel"`
	Note    string `json:"note"`
	Label   string `json:"label"` // the open button's aria-label
	Text    string `json:"text"`
}

// rows reads every row of the list.
func (a *app) rows() []rowView {
	a.t.Helper()
	return evalAs[[]rowView](a, `[...document.querySelectorAll("#sessions li[data-session-id]")].map((li) => {
		const t = (s) => { const e = li.querySelector(s); return e ? e.textContent : ""; };
		const b = li.querySelector("button.pa-open");
		return {
			session: Number(li.dataset.sessionId), chat: Number(li.dataset.chatId || 0),
			lookup: li.dataset.lookup || "", name: t(".pa-row-name"), channel: t(".pa-row-channel"),
			note: t(".pa-row-note"), label: b ? b.getAttribute("aria-label") : "", text: li.textContent,
		};
	})`)
}

// settled counts the rows whose lookup ended (named or noted).
func settled(rs []rowView) int {
	n := 0
	for _, r := range rs {
		if r.Lookup != "" {
			n++
		}
	}
	return n
}

// batchCmds sums the commands of the logged batch calls.
func batchCmds(p *devportal.Portal) (calls, cmds int) {
	for _, r := range restCalls(p, mBatch) {
		calls++
		cmds += len(r.BatchCmds)
	}
	return calls, cmds
}

// namesWithin bounds the wait for a page of names: they start 2-4 s after
// done with a burst of 2 and grow to the portal's 2 a second at most
// (internal/lookup's pacer), so 50 rows take about half a minute.
const namesWithin = time.Minute

// lookupsIdle waits until the widget looks up no names until a scroll (or
// has named every row) and the portal has logged every request it got: then
// the batches in the log are all there will be.
func lookupsIdle(t *testing.T, p *devportal.Portal, a *app) {
	t.Helper()
	eventually(t, namesWithin, "the lookups to wait for a scroll", func() bool {
		return evalAs[string](a, `document.getElementById("sessions").dataset.lookups || ""`) == "idle" && p.RESTInFlight() == 0
	})
}

// pinAllDone clicks "Pin all" and waits for done.
func pinAllDone(t *testing.T, a *app, within time.Duration) {
	t.Helper()
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitStateWithin(within, stateDone, stateError), "page: %+v", a.dom())
}

// Names after pin all: the IDs come at once (done before any lookup), then
// every row gets its dialog's name, channel and open button, matching the
// portal's chats, from batches of imopenlines.dialog.get, one command a row.
func TestDialogNamesAfterPinAll(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	// Hold the lookup, to see the list before it lands.
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultLatency, Method: mBatch, Delay: 1500 * time.Millisecond}))
	want := pinnable(p.Sessions(), operator)

	pinAllDone(t, a, waitTimeout)
	early := a.rows()
	require.Len(t, early, len(want))
	assert.Zero(t, settled(early), "done comes before the names: %+v", early)
	assert.Empty(t, restCalls(p, mBatch), "no lookup answered yet")

	eventually(t, namesWithin, "every row named", func() bool { return settled(a.rows()) == len(want) })
	sessions := byID(p.Sessions())
	for _, r := range a.rows() {
		s := sessions[r.Session]
		assert.Equal(t, "done", r.Lookup, "row %d: %+v", r.Session, r)
		assert.Equal(t, s.ChatID, r.Chat, "row %d's data-chat-id", r.Session)
		assert.Equal(t, s.ChatName, r.Name, "row %d's name", r.Session)
		assert.Equal(t, "Open conversation "+s.ChatName, r.Label, "the open button names its dialog")
		assert.Contains(t, r.Text, fmt.Sprint(r.Session), "the row keeps its session ID")
		assert.NotEmpty(t, r.Channel)
		if strings.HasPrefix(s.EntityID, "livechat|") {
			assert.Equal(t, "Live chat", r.Channel)
		}
		if strings.HasPrefix(s.EntityID, "telegrambot|") {
			assert.Equal(t, "Telegram", r.Channel)
		}
	}
	calls := restCalls(p, mBatch)
	require.NotEmpty(t, calls)
	assert.Len(t, calls[0].BatchCmds, 2, "the names start small: the office may be clicking")
	cmds := 0
	for _, c := range calls {
		cmds += len(c.BatchCmds)
		for _, m := range c.BatchCmds {
			assert.Equal(t, mDialogGet, m)
		}
		assert.Empty(t, c.BatchErrors)
	}
	assert.Equal(t, len(want), cmds, "one command a row, none twice")
	d := a.dom()
	assert.Equal(t, stateDone, d.State)
	assert.Empty(t, d.Alert)
}

// withHiddenLine is the demo plus a line the operator does not work on,
// holding one open session of theirs: imopenlines.dialog.get refuses it
// (ACCESS_ERROR), pinAll still pins it.
func withHiddenLine() (devportal.Data, int) {
	d := devportal.DemoData()
	d.Lines = append(d.Lines, devportal.Line{ID: 9, Name: "VIP", Operators: []int{2}})
	d.Chats = append(d.Chats, devportal.Chat{ID: 1900, LineID: 9, Name: "Secret Client - VIP",
		EntityID: "viber|9|1|1", DateCreate: "2025-02-20T10:00:00+03:00"})
	d.Sessions = append(d.Sessions, devportal.Session{ID: 9901, ChatID: 1900, Operator: operator})
	return d, 9901
}

// A refused lookup: that row keeps its ID and a quiet note; the others are
// named; the action is done with no alert.
func TestDialogLookupRefusedForOneRow(t *testing.T) {
	t.Parallel()
	seed, hidden := withHiddenLine()
	p, _, a := openReady(t, devportal.Config{Data: &seed}, "")
	want := pinnable(p.Sessions(), operator)
	require.Contains(t, want, hidden)

	pinAllDone(t, a, waitTimeout)
	eventually(t, namesWithin, "every row settled", func() bool { return settled(a.rows()) == len(want) })
	for _, r := range a.rows() {
		if r.Session == hidden {
			assert.Equal(t, "failed", r.Lookup)
			assert.Equal(t, "no access to this conversation", r.Note)
			assert.Zero(t, r.Chat, "no chat ID for a refused row")
			assert.Empty(t, r.Label, "no open button without a chat")
			assert.Contains(t, r.Text, fmt.Sprint(hidden))
			continue
		}
		assert.Equal(t, "done", r.Lookup, "row %d", r.Session)
		assert.NotEmpty(t, r.Name)
	}
	var refused []string
	for _, c := range restCalls(p, mBatch) {
		refused = append(refused, c.BatchErrors...)
	}
	assert.Equal(t, []string{"ACCESS_ERROR"}, refused, "the refused row is not asked again")
	d := a.dom()
	assert.Equal(t, stateDone, d.State)
	assert.Empty(t, d.Alert)
	assert.Equal(t, 0, evalAs[int](a, `document.querySelectorAll("#sessions [role=alert], #sessions [aria-live]").length`), "the note is not a live region")
}

// A batch that fails whole: every row keeps its ID with a note, the state
// stays done, no alert.
func TestDialogLookupBatchFailsWhole(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "INTERNAL_SERVER_ERROR", Method: mBatch}))
	want := pinnable(p.Sessions(), operator)

	pinAllDone(t, a, waitTimeout)
	eventually(t, namesWithin, "every row settled", func() bool { return settled(a.rows()) == len(want) })
	calls := restCalls(p, mBatch)
	require.NotEmpty(t, calls)
	assert.Equal(t, 500, calls[0].Status, "the first call fails whole")
	failedRows := len(calls[0].BatchCmds)
	failed := 0
	for _, r := range a.rows() {
		assert.Contains(t, r.Text, fmt.Sprint(r.Session))
		if r.Lookup == "failed" {
			failed++
			assert.Equal(t, "name not loaded", r.Note)
			continue
		}
		assert.Equal(t, "done", r.Lookup, "row %d: the loader goes on with the next rows", r.Session)
	}
	assert.Equal(t, failedRows, failed, "the failed call's rows keep their IDs with a note")
	_, cmds := batchCmds(p)
	assert.Equal(t, len(want), cmds, "a failed lookup is not retried in a loop")
	d := a.dom()
	assert.Equal(t, stateDone, d.State)
	assert.Empty(t, d.Alert, "the action succeeded: no alert")
	assert.NotContains(t, a.clickStates(), stateError)
	assert.Contains(t, d.Status, fmt.Sprintf("Pinned %d conversations", len(want)))
}

// Opening a dialog: the row's button sends imOpenMessenger with chat{id}.
func TestOpenDialogFromRow(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	want := pinnable(p.Sessions(), operator)
	pinAllDone(t, a, waitTimeout)
	eventually(t, namesWithin, "every row named", func() bool { return settled(a.rows()) == len(want) })
	first := a.rows()[0]
	require.NotZero(t, first.Chat)

	a.still()
	a.click(fmt.Sprintf(`#sessions li[data-session-id="%d"] button.pa-open`, first.Session))
	eventually(t, waitTimeout, "imOpenMessenger at the portal", func() bool { return len(frameEvents(p, "imOpenMessenger")) > 0 })
	evs := frameEvents(p, "imOpenMessenger")
	require.Len(t, evs, 1)
	assert.Equal(t, fmt.Sprintf("chat%d", first.Chat), evs[0].DialogID)
	assert.True(t, evs[0].Accepted, "%+v", evs[0])
	assert.Equal(t, stateDone, a.dom().State, "opening a dialog is not an action")
}

// operatorOnly is the demo's users, lines and chats with no sessions: with
// Config.ExtraSessions the operator then has exactly that many.
func operatorOnly() *devportal.Data {
	d := devportal.DemoData()
	d.Sessions = nil
	return &d
}

// The REST calls for results of 2, 50 and 51 sessions, before
// anyone scrolls: pinAll, then the first 50 rows' lookups, paced: a burst
// of 2, then more as the pace grows, never refused.
func TestDialogLookupCalls(t *testing.T) {
	t.Parallel()
	// 10,000 is TestTenThousandSessions: two such portals at once slow the
	// shared browser past the frame handshake's 5 s.
	for _, n := range []int{2, 50, 51} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			p, _, a := openReady(t, devportal.Config{Data: operatorOnly(), ExtraSessions: n}, "")
			pinAllDone(t, a, 30*time.Second)
			named := min(n, 50)
			lookupsIdle(t, p, a)
			assert.Equal(t, named, settled(a.rows()), "the first rows named")
			reqs := p.Requests()
			calls, cmds := batchCmds(p)
			var sizes []int
			for _, r := range restCalls(p, mBatch) {
				sizes = append(sizes, len(r.BatchCmds))
				assert.Empty(t, r.BatchErrors, "no command refused")
			}
			for _, r := range reqs {
				assert.Equal(t, 200, r.Status, "%s", r.Method)
			}
			assert.Equal(t, named, cmds)
			assert.LessOrEqual(t, calls, max(1, named/2), "batches, not a call a row: %v", sizes)
			t.Logf("%d sessions: %d REST calls (pinAll + %d batch, commands %v)", n, len(reqs), calls, sizes)
		})
	}
}

// 10,000 sessions: done at once, the first 50 named within the rate limit
// (default 2/s, burst 50), never refused; "show more" names the next rows.
// Not parallel: Go runs it alone, before the parallel tests; with them, the
// portal page's 10,000-row panel can hold the frame handshake past its 5 s.
func TestTenThousandSessions(t *testing.T) {
	tb := newTabWithin(t, 2*tabTimeout) // two pages of names at their pace
	p, a := readyApp(t, tb, devportal.Config{ExtraSessions: 10_000}, "")
	want := pinnable(p.Sessions(), operator)
	pinAllDone(t, a, 30*time.Second)
	require.Len(t, a.dom().SessionIDs, len(want), "the whole list at done")

	lookupsIdle(t, p, a)
	rs := a.rows()
	for _, r := range rs[:50] {
		assert.Equal(t, "done", r.Lookup, "row %d", r.Session)
	}
	assert.Zero(t, settled(rs[50:]), "only the visible rows are looked up")
	calls, cmds := batchCmds(p)
	assert.Equal(t, 50, cmds)
	assert.LessOrEqual(t, calls, 25, "batches, not a call a row")
	for _, r := range p.Requests() {
		assert.Equal(t, 200, r.Status, "%s: %s", r.Method, r.Error)
		assert.NotContains(t, r.BatchErrors, "QUERY_LIMIT_EXCEEDED")
	}
	d := a.dom()
	assert.Equal(t, stateDone, d.State)
	assert.Empty(t, d.Alert)
	t.Logf("10,000 sessions: %d REST calls before scrolling", len(p.Requests()))

	// "Show more", from the keyboard, names the next rows, paced: within a
	// few seconds.
	evalAs[bool](a, `(() => { document.getElementById("sessions-more").focus(); return true; })()`)
	require.Equal(t, "sessions-more", activeID(a))
	tb.press(a, kb.Enter)
	eventually(t, namesWithin, "rows after the 50th named", func() bool { return settled(a.rows()) > 50 })
	rs = a.rows()
	assert.Equal(t, "done", rs[50].Lookup, "the 51st row")
	for _, r := range p.Requests() {
		assert.NotContains(t, r.BatchErrors, "QUERY_LIMIT_EXCEEDED")
	}
	assert.Equal(t, stateDone, a.dom().State)
}

// 10,000 sessions: at done the list is whole (every row, in the reply's
// order, its ID as text) and not busy. A newer result replaces it entirely:
// unpin all (10,000 rows again), then at its done unpin all once more, which
// finds nothing, so the list must end empty.
func TestTenThousandRowsComplete(t *testing.T) {
	p, _, a := openReady(t, devportal.Config{ExtraSessions: 10_000}, "")
	var want, open []int // pinAll's and then unpinAll's reply, in the portal's order
	for _, s := range p.Sessions() {
		if s.Operator == operator && !s.Closed {
			open = append(open, s.ID)
			if !s.Pinned {
				want = append(want, s.ID)
			}
		}
	}
	require.GreaterOrEqual(t, len(want), 10_000)
	// The list as it is at each done, seen in the page (a CDP round trip
	// comes too late: the lookups name the first rows after done); at the
	// second done, click #unpin-all at once.
	evalAs[bool](a, `(() => { window.__dones = [];
		new MutationObserver(() => {
			if (document.documentElement.dataset.state !== "done") return;
			const l = document.getElementById("sessions");
			const rows = l.querySelectorAll("li[data-session-id]");
			__dones.push({ rows: rows.length, busy: l.getAttribute("aria-busy"),
				elements: l.querySelectorAll("li *").length,
				first: rows.length ? rows[0].textContent : "", last: rows.length ? rows[rows.length - 1].textContent : "" });
			if (__dones.length === 2) document.getElementById("unpin-all").click();
		}).observe(document.documentElement, { attributes: true, attributeFilter: ["data-state"] });
		return true; })()`)
	type atDone struct {
		Rows        int    `json:"rows"`
		Busy        string `json:"busy"`
		Elements    int    `json:"elements"` // inside the rows: none until a lookup names one
		First, Last string
	}
	whole := func(ids []int) atDone {
		return atDone{Rows: len(ids), Busy: "false",
			First: "Session #" + strconv.Itoa(ids[0]), Last: "Session #" + strconv.Itoa(ids[len(ids)-1])}
	}
	pinAllDone(t, a, 30*time.Second)
	first := evalAs[[]atDone](a, `__dones`)
	require.Len(t, first, 1)
	assert.Equal(t, whole(want), first[0], "the whole list at done, rows as text, not busy")
	assert.Equal(t, want, a.dom().SessionIDs, "every row, in order")

	a.click("#unpin-all")
	eventually(t, 30*time.Second, "two more dones", func() bool { return evalAs[int](a, `__dones.length`) >= 3 })
	dones := evalAs[[]atDone](a, `__dones`)
	assert.Equal(t, whole(open), dones[1], "unpin all: the whole list at done")
	assert.Equal(t, atDone{Busy: "false"}, dones[2], "nothing left to unpin: no row of the last result stays")
	assert.Empty(t, a.dom().SessionIDs)
	assert.Equal(t, stateDone, a.dom().State)
}

// Scrolling to the last named row asks for the next ones.
func TestScrollNamesMoreRows(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{Data: operatorOnly(), ExtraSessions: 60}, "")
	pinAllDone(t, a, waitTimeout)
	lookupsIdle(t, p, a)
	assert.Equal(t, 50, settled(a.rows()), "the first 50 rows named")
	_, cmds := batchCmds(p)
	assert.Equal(t, 50, cmds, "only the first 50 looked up")

	evalAs[bool](a, `(() => { document.querySelectorAll("#sessions li[data-session-id]")[49].scrollIntoView({block: "end"}); return true; })()`)
	eventually(t, namesWithin, "all 60 rows named", func() bool { return settled(a.rows()) == 60 })
	for _, r := range a.rows() {
		assert.Equal(t, "done", r.Lookup, "row %d", r.Session)
	}
	assert.True(t, evalAs[bool](a, `document.getElementById("sessions-more").hidden`), "nothing more to show")
}

// A new action cancels the lookups of the last one: pin all, then at once
// unpin all while the names are held up; the old names never land.
func TestNewActionCancelsLookups(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultLatency, Method: mBatch, Delay: 2 * time.Second}))
	pinAllDone(t, a, waitTimeout)
	a.click("#unpin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	want := len(a.dom().SessionIDs)
	eventually(t, waitTimeout, "the new list named", func() bool { return settled(a.rows()) == want })
	assert.Equal(t, stateDone, a.dom().State)
}
