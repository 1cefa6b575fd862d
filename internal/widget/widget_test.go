//go:build !js

package widget

import (
	"time"

	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/view"
)

// batchDialogs answers the lookups' batch calls: a dialog for every session,
// named after it.
func batchDialogs(e *env) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var parts []string
		for k := range r.PostForm {
			key, ok := strings.CutPrefix(k, "cmd[")
			if !ok {
				continue
			}
			key = strings.TrimSuffix(key, "]")
			id, _ := strconv.Atoi(strings.TrimPrefix(key, "s"))
			parts = append(parts, strconv.Quote(key)+":"+dialogJSON(id+10000, "Customer "+strconv.Itoa(id), "livechat|1|2|3"))
		}
		sort.Strings(parts)
		writeJSON(w, 200, `{"result":{"result":{`+strings.Join(parts, ",")+`},"result_error":[]}}`)
	}
}

func TestReady(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.start()

	e.page.read(func() {
		assert.Equal(t, view.Ready, e.page.state)
		assert.True(t, e.page.actionsOn, "the buttons work")
		assert.Equal(t, "Pin all", e.page.labels.PinAll)
		assert.Equal(t, "DEFAULT", e.page.placement)
		assert.Empty(t, e.page.dialogID, "no sidebar block outside the sidebar")
		assert.Empty(t, e.page.errText)
	})
	e.settle()
	assert.Equal(t, []string{"Pin all conversations"}, e.frame.titles, "the portal's title, in DEFAULT only")
	assert.Positive(t, e.frame.fits.Load(), "the frame was sized to the content")
	assert.Zero(t, e.requests.Load(), "start-up calls no REST method")
}

func TestRussianFromThePage(t *testing.T) {
	e := setup(t, "IM_NAVIGATION", "")
	e.speak("ru")
	e.start()
	e.page.read(func() { assert.Equal(t, "Закрепить все", e.page.labels.PinAll) })
	e.settle()
	assert.Empty(t, e.frame.titles, "setTitle is denied outside DEFAULT: not sent")
}

func TestStartFailsOutsideBitrix24(t *testing.T) {
	for name, mod := range map[string]func(e *env){
		"no frame": func(e *env) {
			e.w.deps.OpenFrame = func(context.Context) (Frame, error) { return nil, frame.ErrNotInBitrix24 }
		},
		"no init data": func(e *env) {
			e.frame.initErr = &frame.NoAnswerError{Command: "getInitData"}
		},
		"a bad domain": func(e *env) { e.frame.init.Domain = "bad host" },
	} {
		t.Run(name, func(t *testing.T) {
			e := setup(t, "DEFAULT", "")
			e.speak("ru")
			mod(e)
			e.w.Start(context.Background())
			e.page.read(func() {
				assert.Equal(t, view.Error, e.page.state)
				assert.False(t, e.page.actionsOn, "the buttons stay off: the widget cannot work")
				assert.NotEmpty(t, e.page.errText)
				if name == "no frame" {
					assert.Contains(t, e.page.errText, "Битрикс24", "the page's language")
				}
				require.NotEmpty(t, e.page.logs)
			})
			// The listeners went on before the init data was asked for: a
			// click (a disabled button lets none through, a script might)
			// does nothing.
			e.page.click(t, "pin-all")
			e.page.read(func() { assert.Equal(t, view.Error, e.page.state) })
			e.settle()
			assert.Zero(t, e.requests.Load(), "no REST call")
			assert.Zero(t, e.spawned.Load(), "no warm-up, no lookups")
		})
	}
}

func TestPinAllIsBusyThenDone(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	release := make(chan struct{})
	e.handle(b24.MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		<-release
		writeJSON(w, 200, ids(1652, 2))
	})
	e.handle(b24.MethodBatch, batchDialogs(e))
	e.start()

	e.page.click(t, "pin-all")
	e.page.read(func() {
		assert.Equal(t, view.Busy, e.page.state)
		assert.True(t, e.page.actionsOn, "busy buttons stay focusable (aria-disabled)")
		assert.Equal(t, "Pinning your conversations…", e.page.status)
	})

	// A second click, and the other button, while busy: nothing more runs.
	spawned := e.spawned.Load()
	e.page.click(t, "pin-all")
	e.page.click(t, "unpin-all")
	assert.Equal(t, spawned, e.spawned.Load(), "clicks while busy start nothing")

	close(release)
	e.page.waitState(t, view.Done)
	e.page.read(func() {
		assert.Equal(t, "Pinned 2 conversations. They stay with you.", e.page.status)
		assert.Equal(t, []int64{1652, 1653}, e.page.sessions)
		assert.Equal(t, "1652,1653", e.page.rowsText, "the rows' text: the same IDs")
		assert.Empty(t, e.page.errText)
	})
	e.page.waitFor(t, "the rows' names", func() bool { return len(e.page.rows) == 2 })
	e.settle()
	assert.Equal(t, 1, e.count(b24.MethodPinAll), "one request for three clicks")
	assert.Zero(t, e.count(b24.MethodUnpinAll))
	e.page.read(func() {
		r := e.page.rows[1652]
		assert.Equal(t, view.Row{ChatID: 11652, Name: "Customer 1652", Channel: "Live chat", Open: "Open",
			OpenLabel: "Open conversation Customer 1652"}, r)
	})
}

func TestUnpinAllSaysUnpinned(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.handle(b24.MethodUnpinAll, reply(`{"result":[]}`))
	e.start()
	e.page.click(t, "unpin-all")
	e.page.waitState(t, view.Done)
	e.page.read(func() { assert.Equal(t, "Nothing to unpin: none of your conversations is pinned.", e.page.status) })
}

func TestErrorThenRetry(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	var failed atomic.Bool
	e.handle(b24.MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		if !failed.Swap(true) {
			replyError(403, "ACCESS_DENIED")(w, r)
			return
		}
		writeJSON(w, 200, `{"result":[]}`)
	})
	e.start()

	e.page.click(t, "pin-all")
	e.page.waitState(t, view.Error)
	e.page.read(func() {
		assert.NotEmpty(t, e.page.errText, "the error in words")
		assert.Empty(t, e.page.status)
		assert.True(t, e.page.actionsOn, "the buttons work after a failed action")
	})

	e.page.click(t, "pin-all")
	e.page.waitState(t, view.Done)
	e.page.read(func() {
		assert.Empty(t, e.page.errText, "the retry clears the error")
		assert.Contains(t, e.page.status, "Nothing to pin")
	})
	assert.Equal(t, 2, e.count(b24.MethodPinAll))
}

func TestPanicInAnActionIsRecovered(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.handle(b24.MethodPinAll, reply(ids(5, 2)))
	e.handle(b24.MethodBatch, batchDialogs(e))
	var panicked atomic.Bool
	e.beforeDo = func(req *b24.Request) {
		if strings.Contains(req.URL, b24.MethodPinAll) && !panicked.Swap(true) {
			panic("boom")
		}
	}
	e.start()

	e.page.click(t, "pin-all")
	e.page.waitState(t, view.Error)
	e.page.read(func() {
		assert.Contains(t, e.page.errText, "Something went wrong inside the widget")
		assert.True(t, e.page.actionsOn, "the buttons work again")
	})
	e.settle()

	e.page.click(t, "pin-all")
	e.page.waitState(t, view.Done)
	e.page.read(func() {
		assert.Empty(t, e.page.errText)
		assert.Equal(t, []int64{5, 6}, e.page.sessions)
	})
}

func TestPanicBeforeReadyKeepsTheButtonsOff(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.w.Recovered(fmt.Errorf("panic: early"))
	e.page.read(func() {
		assert.Equal(t, view.Error, e.page.state)
		assert.False(t, e.page.actionsOn)
	})
}

func TestNewActionCancelsLookups(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.handle(b24.MethodPinAll, reply(ids(1652, 3)))
	e.handle(b24.MethodUnpinAll, reply(`{"result":[]}`))
	arrived, release := make(chan struct{}), make(chan struct{})
	dialogs := batchDialogs(e)
	e.handle(b24.MethodBatch, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
		dialogs(w, r)
	})
	e.start()

	e.page.click(t, "pin-all")
	e.page.waitState(t, view.Done)
	<-arrived // the lookup is in flight
	e.page.read(func() { assert.Equal(t, "busy", e.page.lookups) })
	e.page.click(t, "unpin-all")
	e.page.waitState(t, view.Done)
	e.page.read(func() { assert.Equal(t, "idle", e.page.lookups, "nothing to look up") })
	close(release)
	e.settle() // the cancelled lookup has ended: nothing more can land

	e.page.read(func() {
		assert.Empty(t, e.page.sessions, "the list is the last action's")
		assert.Empty(t, e.page.rows, "the cancelled lookup filled nothing")
		assert.Empty(t, e.page.notes)
		assert.Contains(t, e.page.status, "Nothing to unpin")
	})
	assert.Equal(t, 1, e.count(b24.MethodBatch))
}

// In a bubble: the second page waits for the portal's bucket, on the
// bubble's clock.
func TestLookupsAPageAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := setup(t, "DEFAULT", "")
		e.handle(b24.MethodPinAll, reply(ids(1000, 60)))
		e.handle(b24.MethodBatch, batchDialogs(e))
		e.start()

		e.page.click(t, "pin-all")
		time.Sleep(time.Minute) // the names' hold after the click, then their pace
		e.page.waitFor(t, "the lookups to wait for a scroll", func() bool { return e.page.lookups == "idle" })
		e.page.read(func() {
			assert.Len(t, e.page.rows, 50, "idle once the first page is named")
			assert.True(t, e.page.more, "show more: rows are left")
			assert.Equal(t, 49, e.page.watch, "the last named row is watched")
		})
		// The loader waits for "show more" now (its goroutine lives on).

		var more func()
		e.page.read(func() { more = e.page.events.More })
		more()
		time.Sleep(time.Minute)
		e.page.waitFor(t, "every row looked up", func() bool { return e.page.lookups == "idle" })
		e.page.read(func() {
			assert.Len(t, e.page.rows, 60, "idle once every row is named")
			assert.False(t, e.page.more)
			assert.Equal(t, -1, e.page.watch)
		})
	})
}

func TestARefusedLookupIsAQuietNote(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.handle(b24.MethodPinAll, reply(ids(7, 1)))
	e.handle(b24.MethodBatch, reply(`{"result":{"result":[],"result_error":{"s7":{"error":"ACCESS_ERROR","error_description":"no"}}}}`))
	e.start()
	e.page.click(t, "pin-all")
	e.page.waitFor(t, "the note", func() bool { return e.page.notes[7] != "" })
	e.page.read(func() {
		assert.Equal(t, view.Done, e.page.state, "the action succeeded")
		assert.Empty(t, e.page.errText)
		assert.False(t, slices.ContainsFunc(e.page.logs, isNamesLog), "the call went through: no failed call to log")
	})
}

// A lookup call the portal refuses whole leaves the action done, notes
// its rows, and says why in the console, for developers.
func TestARefusedLookupCallIsLogged(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.handle(b24.MethodPinAll, reply(ids(7, 1)))
	e.handle(b24.MethodBatch, replyError(403, "ACCESS_DENIED"))
	e.start()
	e.page.click(t, "pin-all")
	e.page.waitFor(t, "the log", func() bool { return slices.ContainsFunc(e.page.logs, isNamesLog) })
	e.page.read(func() {
		assert.Equal(t, view.Done, e.page.state, "the action succeeded")
		assert.Empty(t, e.page.errText)
		assert.NotEmpty(t, e.page.notes[7])
		i := slices.IndexFunc(e.page.logs, isNamesLog)
		assert.Contains(t, e.page.logs[i], "ACCESS_DENIED")
	})
}

func isNamesLog(s string) bool { return strings.HasPrefix(s, "pinall: dialog names: ") }

func TestOpenDialogFromARow(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.start()
	var open func(int64)
	e.page.read(func() { open = e.page.events.Open })
	open(1364)
	assert.Equal(t, []string{"chat1364"}, e.frame.opened)
}

func TestWarmUpSendsNothingAndLeavesThePage(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.w.Start(context.Background())
	var writes int
	e.page.read(func() { writes = e.page.writes })

	e.settle()

	assert.EqualValues(t, 1, e.warmTr.calls.Load(), "the canned transport answered")
	assert.Equal(t, "https://portal.example/rest/"+b24.MethodPinAll+".json", e.warmTr.url.Load(),
		"the warm-up ran a click's own call")
	assert.Zero(t, e.requests.Load(), "no request reached the portal")
	e.page.read(func() {
		assert.Equal(t, writes, e.page.writes, "the page is untouched")
		assert.Equal(t, view.Ready, e.page.state)
	})
}

func TestWarmUpCollectsWhatStartUpLeft(t *testing.T) {
	// Off, so only the widget can collect: the first click's collection
	// would otherwise sweep start-up's garbage, in the user's time.
	gogc := debug.SetGCPercent(-1)
	t.Cleanup(func() { debug.SetGCPercent(gogc) })
	e := setup(t, "DEFAULT", "")
	startUpGarbage := weak.Make(&[64 << 10]byte{})
	e.w.Start(context.Background())
	e.settle()
	assert.True(t, startUpGarbage.Value() == nil, "collected once the warm-up ran, before any click")
}

// The warm-up runs the click's path only as far as its canned reply goes:
// a reply the client refused would leave the parser and the words cold.
func TestWarmReplyIsAReplyTheClientTakes(t *testing.T) {
	c, err := b24.New("https://portal.example/rest", b24.WithTransport(&cannedTransport{}),
		b24.WithTokenSource(&cannedToken{}))
	require.NoError(t, err)
	ids, err := c.PinAll(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2}, ids.List)
}

func TestClicksBeforeReadyAreIgnored(t *testing.T) {
	e := setup(t, "DEFAULT", "")
	e.w.click(pinAll)
	assert.Zero(t, e.spawned.Load())
	assert.Equal(t, view.Loading, e.page.State())
}
