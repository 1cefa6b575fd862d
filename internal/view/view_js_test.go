//go:build js && wasm

package view

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is a container of our own: the runner's page keeps its own
// elements in <body> and needs them to report the result.
func fixture() safejs.Value {
	doc, _ := safejs.Global().Get("document")
	el, _ := doc.Call("getElementById", "fixture")
	if el.IsNull() {
		el, _ = doc.Call("createElement", "div")
		_ = el.Set("id", "fixture")
		body, _ := doc.Get("body")
		_, _ = body.Call("appendChild", el)
	}
	return el
}

// page builds the widget's markup in the test page, as index.html has it.
func page(t *testing.T) *View {
	t.Helper()
	require.NoError(t, fixture().Set("innerHTML", `<main><h1 id="pa-title"></h1><p id="pa-hint"></p>
		<button id="pin-all" disabled></button><button id="unpin-all" disabled></button>
		<button id="pa-stop" hidden></button>
		<p id="status" role="status"></p><p id="error" role="alert"></p>
		<h2 id="pa-result-title" hidden></h2><ul id="sessions"></ul></main>`))
	v, err := New(rowsHelper(t))
	require.NoError(t, err)
	return v
}

func eval(t *testing.T, expr string) safejs.Value {
	t.Helper()
	fn, err := safejs.Global().Get("Function")
	require.NoError(t, err)
	f, err := fn.New("return " + expr)
	require.NoError(t, err)
	v, err := f.Invoke()
	require.NoError(t, err)
	return v
}

func str(t *testing.T, expr string) string {
	s, err := eval(t, expr).String()
	require.NoError(t, err)
	return s
}

func boolean(t *testing.T, expr string) bool {
	b, err := eval(t, expr).Bool()
	require.NoError(t, err)
	return b
}

func TestNewNamesTheMissingElement(t *testing.T) {
	require.NoError(t, fixture().Set("innerHTML", `<button id="pin-all"></button>`))
	_, err := New(rowsHelper(t))
	assert.EqualError(t, err, "view: the page has no #unpin-all")
}

func TestNewWantsTheRowsHelper(t *testing.T) {
	_, err := New(safejs.Undefined())
	assert.ErrorContains(t, err, "no rows helper")
}

// A DOM write that fails is logged for developers where it happens (the
// controller has no error to handle), and the page goes on.
func TestADOMFailureIsLogged(t *testing.T) {
	v := page(t)
	eval(t, `(() => {
		globalThis.__logged = []; globalThis.__consoleError = console.error;
		console.error = (...a) => globalThis.__logged.push(a.join(" "));
		document.documentElement.setAttribute = () => { throw new Error("no writing") };
	})()`)
	t.Cleanup(func() {
		eval(t, `(console.error = globalThis.__consoleError, delete document.documentElement.setAttribute, 0)`)
	})

	v.SetPlacement("IM_SIDEBAR")
	v.SetError("still works")

	logged := str(t, `globalThis.__logged.join("\n")`)
	assert.Contains(t, logged, "pinall: view: placement: ")
	assert.Contains(t, logged, "no writing")
	assert.Equal(t, "still works", str(t, `document.getElementById("error").textContent`))
}

func TestStatesFollowTheContract(t *testing.T) {
	v := page(t)
	v.SetState(Ready, true)
	assert.Equal(t, "ready", str(t, `document.documentElement.dataset.state`))
	assert.False(t, boolean(t, `document.getElementById("pin-all").disabled`))
	assert.Equal(t, "false", str(t, `document.getElementById("pin-all").getAttribute("aria-disabled")`))
	assert.Equal(t, "false", str(t, `document.getElementById("sessions").getAttribute("aria-busy")`))

	v.SetState(Busy, true)
	assert.Equal(t, "busy", str(t, `document.documentElement.dataset.state`))
	assert.Equal(t, "true", str(t, `document.getElementById("pin-all").getAttribute("aria-disabled")`))
	assert.Equal(t, "true", str(t, `document.getElementById("sessions").getAttribute("aria-busy")`))
	assert.False(t, boolean(t, `document.getElementById("pin-all").disabled`), "focus stays on the button while busy")

	v.SetState(Error, false)
	assert.True(t, boolean(t, `document.getElementById("unpin-all").disabled`))
	assert.Equal(t, "false", str(t, `document.getElementById("sessions").getAttribute("aria-busy")`))
	assert.Equal(t, "error", str(t, `document.documentElement.dataset.state`))
}

// In an engine without ARIA reflection (no ariaDisabled property) the
// attributes are written all the same.
func TestStatesWithoutARIAReflection(t *testing.T) {
	eval(t, `(() => {
		globalThis.__aria = ["ariaDisabled", "ariaBusy"].map((p) => [p, Object.getOwnPropertyDescriptor(Element.prototype, p)]);
		for (const [p] of globalThis.__aria) delete Element.prototype[p];
	})()`)
	t.Cleanup(func() {
		eval(t, `(() => { for (const [p, d] of globalThis.__aria) if (d) Object.defineProperty(Element.prototype, p, d); })()`)
	})
	require.True(t, boolean(t, `!("ariaDisabled" in document.createElement("button"))`), "the engine still reflects aria-disabled")
	v := page(t)
	v.SetState(Ready, true)
	v.SetState(Busy, true)
	assert.Equal(t, "true", str(t, `document.getElementById("unpin-all").getAttribute("aria-disabled")`))
	assert.Equal(t, "true", str(t, `document.getElementById("sessions").getAttribute("aria-busy")`))
	v.SetState(Done, true)
	assert.Equal(t, "false", str(t, `document.getElementById("unpin-all").getAttribute("aria-disabled")`))
	assert.Equal(t, "false", str(t, `document.getElementById("sessions").getAttribute("aria-busy")`))
}

// Stop is shown while a click waits for the rate limit, stays clickable
// while busy, and its click reaches the controller.
func TestStopButton(t *testing.T) {
	v := page(t)
	stopped := make(chan struct{}, 1)
	require.NoError(t, v.Listen(Events{Stop: func() { stopped <- struct{}{} }}))
	v.SetState(Busy, true)
	v.SetStop(true, "Stop")
	assert.False(t, boolean(t, `document.getElementById("pa-stop").hidden`))
	assert.Equal(t, "Stop", str(t, `document.getElementById("pa-stop").textContent`))
	assert.False(t, boolean(t, `document.getElementById("pa-stop").disabled`), "not one of the busy buttons")
	eval(t, `document.getElementById("pa-stop").click()`)
	select {
	case <-stopped:
	default:
		t.Fatal("the click did not reach the controller")
	}
	v.SetStop(false, "Stop")
	assert.True(t, boolean(t, `document.getElementById("pa-stop").hidden`))
}

// The status line shows each text written, whichever of the texts kept as
// JS copies it is (the last two), and a text written again after others.
func TestStatusShowsEveryTextWritten(t *testing.T) {
	v := page(t)
	for _, text := range []string{"Pinning", "Pinned 3", "Pinning", "Pinned 3", "Pinned 3", "", "Pinning", "Nothing to pin", "Pinned 3", "Pinning"} {
		v.SetStatus(text)
		assert.Equal(t, text, str(t, `document.getElementById("status").textContent`))
	}
}

func TestServerStringsStayText(t *testing.T) {
	v := page(t)
	payload := `<img src=x onerror="window.pwned=1"><b>bold</b>`
	v.SetStatus(payload)
	v.SetError(payload)
	v.SetLabels(Labels{Title: payload, Hint: payload, PinAll: payload, UnpinAll: payload})
	assert.Equal(t, 0, mustInt(t, `document.querySelectorAll("main img, main b").length`))
	assert.Equal(t, payload, str(t, `document.getElementById("status").textContent`))
	v.SetError("")
	assert.Empty(t, str(t, `document.getElementById("error").textContent`))
}

func TestSessionsListReplacesTheLastOne(t *testing.T) {
	v := page(t)
	require.NoError(t, setSessions(v, []int64{1652, 1653}, "Session #"))
	assert.Equal(t, "1652,1653", str(t, `[...document.querySelectorAll("#sessions li[data-session-id]")].map(li => li.dataset.sessionId).join()`))
	assert.Equal(t, "Session #1653", str(t, `document.querySelector("#sessions li:last-child").textContent`))
	assert.False(t, boolean(t, `document.getElementById("pa-result-title").hidden`))

	require.NoError(t, setSessions(v, nil, "Session #"))
	assert.Equal(t, 0, mustInt(t, `document.querySelectorAll("#sessions li").length`))
	assert.True(t, boolean(t, `document.getElementById("pa-result-title").hidden`))
}

// setSessions shows ids as the widget does, with their text joined.
func setSessions(v *View, ids []int64, label string) error {
	text := make([]string, len(ids))
	for i, id := range ids {
		text[i] = strconv.FormatInt(id, 10)
	}
	return v.SetSessions(ids, strings.Join(text, ","), label)
}

// tenThousand is a 10,000-session result: 100000..109999.
func tenThousand() []int64 {
	ids := make([]int64, 10000)
	for i := range ids {
		ids[i] = int64(100000 + i)
	}
	return ids
}

// inOrder counts the rows from the top that show ids[i] in order, as
// data-session-id and as their text (label + ID).
func inOrder(t *testing.T, from int, label string) int {
	return mustInt(t, `(() => { let n = 0;
		for (const li of document.querySelectorAll("#sessions li")) {
			const id = String(`+strconv.Itoa(from)+` + n);
			if (li.dataset.sessionId !== id || li.textContent !== `+strconv.Quote(label)+` + id) break;
			n++;
		}
		return n; })()`)
}

func TestTenThousandRowsAreThereWhenSetSessionsReturns(t *testing.T) {
	v := page(t)
	v.SetState(Busy, true)
	require.NoError(t, setSessions(v, tenThousand(), "#"))
	// No frame has run since: every row is in, in order.
	assert.Equal(t, 10000, mustInt(t, `document.querySelectorAll("#sessions li[data-session-id]").length`))
	assert.Equal(t, 10000, inOrder(t, 100000, "#"), "every row, in order, its ID as text")
	v.SetState(Done, true)
	assert.Equal(t, "false", str(t, `document.getElementById("sessions").getAttribute("aria-busy")`), "complete at done")
}

func TestRowsAreText(t *testing.T) {
	v := page(t)
	label := `<img src=x onerror="window.pwned=1"><b>#</b>`
	require.NoError(t, setSessions(v, []int64{7, 8}, label))
	assert.Equal(t, 0, mustInt(t, `document.querySelectorAll("#sessions li *").length`), "no element made from the label")
	assert.Equal(t, 2, inOrder(t, 7, label))
}

func TestANewerResultReplacesTheList(t *testing.T) {
	v := page(t)
	require.NoError(t, setSessions(v, tenThousand(), "#"))
	v.FillRow(100001, Row{ChatID: 5, Name: "old", Open: "Open", OpenLabel: "Open dialog old"})
	require.NoError(t, setSessions(v, []int64{7, 8, 9}, "#"))
	assert.Equal(t, "7,8,9", str(t, `[...document.querySelectorAll("#sessions li")].map(li => li.dataset.sessionId).join()`))
	assert.Equal(t, 3, inOrder(t, 7, "#"), "no element of the old list's filled row is left")
	// A late lookup of the old result names nothing in the new one.
	v.FillRow(100002, Row{ChatID: 6, Name: "late", Open: "Open", OpenLabel: "Open dialog late"})
	v.NoteRow(100003, "late")
	assert.Equal(t, 3, inOrder(t, 7, "#"))

	require.NoError(t, setSessions(v, tenThousand(), "#"))
	require.NoError(t, setSessions(v, nil, "#"))
	assert.Equal(t, 0, mustInt(t, `document.querySelectorAll("#sessions li").length`))
}

func TestLookupsFindTheirRowAnywhereInTheList(t *testing.T) {
	v := page(t)
	require.NoError(t, setSessions(v, tenThousand(), "#"))
	// Out of list order, far apart, and back: each lands on its own row.
	for _, id := range []int64{109999, 100000, 105000, 104999, 100049, 109998} {
		v.FillRow(id, Row{ChatID: id, Name: "n" + strconv.FormatInt(id, 10), Open: "Open", OpenLabel: "Open"})
		assert.Equal(t, strconv.FormatInt(id, 10), str(t, `document.querySelector("#sessions li[data-chat-id='`+strconv.FormatInt(id, 10)+`']").dataset.sessionId`))
	}
	assert.Equal(t, 6, mustInt(t, `document.querySelectorAll("#sessions li[data-lookup=done]").length`))
	require.NoError(t, v.fillRow(99999, Row{ChatID: 1, Name: "x"}), "a session not listed is ignored")
	assert.Equal(t, 6, mustInt(t, `document.querySelectorAll("#sessions li[data-lookup]").length`))

	// A session listed twice: its lookup names one row.
	require.NoError(t, setSessions(v, []int64{5, 6, 5}, "#"))
	v.FillRow(5, Row{ChatID: 50, Name: "five", Open: "Open", OpenLabel: "Open"})
	assert.Equal(t, 1, mustInt(t, `document.querySelectorAll("#sessions li[data-chat-id='50']").length`))
}

func TestContentHeightIsTheContentNotTheViewport(t *testing.T) {
	v := page(t)
	short, err := v.ContentHeight()
	require.NoError(t, err)
	require.NoError(t, setSessions(v, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "#"))
	tall, err := v.ContentHeight()
	require.NoError(t, err)
	assert.Greater(t, tall, short)
	require.NoError(t, setSessions(v, nil, "#"))
	again, err := v.ContentHeight()
	require.NoError(t, err)
	assert.Equal(t, short, again, "the frame can shrink back")
}

func mustInt(t *testing.T, expr string) int {
	n, err := eval(t, expr).Int()
	require.NoError(t, err)
	return n
}

// rowsHelper is the page's rows helper, rows.js as shipped: the test page
// runs the file and hands its function over as loader.js does.
func rowsHelper(t *testing.T) safejs.Value {
	t.Helper()
	src, err := os.ReadFile("../../widget/rows.js")
	require.NoError(t, err)
	fn, err := safejs.Global().Get("Function")
	require.NoError(t, err)
	run, err := fn.New(string(src) + "\nreturn globalThis.pinallRows;")
	require.NoError(t, err)
	rows, err := run.Invoke()
	require.NoError(t, err)
	return rows
}

// The sidebar's block works whichever comes first, the listeners (the
// widget listens while the init data travels) or the block: its buttons
// follow the state and their clicks reach the controller, once each.
func TestDialogButtonsListenedBeforeOrAfterTheBlock(t *testing.T) {
	for _, listenFirst := range []bool{true, false} {
		v := page(t)
		eval(t, `document.querySelector("#fixture main").insertAdjacentHTML("afterbegin",
			'<section id="pa-dialog" hidden><h2 id="pa-dialog-title"></h2><button id="pin-dialog" disabled></button><button id="unpin-dialog" disabled></button></section>')`)
		var pins, unpins int
		ev := Events{PinDialog: func() { pins++ }, UnpinDialog: func() { unpins++ }}
		show := func() {
			require.NoError(t, v.ShowDialog("chat7", DialogLabels{Title: "This dialog", Pin: "Pin it", Unpin: "Unpin it"}))
		}
		if listenFirst {
			require.NoError(t, v.Listen(ev))
			show()
		} else {
			show()
			require.NoError(t, v.Listen(ev))
		}
		v.SetState(Ready, true)
		assert.False(t, boolean(t, `document.getElementById("pa-dialog").hidden`))
		assert.False(t, boolean(t, `document.getElementById("pin-dialog").disabled`), "listen first: %v", listenFirst)
		eval(t, `document.getElementById("pin-dialog").click()`)
		eval(t, `document.getElementById("unpin-dialog").click()`)
		assert.Equal(t, 1, pins, "listen first: %v", listenFirst)
		assert.Equal(t, 1, unpins, "listen first: %v", listenFirst)
	}
}
