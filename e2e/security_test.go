//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/frame"
)

// netRequest is one request the browser sent, as CDP's Network domain saw it.
type netRequest struct {
	From, Method, URL, Body string
	Headers                 string // JSON of the headers (requestWillBeSent and the raw ones of ExtraInfo)
}

// netLog records every request of one target (the portal page or the app).
type netLog struct {
	mu   sync.Mutex
	reqs map[network.RequestID]*netRequest
	ids  []network.RequestID
}

// recordNetwork enables the Network domain in ctx and records its requests.
func recordNetwork(t *testing.T, ctx context.Context, from string) *netLog {
	t.Helper()
	l := &netLog{reqs: map[network.RequestID]*netRequest{}}
	get := func(id network.RequestID) *netRequest {
		r := l.reqs[id]
		if r == nil {
			r = &netRequest{From: from}
			l.reqs[id] = r
			l.ids = append(l.ids, id)
		}
		return r
	}
	chromedp.Listen(ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			r := get(ev.RequestID)
			r.Method, r.URL = ev.Request.Method, ev.Request.URL+ev.Request.URLFragment
			h, _ := json.Marshal(ev.Request.Headers)
			r.Headers += string(h) + " referrer-policy:" + ev.Request.ReferrerPolicy.String()
			for _, e := range ev.Request.PostDataEntries {
				r.Body += string(e.Bytes)
			}
		case *network.EventRequestWillBeSentExtraInfo:
			h, _ := json.Marshal(ev.Headers)
			get(ev.RequestID).Headers += string(h)
		}
	})
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	return l
}

func (l *netLog) all() []netRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]netRequest, 0, len(l.ids))
	for _, id := range l.ids {
		out = append(out, *l.reqs[id])
	}
	return out
}

// The frame's waits (internal/frame, DefaultInitTimeout and
// DefaultRefreshTimeout: js-only constants, mirrored here).
const (
	frameInitTimeout    = 5 * time.Second
	frameRefreshTimeout = 10 * time.Second
)

var authRe = regexp.MustCompile(`(?:^|&)auth=([^&]+)`)

// Token hygiene end to end: the token goes only in the POST body to the
// portal's REST URL; never in a URL, a header or referrer, the console, the
// app's DOM, localStorage or sessionStorage (app and portal page), nor in an
// error shown, even when the portal echoes it in error_description.
func TestTokenHygiene(t *testing.T) {
	t.Parallel()
	p, tb, a := openReady(t, devportal.Config{}, "")
	appNet := recordNetwork(t, tb.appCtx, "app")
	pageNet := recordNetwork(t, tb.ctx, "page")

	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	p.ExpireTokens() // a second token, through refreshAuth
	a.click("#unpin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())

	tokens := map[string]bool{}
	var current string // the token the next call sends: the refreshed one
	for _, r := range appNet.all() {
		for _, m := range authRe.FindAllStringSubmatch(r.Body, -1) {
			tok, _ := url.QueryUnescape(m[1])
			tokens[tok] = true
			current = tok
		}
	}
	require.Len(t, tokens, 2, "the first token and the refreshed one, seen in request bodies")

	// The portal echoes the token it was sent back in an error's description
	// (as auth=... and bare): the widget must not show it.
	echo := " auth=" + current + " " + current
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "ECHO_AUTH", Status: 400, Description: "bad request:" + echo, Method: mPinAll}))
	a.click("#pin-all")
	require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	alert := a.dom().Alert
	assert.Contains(t, alert, "ECHO_AUTH", "the unknown code is shown (as text)")

	leaks := 0
	check := func(where, text string) {
		t.Helper()
		for tok := range tokens {
			if strings.Contains(text, tok) {
				leaks++
				t.Errorf("the token leaks into %s: %.300q", where, text)
			}
		}
	}
	reqs := append(appNet.all(), pageNet.all()...)
	rest := 0
	for _, r := range reqs {
		where := r.From + " " + r.Method + " " + r.URL
		check("the URL of "+where, r.URL)
		check("the headers of "+where, r.Headers)
		if strings.Contains(r.Body, "auth=") {
			rest++
			assert.Equal(t, "POST", r.Method, "a body with auth: %s", where)
			assert.True(t, strings.HasPrefix(r.URL, p.PortalURL()+"/rest/"), "auth sent outside the portal's REST URL: %s", where)
		} else {
			check("the body of "+where, r.Body)
		}
	}
	assert.GreaterOrEqual(t, rest, 4, "the REST calls were seen in the network log")
	check("the alert", alert)
	for _, l := range tb.console() {
		check("the console", l.String())
	}
	check("the app's DOM", evalAs[string](a, `document.documentElement.outerHTML`))
	storage := `JSON.stringify({l: Object.entries(localStorage), s: Object.entries(sessionStorage), n: window.name, c: document.cookie})`
	check("the app's storage", evalAs[string](a, storage))
	check("the portal page's storage", portalEvalAs[string](a, storage))
	check("the app's URL", evalAs[string](a, `location.href`))
	t.Logf("token hygiene: %d tokens, %d requests checked (%d with auth, all POST to /rest/), %d console lines, %d leaks",
		len(tokens), len(reqs), rest, len(tb.console()), leaks)
}

// A page that frames the app with a hostile DOMAIN (userinfo, path, query,
// scheme) gets nothing: the widget refuses at once, sends no frame message and
// no request. And a DOMAIN that is a plain host but not the parent's origin
// gets no getInitData either: the widget posts only to DOMAIN's origin, never
// to "*" (the browser drops a message for another origin; "*" would deliver).
func TestHostileFrameDomain(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	host := strings.TrimPrefix(p.PortalURL(), "http://")
	_, port, _ := net.SplitHostPort(host)
	tb := newTab(t)
	for _, c := range []struct {
		domain string
		want   error
	}{
		{"evil.com@" + host, frame.ErrNotInBitrix24},
		{host + "/evil", frame.ErrNotInBitrix24},
		{host + "?x=1", frame.ErrNotInBitrix24},
		{"http:%2F%2F" + host, frame.ErrNotInBitrix24},
		// Valid, but not where the parent lives: getInitData to that origin
		// goes nowhere, and the widget says so after its 5 s wait.
		{"127.0.0.1:" + port, &frame.NoAnswerError{Command: "getInitData", Timeout: frameInitTimeout}},
	} {
		t.Run(c.domain, func(t *testing.T) {
			p.ResetLog()
			p.SetFrameDomain(c.domain)
			a := openPortalApp(t, tb, p, "")
			require.Equal(t, stateError, a.waitStateWithin(8*time.Second, stateReady, stateError), "page: %+v", a.dom())
			d := a.dom()
			assert.Equal(t, englishFor(c.want), d.Alert)
			assert.False(t, d.PinEnabled || d.UnpinEnabled, "buttons must be off: %+v", d)
			assert.Empty(t, p.Requests(), "no REST request may leave")
			assert.Empty(t, p.FrameEvents(), "no frame message may reach the page")
		})
	}
}

// evilServer serves a page on a third origin (127.0.0.2, another site than
// the portal's localhost and the app's 127.0.0.1) whose script posts msgs to
// its opener's first frame, the app, with targetOrigin "*".
func evilServer(t *testing.T, msgs []string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	require.NoError(t, err, "a third loopback origin")
	js, _ := json.Marshal(msgs)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>evil</title><script>
const app = opener && opener.frames[0];
for (const m of %s) app.postMessage(m, "*");
app.postMessage({not: "a string"}, "*");
document.title = "sent";
</script>`, js)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// A refresh the portal never answers ends in the no-answer words within the
// frame's 10 s refresh timeout, not a hang; meanwhile a page on a third
// origin forges the awaited refreshAuth reply (the right callback id, a token
// of its own): the widget ignores it, so no request ever carries that token.
// Then the portal answers again and the next click works.
func TestSilentRefreshAndForgedReply(t *testing.T) {
	t.Parallel()
	p, tb, a := openReady(t, devportal.Config{}, "")
	p.SetRefreshSilent(true)
	p.ExpireTokens()
	start := time.Now()
	a.click("#pin-all")
	var cb string
	eventually(t, 5*time.Second, "the refreshAuth the portal leaves unanswered", func() bool {
		ev := frameEvents(p, "refreshAuth")
		if len(ev) == 1 {
			cb = ev[0].Callback
		}
		return cb != ""
	})
	forged := cb + `:{"AUTH_ID":"forged0token","AUTH_EXPIRES":"3600","REFRESH_ID":"r"}`
	evil := evilServer(t, []string{forged, cb + ":", forged})
	_, err := chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`void window.open(%q, "evil")`, evil),
		func(p *runtime.EvaluateParams) { yes := true; p.UserGesture = &yes }))
	require.NoError(t, err)
	eventually(t, 5*time.Second, "the evil page to post", func() bool {
		infos, _ := chromedp.Targets(tb.ctx)
		for _, i := range infos {
			if i.Type == "page" && strings.HasPrefix(i.URL, evil) && i.Title == "sent" {
				return true
			}
		}
		return false
	})

	require.Equal(t, stateError, a.waitStateWithin(frameRefreshTimeout+4*time.Second, stateDone, stateError), "page: %+v", a.dom())
	took := time.Since(start)
	assert.Less(t, took, frameRefreshTimeout+3*time.Second, "the error comes with the refresh timeout")
	assert.GreaterOrEqual(t, took, frameRefreshTimeout-time.Second, "the forged reply must not end the wait")
	want := &b24.TokenError{API: &b24.APIError{Method: mPinAll, Code: "expired_token"},
		Err: &frame.NoAnswerError{Command: "refreshAuth", Timeout: frameRefreshTimeout}}
	d := a.dom()
	assert.Equal(t, englishFor(want), d.Alert)
	assert.True(t, d.PinEnabled && d.UnpinEnabled, "buttons after the error: %+v", d)
	calls := restCalls(p, mPinAll)
	require.Len(t, calls, 1, "the expired call only: a forged token would make a second")

	p.SetRefreshSilent(false)
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Empty(t, a.dom().Alert)
	calls = restCalls(p, mPinAll)
	require.Len(t, calls, 3, "expired again, refreshed, retried")
	assert.Equal(t, 200, calls[2].Status)
	t.Logf("silent refresh: error after %v; forged replies from %s ignored", took.Round(time.Millisecond), evil)
}

// Junk from the right parent (unknown callback ids, malformed strings,
// non-strings, huge strings) changes nothing: no state change, no words, and
// the next click works.
func TestHostileMessagesFromParent(t *testing.T) {
	t.Parallel()
	p, _, a := openReady(t, devportal.Config{}, "")
	before := a.dom()
	states := len(a.states())
	evalAs[any](a, `window.addEventListener("message", (e) => { if (e.data === "e2e-sentinel") window.__e2eSentinel = true })`)
	portalEvalAs[any](a, fmt.Sprintf(`(() => {
		const app = document.getElementById("app-frame").contentWindow, o = %q;
		const big = "A".repeat(8 << 20);
		const msgs = [
			"unknowncb:{\"AUTH_ID\":\"x\",\"AUTH_EXPIRES\":\"3600\"}", "zzz:", ":", "", "nocolon", "cb:{bad json",
			"cb:\"" + big + "\"", big, "x:[" + "[".repeat(5000) + "]", "\u0000:\u2028", "__proto__:{}", "constructor:null",
			{AUTH_ID: "x"}, ["cb", "{}"], 42, null, undefined, true, new ArrayBuffer(16), new Blob(["cb:{}"]),
		];
		for (const m of msgs) app.postMessage(m, o);
		app.postMessage("e2e-sentinel", o);
	})()`, p.AppURL()))
	eventually(t, 10*time.Second, "the app to receive every message", func() bool {
		return evalAs[bool](a, `!!window.__e2eSentinel`)
	})
	assert.Len(t, a.states(), states, "no state change: %v", a.states())
	assert.Equal(t, before, a.dom(), "nothing on the page changed")
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Empty(t, a.dom().Alert)
	assert.Len(t, restCalls(p, mPinAll), 1)
}
