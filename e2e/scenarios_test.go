//go:build !js

package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// REST methods the widget calls.
const (
	mPinAll   = "imopenlines.session.mode.pinAll"
	mUnpinAll = "imopenlines.session.mode.unpinAll"
)

// operator is the user the portal page opens as (devportal's default).
const operator = 1

// byID indexes a sessions snapshot.
func byID(ss []devportal.SessionView) map[int]devportal.SessionView {
	m := make(map[int]devportal.SessionView, len(ss))
	for _, s := range ss {
		m[s.ID] = s
	}
	return m
}

// selectIDs returns the sorted IDs of the sessions that keep holds for.
func selectIDs(ss []devportal.SessionView, keep func(devportal.SessionView) bool) []int {
	var ids []int
	for _, s := range ss {
		if keep(s) {
			ids = append(ids, s.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// pinnable are the operator's open, unpinned sessions: what pinAll must pin.
func pinnable(ss []devportal.SessionView, user int) []int {
	return selectIDs(ss, func(s devportal.SessionView) bool { return s.Operator == user && !s.Closed && !s.Pinned })
}

// unpinnable are the operator's open, pinned sessions: what unpinAll must unpin.
func unpinnable(ss []devportal.SessionView, user int) []int {
	return selectIDs(ss, func(s devportal.SessionView) bool { return s.Operator == user && !s.Closed && s.Pinned })
}

// sorted returns a sorted copy.
func sorted(ids []int) []int {
	c := slices.Clone(ids)
	slices.Sort(c)
	return c
}

// assertOnlyChanged checks that exactly the sessions in changed flipped their
// pinned flag to pinned, and every other session is as it was.
func assertOnlyChanged(t *testing.T, before, after []devportal.SessionView, changed []int, pinned bool) {
	t.Helper()
	a := byID(after)
	require.Len(t, after, len(before), "sessions appeared or vanished")
	for _, b := range before {
		got := a[b.ID]
		if slices.Contains(changed, b.ID) {
			assert.Equal(t, pinned, got.Pinned, "session %d (operator %d) should be pinned=%v", b.ID, b.Operator, pinned)
		} else {
			assert.Equal(t, b, got, "session %d (operator %d, closed %v) must be untouched", b.ID, b.Operator, b.Closed)
		}
	}
}

// panelPinned reads the portal page's live panel: the IDs its rows mark pinned.
func panelPinned(a *app) []int {
	a.t.Helper()
	return portalEvalAs[[]int](a, `[...document.querySelectorAll("#sessions tr[data-session-id][data-pinned=true]")].map((r) => Number(r.dataset.sessionId)).sort((a, b) => a - b)`)
}

// demoSanity makes sure the demo data can tell a right pinAll from a wrong
// one: the operator has sessions to pin, already pinned ones, closed ones,
// and other operators have open sessions.
func demoSanity(t *testing.T, ss []devportal.SessionView) {
	t.Helper()
	var toPin, pinned, closed, others int
	for _, s := range ss {
		switch {
		case s.Operator != operator:
			others++
		case s.Closed:
			closed++
		case s.Pinned:
			pinned++
		default:
			toPin++
		}
	}
	require.True(t, toPin > 1 && pinned > 0 && closed > 0 && others > 0,
		"the demo data cannot tell right from wrong: to pin %d, pinned %d, closed %d, others %d", toPin, pinned, closed, others)
}

// ---------------------------------------------------------------------------

// Pin all: the list shows exactly what the portal pinned, the portal pinned
// only the operator's open unpinned sessions, the status says how many, and
// the portal's own panel agrees. Saves artifacts/demo-pinned.png.
func TestPinAll(t *testing.T) {
	t.Parallel()
	p, tb, a := openReady(t, devportal.Config{}, "")
	before := p.Sessions()
	demoSanity(t, before)
	want := pinnable(before, operator)

	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())

	d := a.dom()
	after := p.Sessions()
	assert.Equal(t, want, sorted(d.SessionIDs), "the list must show the sessions the portal pinned")
	assertOnlyChanged(t, before, after, want, true)
	assert.Empty(t, d.Alert)
	assert.Contains(t, d.Status, fmt.Sprintf("Pinned %d conversations", len(want)))
	assert.True(t, d.PinEnabled && d.UnpinEnabled, "buttons after done: %+v", d)
	assert.Len(t, restCalls(p, mPinAll), 1, "one click, one pinAll")
	assert.Empty(t, restCalls(p, mUnpinAll))
	for i, text := range d.SessionTexts {
		assert.Contains(t, text, fmt.Sprint(d.SessionIDs[i]), "a list item must show its session ID")
	}

	// The portal's panel (what a person watching the demo sees) agrees.
	wantPanel := selectIDs(after, func(s devportal.SessionView) bool { return s.Operator == operator && s.Pinned })
	eventually(t, waitTimeout, "the portal panel to show the pinned sessions", func() bool {
		return slices.Equal(panelPinned(a), wantPanel)
	})
	t.Logf("screenshot: %s", tb.screenshot("demo-pinned"))
}

// Token expiry mid-session: the portal expires the token while the widget
// sits ready; the click still succeeds, through exactly one refreshAuth and
// exactly one retry; the next click uses the new token with no refresh.
func TestTokenExpiryMidSession(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	before := p.Sessions()
	want := pinnable(before, operator)
	require.Empty(t, frameEvents(p, "refreshAuth"), "no refresh before the token expired")

	p.ExpireTokens()
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())

	d := a.dom()
	assert.Equal(t, want, sorted(d.SessionIDs))
	assert.Empty(t, d.Alert)
	assertOnlyChanged(t, before, p.Sessions(), want, true)
	calls := restCalls(p, mPinAll)
	require.Len(t, calls, 2, "the expired call and exactly one retry: %+v", calls)
	assert.Equal(t, 401, calls[0].Status)
	assert.Equal(t, "expired_token", calls[0].Error)
	assert.Equal(t, 200, calls[1].Status)
	refresh := frameEvents(p, "refreshAuth")
	require.Len(t, refresh, 1, "exactly one refreshAuth")
	assert.True(t, refresh[0].Accepted && refresh[0].Replied, "the portal must accept and answer the refresh: %+v", refresh[0])
	assert.Equal(t, p.AppURL(), refresh[0].Origin)
	assert.NotContains(t, a.clickStates(), stateError, "no error flash during the refresh")

	// The new token is kept: the next action needs no refresh.
	a.click("#unpin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Len(t, restCalls(p, mUnpinAll), 1)
	assert.Len(t, frameEvents(p, "refreshAuth"), 1, "a second refresh for a fresh token")
}

// Rate limiting the widget rides out: N QUERY_LIMIT_EXCEEDED answers end in
// done after N retries, with no error shown on the way.
func TestRateLimitRetried(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d limited", n), func(t *testing.T) {
			t.Parallel()
			// Two refusals wait up to a minute (3-4 s, then 24-56 s): longer
			// than a tab's usual time.
			p, a := readyApp(t, newTabWithin(t, 2*tabTimeout), devportal.Config{}, "")
			before := p.Sessions()
			want := pinnable(before, operator)
			require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "QUERY_LIMIT_EXCEEDED", Count: n, Method: mPinAll}))

			a.click("#pin-all")
			// 3-4 s, then 24-56 s: a minute at most.
			require.Equal(t, stateDone, a.waitStateWithin(75*time.Second, stateDone, stateError), "page: %+v", a.dom())

			d := a.dom()
			assert.Equal(t, want, sorted(d.SessionIDs))
			assert.Empty(t, d.Alert)
			assertOnlyChanged(t, before, p.Sessions(), want, true)
			calls := restCalls(p, mPinAll)
			require.Len(t, calls, n+1, "N limited calls, then one that passes")
			for _, c := range calls[:n] {
				assert.Equal(t, 503, c.Status)
				assert.Equal(t, "QUERY_LIMIT_EXCEEDED", c.Error)
			}
			assert.Equal(t, 200, calls[n].Status)
			assert.NotContains(t, a.clickStates(), stateError, "no error shown while retrying")
			// The retries wait: at least the first backoff (3-4 s).
			assert.GreaterOrEqual(t, calls[n].Time.Sub(calls[0].Time), 2900*time.Millisecond, "retries without backoff")
		})
	}
}

// A portal that keeps saying "slow down" (its limit forced): the click
// waits, counting down with a Stop button beside it; Stop ends the wait
// with words that say nothing was changed, and the buttons work again.
func TestRateLimitStop(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	before := p.Sessions()
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "QUERY_LIMIT_EXCEEDED", Count: 1000, Method: mPinAll}))

	a.click("#pin-all")
	deadline := time.Now().Add(waitTimeout)
	for !evalAs[bool](a, `!document.getElementById("pa-stop").hidden`) {
		require.True(t, time.Now().Before(deadline), "no Stop button: %+v", a.dom())
		time.Sleep(pollEvery)
	}
	d := a.dom()
	assert.Equal(t, stateBusy, d.State, "the click is still on")
	assert.Regexp(t, `^The portal is busy: .* trying again in \d+ seconds?\.$`, d.Status, "the countdown, in words")
	assert.Empty(t, d.Alert)
	assert.Equal(t, "Stop", evalAs[string](a, `document.getElementById("pa-stop").textContent`))

	a.click("#pa-stop")
	require.Equal(t, stateError, a.waitStateWithin(5*time.Second, stateDone, stateError), "page: %+v", a.dom())
	d = a.dom()
	assert.Equal(t, "Stopped. Nothing was changed; try again in a few minutes.", d.Alert)
	assert.Empty(t, d.Status)
	assert.True(t, evalAs[bool](a, `document.getElementById("pa-stop").hidden`), "Stop is gone")
	assert.True(t, d.PinEnabled && d.UnpinEnabled, "buttons after Stop: %+v", d)
	assert.Equal(t, before, p.Sessions(), "nothing may change")
	tries := len(restCalls(p, mPinAll))
	time.Sleep(2 * time.Second)
	assert.Len(t, restCalls(p, mPinAll), tries, "no try after Stop")

	// The limit is over: the same button works, and the words go away.
	p.ClearFaults()
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	d = a.dom()
	assert.Empty(t, d.Alert, "the old words must be cleared")
	assert.Equal(t, pinnable(before, operator), sorted(d.SessionIDs))
}

// Unpin all, a missing scope and an HTML 502 page run in every engine
// (engines_test.go).

// The app opened outside the portal (its URL pasted into a tab): it says at
// once that it works only inside Bitrix24, with the buttons off, and talks to
// nobody. The portal's query string alone must not fool it: the frame context
// comes from window.name, which only the portal's iframe has.
func TestOutsidePortal(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	host := strings.TrimPrefix(p.PortalURL(), "http://")
	for _, c := range []struct{ name, query string }{
		{"bare", ""},
		{"portal query", "?DOMAIN=" + host + "&PROTOCOL=0&LANG=en&APP_SID=0123456789abcdef"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := newTab(t)
			start := time.Now()
			a := openTopApp(t, tb, p.AppURL()+"/index.html"+c.query)
			got := a.waitStateWithin(6*time.Second, stateError, stateReady)
			took := time.Since(start)
			require.Equal(t, stateError, got, "page: %+v", a.dom())
			assert.Less(t, took, 6*time.Second)
			d := a.dom()
			assert.Contains(t, d.Alert, "only inside Bitrix24")
			assert.False(t, d.PinEnabled || d.UnpinEnabled, "buttons must be off outside the portal: %+v", d)
			t.Logf("error state after %v", took.Round(time.Millisecond))
		})
	}
	assert.Empty(t, p.Requests(), "no REST call outside the portal")
	assert.Empty(t, p.FrameEvents(), "no frame message reached the portal")
}

// A double click on "Pin all" sends ONE pinAll request; a click on "Unpin
// all" while it runs sends nothing either.
func TestDoubleClickSendsOneRequest(t *testing.T) {
	t.Parallel()
	p, tb, a := openReady(t, devportal.Config{}, "")
	// Keep the request in flight long enough for a click while busy. (The
	// portal logs a request when it has answered it.)
	p.SetLatency(time.Second)

	// Count the clicks the page really gets, to know the double click was one.
	evalAs[any](a, `(() => { window.__e2eClicks = 0; document.getElementById("pin-all").addEventListener("click", () => window.__e2eClicks++) })()`)
	tb.doubleClick(a, "#pin-all")
	require.Equal(t, stateBusy, a.waitState(stateBusy, stateDone, stateError))
	a.click("#unpin-all") // while busy
	require.Empty(t, restCalls(p, mPinAll), "the click while busy came too late to test anything")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Equal(t, 1, strings.Count(strings.Join(a.states(), " "), stateBusy), "one busy period: %v", a.states())
	assert.Equal(t, 2, evalAs[int](a, `window.__e2eClicks`), "the double click must reach the button as two clicks")

	// A stray request would have left during the clicks, a second ago; the
	// portal answers each after the same latency, so once a request sent
	// now is answered, any stray one is in the log too.
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	eventually(t, waitTimeout, "the later click's request logged", func() bool { return len(restCalls(p, mPinAll)) >= 2 })
	assert.Len(t, restCalls(p, mPinAll), 2, "one request for the double click, one for the later click")
	assert.Empty(t, restCalls(p, mUnpinAll), "nothing for the click while busy")
}

// LANG=ru: Russian labels, Russian plurals in the status (1 диалог,
// 2 диалога, 5 диалогов), and Russian error words.
func TestRussian(t *testing.T) {
	t.Parallel()
	seed := dataWith(5, 1)
	p, _, a := openReady(t, devportal.Config{Data: &seed}, "lang=ru")
	d := a.dom()
	assert.Equal(t, "ru-RU", d.Lang)
	assert.Equal(t, "Закрепить все", d.PinLabel)
	assert.Equal(t, "Открепить все", d.UnpinLabel)

	for _, c := range []struct {
		open   int
		status string
	}{{5, "Закреплено 5 диалогов"}, {2, "Закреплено 2 диалога"}, {1, "Закреплён 1 диалог"}} {
		require.NoError(t, p.SetSessions(dataWith(c.open, 1)))
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.Contains(t, d.Status, c.status)
		assert.Len(t, d.SessionIDs, c.open)
	}
	// Now 1 + 1 pinned: unpin all gives 2.
	a.click("#unpin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Contains(t, a.dom().Status, "Откреплено 2 диалога")

	p.SetScopes("placement")
	a.click("#pin-all")
	require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	alert := a.dom().Alert
	assert.Contains(t, alert, "imopenlines")
	assert.Contains(t, alert, "администратор", "the scope error in Russian must name the administrator")
}

// dataWith is the demo's users, lines and chats with: open unpinned and
// pinned sessions of the operator, one closed session of theirs, and an open
// and a pinned session of other operators.
func dataWith(open, pinned int) devportal.Data {
	d := devportal.DemoData()
	var chats []int
	for _, c := range d.Chats {
		if c.LineID != 0 {
			chats = append(chats, c.ID)
		}
	}
	d.Sessions = nil
	id := 5001
	add := func(op int, closed, pin bool) {
		d.Sessions = append(d.Sessions, devportal.Session{ID: id, ChatID: chats[(id-5001)%len(chats)], Operator: op, Closed: closed, Pinned: pin})
		id++
	}
	for range open {
		add(operator, false, false)
	}
	for range pinned {
		add(operator, false, true)
	}
	add(operator, true, false)
	add(2, false, false)
	add(4, false, true)
	return d
}

// Request shape: one click is exactly one request, a POST with the token in
// the body and never in the URL, and no CORS preflight.
func TestRequestShape(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	require.Empty(t, p.Requests(), "no REST call before a click")

	// The action is one request; the dialog-name lookups (a batch) follow
	// the outcome and are checked for the same shape.
	for _, c := range []struct{ button, method string }{{"#pin-all", mPinAll}, {"#unpin-all", mUnpinAll}} {
		a.click(c.button)
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		calls := restCalls(p, c.method)
		require.Len(t, calls, 1, "exactly one request per click: %+v", calls)
	}
	reqs := p.Requests()
	for _, r := range reqs {
		assert.Equal(t, "POST", r.HTTPMethod, "no OPTIONS preflight, no GET: %+v", r)
		assert.Contains(t, []string{mPinAll, mUnpinAll, "batch"}, r.Method)
		assert.True(t, r.TokenInBody, "the token goes in the body")
		assert.False(t, r.TokenInQuery, "the token never goes in the URL")
		assert.Equal(t, p.AppURL(), r.Origin, "a cross-origin call from the app")
		assert.True(t, strings.HasPrefix(r.Path, "/rest/"), "REST path %q", r.Path)
		assert.False(t, r.Webhook, "never a webhook URL from the browser")
		assert.Equal(t, 200, r.Status)
	}

	// What the browser itself fetched: REST URLs, none carrying auth or a query.
	urls := evalAs[[]string](a, `performance.getEntriesByType("resource").map((e) => e.name).filter((u) => u.includes("/rest/"))`)
	require.GreaterOrEqual(t, len(urls), 2, "REST fetches seen by the browser: %v", urls)
	for _, u := range urls {
		assert.True(t, strings.HasPrefix(u, p.PortalURL()+"/rest/"), "REST URL %s", u)
		assert.NotContains(t, u, "?", "REST URL with a query: %s", u)
		assert.NotContains(t, strings.ToLower(u), "auth", "REST URL with auth: %s", u)
	}
}
