package devportal

import (
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoDataShape(t *testing.T) {
	d := DemoData()
	assert.GreaterOrEqual(t, len(d.Users), 3)
	assert.Len(t, d.Lines, 2)
	var mine, pinned, closed, others int
	for _, s := range d.Sessions {
		if s.Operator != 1 {
			others++
			continue
		}
		mine++
		if s.Pinned {
			pinned++
		}
		if s.Closed {
			closed++
		}
	}
	assert.True(t, mine >= 10 && mine <= 20, "sessions of user 1: %d", mine)
	assert.Positive(t, pinned)
	assert.Positive(t, closed)
	assert.Positive(t, others)
}

func TestParseDataRejectsDanglingReferences(t *testing.T) {
	_, err := parseData([]byte(`{"chats":[],"sessions":[{"id":1,"chat_id":5}]}`))
	assert.ErrorContains(t, err, "unknown chat 5")
	_, err = parseData([]byte(`{"lines":[],"chats":[{"id":5,"line_id":9}]}`))
	assert.ErrorContains(t, err, "unknown line 9")
	_, err = parseData([]byte(`{`))
	assert.Error(t, err)
}

func TestPinAllTouchesOnlyTheCallersOpenUnpinnedSessions(t *testing.T) {
	p := start(t, Config{})
	before := p.Sessions()
	tok := p.IssueToken(1)

	got := ids(t, call(t, p, "imopenlines.session.mode.pinAll", authed(tok)))
	var want []int
	for _, s := range before {
		if s.Operator == 1 && !s.Closed && !s.Pinned {
			want = append(want, s.ID)
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, got)
	for _, s := range p.Sessions() {
		var old SessionView
		for _, b := range before {
			if b.ID == s.ID {
				old = b
			}
		}
		if s.Operator != 1 || s.Closed {
			assert.Equal(t, old.Pinned, s.Pinned, "session %d must not change", s.ID)
		} else {
			assert.True(t, s.Pinned, "session %d", s.ID)
		}
	}

	// Nothing left to pin: [] (not null).
	a := call(t, p, "imopenlines.session.mode.pinAll", authed(tok))
	assert.Contains(t, a.Raw, `"result":[]`)

	// unpinAll unpins every open session of the caller, the pre-pinned ones too.
	un := ids(t, call(t, p, "imopenlines.session.mode.unpinAll", authed(tok)))
	assert.Greater(t, len(un), len(want))
	for _, s := range p.Sessions() {
		if s.Operator == 1 && !s.Closed {
			assert.False(t, s.Pinned)
		}
	}
}

func TestPinOneChat(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	// chat 1364's open session 1652 belongs to user 1 and is unpinned.
	a := call(t, p, "imopenlines.session.mode.pin", authed(tok, "CHAT_ID", "1364", "ACTIVATE", "Y"))
	require.Equal(t, 200, a.Status, a.Raw)
	assert.Equal(t, true, a.Body["result"])
	assert.True(t, pinnedOf(p)[1652])
	assert.False(t, pinnedOf(p)[1601], "the closed older session of the chat stays")

	a = call(t, p, "imopenlines.session.mode.pin", authed(tok, "CHAT_ID", "chat1364", "ACTIVATE", "N"))
	require.Equal(t, 200, a.Status, a.Raw)
	assert.False(t, pinnedOf(p)[1652])

	// ACTIVATE defaults to Y.
	call(t, p, "imopenlines.session.mode.pin", authed(tok, "CHAT_ID", "1364"))
	assert.True(t, pinnedOf(p)[1652])

	cases := []struct{ chat, code string }{
		{"", "CHAT_ID_EMPTY"},
		{"99", "CHAT_TYPE"},       // team chat, not an open line
		{"1392", "ACCESS_DENIED"}, // chat of user 2's session
		{"424242", "CHAT_ID"},
	}
	for _, c := range cases {
		a := call(t, p, "imopenlines.session.mode.pin", authed(tok, "CHAT_ID", c.chat))
		assert.Equal(t, 400, a.Status, c.code)
		assert.Equal(t, c.code, a.code())
		assert.NotEmpty(t, a.Body["error_description"])
	}
	assert.False(t, pinnedOf(p)[1700], "another operator's session is never touched")
}

func TestDialogGet(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	for _, q := range [][]string{{"CHAT_ID", "1364"}, {"DIALOG_ID", "chat1364"}, {"SESSION_ID", "1652"}, {"USER_CODE", "livechat|1|1363|203"}} {
		a := call(t, p, "imopenlines.dialog.get", authed(tok, q...))
		require.Equal(t, 200, a.Status, a.Raw)
		r := a.Body["result"].(map[string]any)
		assert.Equal(t, float64(1364), r["id"], q)
		assert.Equal(t, "Eugene P. - Priority Support", r["name"])
		assert.Equal(t, "livechat|1|1363|203", r["entity_id"])
		assert.Equal(t, "lines", r["type"])
		assert.Equal(t, "LINES", r["entity_type"])
		assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$`, r["date_create"])
	}
	a := call(t, p, "imopenlines.dialog.get", authed(tok))
	assert.Equal(t, "DIALOG_ID_EMPTY", a.code())
	// User 2 operates line 1 only: a line-2 dialog is refused.
	a = call(t, p, "imopenlines.dialog.get", authed(p.IssueToken(2), "CHAT_ID", "1370"))
	assert.Equal(t, 400, a.Status)
	assert.Equal(t, "ACCESS_ERROR", a.code())
}

func TestExtraSessions(t *testing.T) {
	p := start(t, Config{ExtraSessions: 10000, RateLimit: RateLimit{PerSecond: 1000, Burst: 1000}})
	got := ids(t, call(t, p, "imopenlines.session.mode.pinAll", authed(p.IssueToken(1))))
	assert.Len(t, got, 10000+8)
}

func TestConcurrentPinAllPinsEachSessionOnce(t *testing.T) {
	p := start(t, Config{RateLimit: RateLimit{PerSecond: 1000, Burst: 1000}, ExtraSessions: 500})
	tok := p.IssueToken(1)
	var mu sync.Mutex
	seen := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			method := "imopenlines.session.mode.pinAll"
			a := call(t, p, method, url.Values{"auth": {tok}})
			mu.Lock()
			defer mu.Unlock()
			for _, id := range ids(t, a) {
				seen[id]++
			}
			_ = p.Sessions()
		}()
	}
	wg.Wait()
	assert.Len(t, seen, 508)
	for id, n := range seen {
		assert.Equal(t, 1, n, "session %d returned %d times", id, n)
	}
}
