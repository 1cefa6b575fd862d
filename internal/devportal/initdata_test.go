package devportal

import (
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var initRe = regexp.MustCompile(`data-init="([^"]*)"`)

// pageInit is the init data rendered into a portal page.
func pageInit(t *testing.T, page string) heldInit {
	t.Helper()
	m := initRe.FindStringSubmatch(page)
	require.NotNil(t, m, "no data-init in the page")
	var h heldInit
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(m[1])), &h))
	return h
}

// pollInit runs one long poll of /devportal/api/init.
func pollInit(t *testing.T, p *Portal, sid string, gen uint64) (int, heldInit) {
	t.Helper()
	res, err := client(p).Get(p.PortalURL() + "/devportal/api/init?sid=" + sid + "&gen=" + strconv.FormatUint(gen, 10))
	require.NoError(t, err)
	defer res.Body.Close()
	var h heldInit
	if res.StatusCode == 200 {
		require.NoError(t, json.NewDecoder(res.Body).Decode(&h))
	}
	return res.StatusCode, h
}

// The page is rendered with the init data for its placement, a fresh token
// in it, as the real portal renders it: getInitData needs no request.
func TestPageHoldsTheInitData(t *testing.T) {
	p := start(t, Config{TokenTTL: 1800 * time.Second})
	_, page := openPage(t, p, "placement=IM_SIDEBAR&dialog=chat1366&lang=ru")
	h := pageInit(t, page)
	assert.NotZero(t, h.Gen)
	d := h.Data
	assert.Equal(t, "ru", d["LANG"])
	assert.Equal(t, "IM_SIDEBAR", d["PLACEMENT"])
	assert.Equal(t, map[string]any{"dialogId": "chat1366"}, d["PLACEMENT_OPTIONS"])
	assert.Equal(t, "1800", d["AUTH_EXPIRES"])
	assert.Equal(t, false, d["INSTALL"])
	assert.Equal(t, 200, call(t, p, "server.time", authed(d["AUTH_ID"].(string))).Status)

	// Hostile overrides stay data: the attribute is escaped, the JSON intact.
	payload := `"><script>alert(1)</script>`
	p.SetInitOverride(map[string]any{"LANG": payload})
	_, page = openPage(t, p, "")
	assert.NotContains(t, page, "<script>")
	assert.Equal(t, payload, pageInit(t, page).Data["LANG"])
}

// A getInitData the page answered itself is logged as replied, and the
// report's answer is the data to hold for the next ask, with its own token.
func TestAnsweredGetInitData(t *testing.T) {
	p := start(t, Config{})
	sid, page := openPage(t, p, "")
	rendered := pageInit(t, page)
	a := frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "cb1", Accepted: true, Answered: true})
	assert.False(t, a.Reply, "the page replied already")
	assert.Nil(t, a.Data)
	require.NotNil(t, a.Init)
	assert.Equal(t, rendered.Gen, a.Init.Gen)
	assert.NotEqual(t, rendered.Data["AUTH_ID"], a.Init.Data["AUTH_ID"])
	assert.Equal(t, 200, call(t, p, "server.time", authed(a.Init.Data["AUTH_ID"].(string))).Status)

	// A message the page dropped is logged as before: no reply, nothing to hold.
	a = frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "cb2", AppSID: "other", Accepted: false, Reason: "APP_SID mismatch"})
	assert.False(t, a.Reply)
	assert.Nil(t, a.Init)

	ev := p.FrameEvents()
	require.Len(t, ev, 2)
	assert.True(t, ev[0].Accepted)
	assert.True(t, ev[0].Replied)
	assert.Equal(t, "cb1", ev[0].Callback)
	assert.False(t, ev[1].Accepted)
	assert.False(t, ev[1].Replied)
	assert.Equal(t, "APP_SID mismatch", ev[1].Reason)
}

// What changes the init data after the page was rendered reaches it through
// the long poll, and with the reloads the portal makes.
func TestHeldInitDataFollowsThePortal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { heldInitDataFollowsThePortal(t) })
}

func heldInitDataFollowsThePortal(t *testing.T) {
	p := inBubble(t, Config{Install: true})
	sid, page := openPage(t, p, "")
	h := pageInit(t, page)
	assert.Equal(t, true, h.Data["INSTALL"])

	status, got := pollInit(t, p, sid, h.Gen-1)
	require.Equal(t, 200, status, "a stale generation is answered at once")
	assert.Equal(t, h.Gen, got.Gen)

	type polled struct {
		status int
		h      heldInit
	}
	done := make(chan polled, 1)
	go func() {
		var x polled
		res, err := client(p).Get(p.PortalURL() + "/devportal/api/init?sid=" + sid + "&gen=" + strconv.FormatUint(h.Gen, 10))
		if err == nil {
			x.status = res.StatusCode
			_ = json.NewDecoder(res.Body).Decode(&x.h)
			res.Body.Close()
		}
		done <- x
	}()
	synctest.Wait() // the long poll waits at the server
	select {
	case x := <-done:
		t.Fatalf("the long poll answered with nothing changed: %+v", x)
	default:
	}
	p.SetInitOverride(map[string]any{"LANG": "de"})
	x := <-done
	require.Equal(t, 200, x.status)
	assert.Greater(t, x.h.Gen, h.Gen)
	assert.Equal(t, "de", x.h.Data["LANG"])

	a := frame(t, p, frameRequest{SID: sid, Command: "setInstallFinish", Params: "{}", Accepted: true})
	require.NotEmpty(t, a.Reload)
	require.NotNil(t, a.Init, "a reload brings the data for the reloaded app")
	assert.Equal(t, false, a.Init.Data["INSTALL"])
	assert.Greater(t, a.Init.Gen, x.h.Gen)
	a = frame(t, p, frameRequest{SID: sid, Command: "reloadWindow", Accepted: true})
	require.NotNil(t, a.Init)
	assert.Equal(t, "de", a.Init.Data["LANG"])

	for name, change := range map[string]func(){
		"ExpireTokens": p.ExpireTokens, "Reset": p.Reset,
		"SetInstalled": func() { p.SetInstalled(true) },
		"SetSessions":  func() { require.NoError(t, p.SetSessions(DemoData())) },
	} {
		_, before := pollInit(t, p, sid, 0)
		change()
		status, after := pollInit(t, p, sid, before.Gen)
		require.Equal(t, 200, status, name)
		assert.Greater(t, after.Gen, before.Gen, name)
	}

	status, _ = pollInit(t, p, "nosuchpage", 0)
	assert.Equal(t, 404, status)
}

// HoldFrameReports sits on one command's reports until released; Close ends
// a long poll at once.
func TestHoldFrameReportsAndClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { holdFrameReportsAndClose(t) })
}

func holdFrameReportsAndClose(t *testing.T) {
	p := inBubble(t, Config{})
	sid, page := openPage(t, p, "")
	release := p.HoldFrameReports("getInitData")
	done := make(chan frameAnswer, 1)
	go func() {
		var a frameAnswer
		body := `{"sid":"` + sid + `","command":"getInitData","callback":"c","app_sid":"` + sid + `","origin":"` + p.AppURL() + `","accepted":true,"answered":true}`
		res, err := client(p).Post(p.PortalURL()+"/devportal/api/frame", "application/json", strings.NewReader(body))
		if err == nil {
			_ = json.NewDecoder(res.Body).Decode(&a)
			res.Body.Close()
		}
		done <- a
	}()
	synctest.Wait() // the report is held at the server
	select {
	case <-done:
		t.Fatal("a held report was answered")
	default:
	}
	frame(t, p, frameRequest{SID: sid, Command: "getInterface", Callback: "c2", Accepted: true})
	require.Len(t, p.FrameEvents(), 1, "getInterface only")
	release()
	a := <-done
	assert.NotNil(t, a.Init)
	require.Len(t, p.FrameEvents(), 2)

	gen := pageInit(t, page).Gen
	polled := make(chan error, 1)
	go func() {
		res, err := client(p).Get(p.PortalURL() + "/devportal/api/init?sid=" + sid + "&gen=" + strconv.FormatUint(gen, 10))
		if err == nil {
			res.Body.Close()
		}
		polled <- err // either ends it: the 204 or the closed connection
	}()
	synctest.Wait() // the long poll waits at the server
	select {
	case err := <-polled:
		t.Fatalf("the long poll ended before Close: %v", err)
	default:
	}
	p.Close()
	synctest.Wait()
	select {
	case <-polled:
	default:
		t.Fatal("Close left a long poll hanging")
	}
}
