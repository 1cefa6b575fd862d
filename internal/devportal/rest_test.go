package devportal

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func assertCORS(t *testing.T, h http.Header) {
	t.Helper()
	assert.Equal(t, "*", h.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "origin, content-type, accept", h.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	assert.Empty(t, h.Get("Access-Control-Allow-Credentials"))
}

func TestCORSOnEveryAnswerAndOptions(t *testing.T) {
	p := start(t, Config{})
	req, _ := http.NewRequest("OPTIONS", p.PortalURL()+"/rest/imopenlines.session.mode.pinAll", nil)
	req.Header.Set("Origin", p.AppURL())
	req.Header.Set("Access-Control-Request-Method", "POST")
	a := do(t, req)
	assert.Equal(t, 200, a.Status)
	assert.Empty(t, a.Raw)
	assertCORS(t, a.Header)

	a = call(t, p, "imopenlines.session.mode.pinAll", url.Values{"auth": {"nope"}})
	assert.Equal(t, 401, a.Status)
	assertCORS(t, a.Header)
	a = call(t, p, "no.such.method", authed(p.IssueToken(1)))
	assert.Equal(t, 404, a.Status)
	assert.Equal(t, "ERROR_METHOD_NOT_FOUND", a.code())
	assertCORS(t, a.Header)

	recs := p.Requests()
	require.Len(t, recs, 3)
	assert.Equal(t, "OPTIONS", recs[0].HTTPMethod)
	assert.Equal(t, p.AppURL(), recs[0].Origin)
	assert.Equal(t, "NO_AUTH_FOUND", recs[1].Error)
	assert.Equal(t, 401, recs[1].Status)
}

func TestBodyForms(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	base := p.PortalURL() + "/rest/imopenlines.session.mode.pin"
	forms := []struct {
		name, url, ct, body string
		inQuery, inBody     bool
	}{
		{"GET", base + ".json?auth=" + tok + "&CHAT_ID=1364", "", "", true, false},
		{"form", base + ".json", "application/x-www-form-urlencoded", "auth=" + tok + "&CHAT_ID=1364", false, true},
		{"text/plain legacy", base, "text/plain;charset=UTF-8", "auth=" + tok + "&CHAT_ID=1364", false, true},
		{"no content type", base, "", "auth=" + tok + "&CHAT_ID=1364", false, true},
		{"JSON", base + "?bx24_request_id=x", "application/json", `{"auth":"` + tok + `","CHAT_ID":1364,"ACTIVATE":"Y"}`, false, true},
		{"token in query, JSON body", base + "?auth=" + tok, "application/json", `{"CHAT_ID":"1364"}`, true, false},
	}
	for _, f := range forms {
		p.ResetLog()
		method := "POST"
		if f.body == "" && f.ct == "" {
			method = "GET"
		}
		req, _ := http.NewRequest(method, f.url, strings.NewReader(f.body))
		if f.ct != "" {
			req.Header.Set("Content-Type", f.ct)
		} else if method == "POST" {
			req.Header["Content-Type"] = nil
		}
		a := do(t, req)
		assert.Equal(t, 200, a.Status, "%s: %s", f.name, a.Raw)
		assert.Equal(t, true, a.Body["result"], f.name)
		tm, _ := a.Body["time"].(map[string]any)
		for _, k := range []string{"start", "finish", "duration", "processing", "date_start", "date_finish", "operating", "operating_reset_at"} {
			assert.Contains(t, tm, k, f.name)
		}
		r := p.Requests()[0]
		assert.Equal(t, "imopenlines.session.mode.pin", r.Method, f.name)
		assert.Equal(t, f.inQuery, r.TokenInQuery, f.name)
		assert.Equal(t, f.inBody, r.TokenInBody, f.name)
	}
}

func TestNestedQueryParams(t *testing.T) {
	o := parseQuery("a[b]=1&a[c][d]=x%20y&l[]=p&l[]=q&cmd[k2]=m2&cmd[k1]=m1&plain=z+w")
	assert.Equal(t, "1", o.get("a").(*obj).str("b"))
	assert.Equal(t, "x y", o.get("a").(*obj).get("c").(*obj).str("d"))
	assert.Equal(t, []string{"0", "1"}, o.get("l").(*obj).keys)
	assert.Equal(t, []string{"k2", "k1"}, o.get("cmd").(*obj).keys, "order kept")
	assert.Equal(t, "z w", o.str("plain"))
}

func TestAuthErrors(t *testing.T) {
	p, clock := startStepped(t, Config{TokenTTL: 200 * time.Millisecond})
	tok := p.IssueToken(1)
	assert.Equal(t, 200, call(t, p, "imopenlines.session.mode.pinAll", authed(tok)).Status)

	a := call(t, p, "imopenlines.session.mode.pinAll", url.Values{})
	assert.Equal(t, 401, a.Status)
	assert.Equal(t, "NO_AUTH_FOUND", a.code())

	clock.step(250 * time.Millisecond)
	a = call(t, p, "imopenlines.session.mode.pinAll", authed(tok))
	assert.Equal(t, 401, a.Status)
	assert.Equal(t, "expired_token", a.code())

	fresh := p.IssueToken(1)
	assert.Equal(t, 200, call(t, p, "imopenlines.session.mode.unpinAll", authed(fresh)).Status)
	p.ExpireTokens()
	assert.Equal(t, "expired_token", call(t, p, "imopenlines.session.mode.unpinAll", authed(fresh)).code())
}

func TestInsufficientScope(t *testing.T) {
	p := start(t, Config{Scopes: []string{"placement"}})
	tok := p.IssueToken(1)
	a := call(t, p, "imopenlines.session.mode.pinAll", authed(tok))
	assert.Equal(t, 403, a.Status)
	assert.Equal(t, "insufficient_scope", a.code())
	assert.False(t, pinnedOf(p)[1652])
	p.SetScopes("imopenlines")
	assert.Equal(t, 200, call(t, p, "imopenlines.session.mode.pinAll", authed(tok)).Status)
}

func TestWebhook(t *testing.T) {
	p := start(t, Config{})
	res, err := http.Get(p.WebhookURL(1) + "imopenlines.session.mode.pinAll.json")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode, string(body))
	assert.True(t, pinnedOf(p)[1652])
	assert.True(t, p.Requests()[0].Webhook)

	res, err = http.Get(p.PortalURL() + "/rest/1/wrongcode/imopenlines.session.mode.pinAll.json")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 401, res.StatusCode)

	// placement.bind needs an OAuth app.
	res, err = http.PostForm(p.WebhookURL(1)+"placement.bind", url.Values{"PLACEMENT": {"IM_NAVIGATION"}, "HANDLER": {"http://x/"}})
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 403, res.StatusCode)
}

// Over HTTP: the refusal's envelope and headers. The drain is so slow that
// a loaded machine cannot make room between the calls.
func TestLeakyBucket(t *testing.T) {
	p := start(t, Config{RateLimit: RateLimit{PerSecond: 0.001, Burst: 5}})
	tok := p.IssueToken(1)
	for i := 0; i < 5; i++ {
		require.Equal(t, 200, call(t, p, "server.time", authed(tok)).Status, i)
	}
	a := call(t, p, "server.time", authed(tok))
	assert.Equal(t, 503, a.Status)
	assert.Equal(t, "QUERY_LIMIT_EXCEEDED", a.code())
	assertCORS(t, a.Header)
}

// The drain, on a clock the test steps: 10/s for 250 ms makes room for 2.
func TestLeakyBucketDrains(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	b := newBuckets(10, 5, clock)
	const ip = "192.0.2.1"
	for i := 0; i < 5; i++ {
		require.True(t, b.take(ip), i)
	}
	assert.False(t, b.take(ip), "full")
	clock.step(250 * time.Millisecond) // drains 2.5
	assert.True(t, b.take(ip))
	assert.True(t, b.take(ip))
	assert.False(t, b.take(ip), "a refused call adds nothing, and half a slot is no slot")
	clock.step(time.Hour)
	for i := 0; i < 5; i++ {
		assert.True(t, b.take(ip), "empty after a long pause: %d", i)
	}
}

// One bucket per source address: another office has room when this one is
// full, and set empties them all.
func TestLeakyBucketPerSourceIP(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	b := newBuckets(2, 3, clock)
	for i := 0; i < 3; i++ {
		require.True(t, b.take("192.0.2.1"), i)
	}
	assert.False(t, b.take("192.0.2.1"), "the office is full")
	assert.True(t, b.take("198.51.100.7"), "another address has a bucket of its own")
	b.set(2, 3)
	assert.True(t, b.take("192.0.2.1"), "set empties every bucket")
}

func TestDefaultBucketIsTwoPerSecondBurstFifty(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	ok := 0
	for i := 0; i < 52; i++ {
		if call(t, p, "server.time", authed(tok)).Status == 200 {
			ok++
		}
	}
	assert.InDelta(t, 50, ok, 1)
}

func TestOperatingBudget(t *testing.T) {
	p, clock := startStepped(t, Config{OperatingBudget: time.Second, OperatingCost: 600 * time.Millisecond, OperatingWindow: 1500 * time.Millisecond})
	tok := p.IssueToken(1)
	a := call(t, p, "imopenlines.session.mode.pinAll", authed(tok))
	require.Equal(t, 200, a.Status)
	assert.InDelta(t, 0.6, a.Body["time"].(map[string]any)["operating"], 0.05)
	require.Equal(t, 200, call(t, p, "imopenlines.session.mode.pinAll", authed(tok)).Status)
	a = call(t, p, "imopenlines.session.mode.pinAll", authed(tok))
	assert.Equal(t, 429, a.Status)
	assert.Equal(t, "OPERATION_TIME_LIMIT", a.code())
	assert.NotZero(t, a.Body["operating_reset_at"])
	// Budgets are per method.
	assert.Equal(t, 200, call(t, p, "imopenlines.session.mode.unpinAll", authed(tok)).Status)
	clock.step(1600 * time.Millisecond) // the window passes
	assert.Equal(t, 200, call(t, p, "imopenlines.session.mode.pinAll", authed(tok)).Status)
}

func TestFaults(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	m := "imopenlines.session.mode.pinAll"

	require.NoError(t, p.InjectFault(Fault{Kind: FaultError, Code: "QUERY_LIMIT_EXCEEDED", Count: 2}))
	for i := 0; i < 2; i++ {
		a := call(t, p, m, authed(tok))
		assert.Equal(t, 503, a.Status)
		assert.Equal(t, "QUERY_LIMIT_EXCEEDED", a.code())
	}
	assert.False(t, pinnedOf(p)[1652], "an error fault does not run the method")

	require.NoError(t, p.InjectFault(Fault{Kind: FaultHTML502}))
	a := call(t, p, m, authed(tok))
	assert.Equal(t, 502, a.Status)
	assert.Contains(t, a.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, a.Raw, "502 Bad Gateway")

	require.NoError(t, p.InjectFault(Fault{Kind: FaultTruncated}))
	a = call(t, p, m, authed(tok))
	assert.Equal(t, 200, a.Status)
	assert.Nil(t, a.Body, "truncated JSON must not parse: %q", a.Raw)
	assert.True(t, strings.HasPrefix(a.Raw, `{"result":`))
	assert.True(t, pinnedOf(p)[1652], "the call ran; only its answer was cut")

	require.NoError(t, p.InjectFault(Fault{Kind: FaultWrongType}))
	a = call(t, p, m, authed(tok))
	assert.Contains(t, a.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, a.Body, "result")

	require.NoError(t, p.InjectFault(Fault{Kind: FaultHuge, HugeBytes: 1 << 20}))
	a = call(t, p, m, authed(tok))
	assert.GreaterOrEqual(t, len(a.Raw), 1<<20)
	assert.Contains(t, a.Body, "result")

	require.NoError(t, p.InjectFault(Fault{Kind: FaultDrop}))
	req, _ := http.NewRequest("POST", p.PortalURL()+"/rest/"+m, strings.NewReader(authed(tok).Encode()))
	_, err := http.DefaultTransport.RoundTrip(req)
	assert.Error(t, err, "a dropped connection gives no response")

	require.NoError(t, p.InjectFault(Fault{Kind: FaultLatency, Delay: 150 * time.Millisecond}))
	t0 := time.Now()
	assert.Equal(t, 200, call(t, p, m, authed(tok)).Status)
	assert.GreaterOrEqual(t, time.Since(t0), 150*time.Millisecond)

	// Method-scoped fault waits for its method.
	require.NoError(t, p.InjectFault(Fault{Kind: FaultError, Code: "expired_token", Method: "imopenlines.session.mode.unpinAll"}))
	assert.Equal(t, 200, call(t, p, m, authed(tok)).Status)
	a = call(t, p, "imopenlines.session.mode.unpinAll", authed(tok))
	assert.Equal(t, 401, a.Status)
	assert.Equal(t, "expired_token", a.code())

	assert.Error(t, p.InjectFault(Fault{Kind: "bogus"}))
	assert.Error(t, p.InjectFault(Fault{Kind: FaultError}))

	var kinds []FaultKind
	for _, r := range p.Requests() {
		if r.Fault != "" {
			kinds = append(kinds, r.Fault)
		}
	}
	assert.Contains(t, kinds, FaultHTML502)
	assert.Contains(t, kinds, FaultDrop)
}

func TestFaultsOverHTTP(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	res, err := http.Post(p.PortalURL()+"/devportal/api/faults", "application/json",
		strings.NewReader(`{"fault":{"kind":"error","code":"OVERLOAD_LIMIT"},"latency":"10ms"}`))
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	a := call(t, p, "server.time", authed(tok))
	assert.Equal(t, 503, a.Status)
	assert.Equal(t, "OVERLOAD_LIMIT", a.code())

	res, _ = http.Post(p.PortalURL()+"/devportal/api/faults", "application/json", strings.NewReader(`{"fault":{"kind":"nope"}}`))
	res.Body.Close()
	assert.Equal(t, 400, res.StatusCode)

	res, _ = http.Post(p.PortalURL()+"/devportal/api/faults", "application/json", strings.NewReader(`{"expire_tokens":true}`))
	res.Body.Close()
	assert.Equal(t, "expired_token", call(t, p, "server.time", authed(tok)).code())

	res, _ = http.Get(p.PortalURL() + "/devportal/api/requests")
	line, _ := bufio.NewReader(res.Body).ReadString('\n')
	res.Body.Close()
	assert.Contains(t, line, `"OVERLOAD_LIMIT"`)
	assert.NotContains(t, line, tok, "the log never holds a token")
}

// A request the client gave up on still counts as in flight until the portal
// has answered and logged it, so RESTInFlight 0 means the log is complete.
func TestRESTInFlightCoversAbortedRequests(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	m := "imopenlines.session.mode.pinAll"
	assert.Zero(t, p.RESTInFlight())

	require.NoError(t, p.InjectFault(Fault{Kind: FaultLatency, Delay: time.Second})) // outlasts the checks below
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", p.PortalURL()+"/rest/"+m+".json", strings.NewReader(authed(tok).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	gaveUp := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		gaveUp <- err
	}()
	require.Eventually(t, func() bool { return p.RESTInFlight() == 1 }, 5*time.Second, time.Millisecond, "the held request counts")
	cancel()
	require.Error(t, <-gaveUp, "the client aborts")
	assert.Empty(t, p.Requests(), "the aborted request is not logged yet")
	assert.Equal(t, 1, p.RESTInFlight(), "the portal still holds the aborted request")

	require.Eventually(t, func() bool { return p.RESTInFlight() == 0 }, 5*time.Second, time.Millisecond)
	recs := p.Requests()
	require.Len(t, recs, 1, "in flight 0: the aborted request is logged")
	assert.Equal(t, FaultLatency, recs[0].Fault)

	assert.Equal(t, 200, call(t, p, m, authed(tok)).Status)
	assert.Zero(t, p.RESTInFlight())
	assert.Len(t, p.Requests(), 2)
}

// The REST handler without a listener (NewREST), as the office simulation
// runs it: the operators of one address share its bucket whatever their
// tokens, every command of a batch counts, and another address is not
// refused.
func TestBucketSharedByAnOffice(t *testing.T) {
	p, h, err := NewREST(Config{RateLimit: RateLimit{PerSecond: 0.001, Burst: 3}})
	require.NoError(t, err)
	post := func(ip, method string, form url.Values) (int, string) {
		r := httptest.NewRequest("POST", "/rest/"+method+".json", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = ip + ":50000"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	alice, bob := p.IssueToken(1), p.IssueToken(2)
	status, _ := post("192.0.2.1", "server.time", authed(alice))
	require.Equal(t, 200, status)
	status, body := post("192.0.2.1", "batch", authed(bob, "cmd[a]", "server.time", "cmd[b]", "server.time", "cmd[c]", "server.time"))
	require.Equal(t, 200, status)
	assert.Contains(t, body, `"c":{"error":"QUERY_LIMIT_EXCEEDED"`, "the batch's third command is the office's fourth request")
	status, body = post("192.0.2.1", "server.time", authed(alice))
	assert.Equal(t, 503, status)
	assert.Contains(t, body, "QUERY_LIMIT_EXCEEDED")
	status, _ = post("198.51.100.7", "server.time", authed(alice))
	assert.Equal(t, 200, status, "another address, another bucket")
	assert.Len(t, p.Requests(), 4, "every request is logged")
}
