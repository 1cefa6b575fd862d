//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/l10n/catalog"
)

// The fault matrix: every error code Bitrix24 answers (docs/errors.md) and every
// transport fault, on the first call and on the call retried after a token
// refresh. For each the widget must land in a defined state with the words
// l10n gives that error, make a bounded number of requests (exact, per the
// client's policy), and work again on the next click.

// faultCase is one row of the matrix.
type faultCase struct {
	name   string
	faults []devportal.Fault // on pinAll, in the order the calls meet them
	want   error             // the error the widget should put into words; nil: it recovers (done)
	calls  int               // pinAll requests the click makes (before a refresh adds one)
	// maxCalls, when set, is the most the portal may see: Chromium resends a
	// request once by itself when a reused keep-alive socket closes with no
	// answer, so a dropped connection can cost the portal two requests per
	// fetch of the widget's.
	maxCalls int
	within   time.Duration // bound for the click to settle (0: waitTimeout)
}

// apiErr is the client's error for a portal error code on pinAll.
func apiErr(code string) error {
	if code == "OPERATION_TIME_LIMIT" {
		// The fault's reply carries no operating_reset_at: the client guesses
		// a minute, so the words say "1 minute".
		return &b24.OperationLimitError{APIError: &b24.APIError{Method: mPinAll, Code: code}, ResetAt: time.Now().Add(time.Minute), Estimated: true}
	}
	return &b24.APIError{Method: mPinAll, Code: code}
}

// englishFor is what the alert must say for err (English portal).
func englishFor(err error) string { return l10n.Explain(english, err).Message }

// english are an English portal's words, as its page hands them to the widget.
var english = wordsOf("en")

// wordsOf are the words of a portal's LANG (internal/l10n/catalog).
func wordsOf(lang string) l10n.Lang {
	l, _, err := catalog.For(lang)
	if err != nil {
		panic("e2e: the words of " + lang + ": " + err.Error())
	}
	return l
}

// factsCodes are the error codes of the facts' table (section 2).
var factsCodes = []string{
	"expired_token", "invalid_token", "NO_AUTH_FOUND", "insufficient_scope", "INVALID_CREDENTIALS",
	"ACCESS_DENIED", "user_access_error", "WRONG_AUTH_TYPE", "INVALID_REQUEST", "ERROR_METHOD_NOT_FOUND",
	"OPERATION_TIME_LIMIT", "QUERY_LIMIT_EXCEEDED", "OVERLOAD_LIMIT", "INTERNAL_SERVER_ERROR",
	"ERROR_UNEXPECTED_ANSWER", "PORTAL_DELETED", "PAYMENT_REQUIRED",
}

// firstCallCases: the fault hits the click's first pinAll.
func firstCallCases() []faultCase {
	f := func(k devportal.FaultKind, n int) []devportal.Fault {
		return []devportal.Fault{{Kind: k, Count: n, Method: mPinAll}}
	}
	var cs []faultCase
	for _, code := range factsCodes {
		c := faultCase{name: code, faults: []devportal.Fault{{Kind: devportal.FaultError, Code: code, Method: mPinAll}}, want: apiErr(code), calls: 1}
		switch code {
		case "expired_token", "invalid_token":
			c.want, c.calls = nil, 2 // refreshAuth, one retry with the new token: done
		case "QUERY_LIMIT_EXCEEDED":
			// Slow down: the click waits it out (3-4 s) and is done on the
			// second call. Two refusals, a wait of up to a minute, are
			// TestRateLimitRetried's.
			c.want, c.calls, c.within = nil, 2, 15*time.Second
		}
		cs = append(cs, c)
	}
	return append(cs,
		// Down for good (more drops than any retry can use): one retry, then words.
		faultCase{name: "network down", faults: f(devportal.FaultDrop, 10), want: &b24.NetworkError{}, calls: 2, maxCalls: 4},
		faultCase{name: "network blip", faults: f(devportal.FaultDrop, 1), calls: 2}, // the one network retry recovers
		faultCase{name: "html 502", faults: f(devportal.FaultHTML502, 1), want: &b24.BadReplyError{Kind: b24.ErrNotJSON}, calls: 1},
		faultCase{name: "truncated json", faults: f(devportal.FaultTruncated, 1), want: &b24.BadReplyError{Kind: b24.ErrTruncated}, calls: 1},
		faultCase{name: "huge body", faults: f(devportal.FaultHuge, 1), want: &b24.BadReplyError{Kind: b24.ErrTooLarge}, calls: 1},
		// A valid envelope served as text/html is still the answer: done.
		faultCase{name: "wrong content type", faults: f(devportal.FaultWrongType, 1), calls: 1},
		// Slow but inside the 30 s budget: one request, done.
		faultCase{name: "latency 1.5s", faults: []devportal.Fault{{Kind: devportal.FaultLatency, Delay: 1500 * time.Millisecond, Method: mPinAll}}, calls: 1},
	)
}

// afterRefresh moves a case behind a refresh: the token is expired, the
// first pinAll passes the (zero-delay) fault slot and gets the portal's real
// expired_token, the frame refreshes, and the case's faults hit the retry.
func afterRefresh(c faultCase) faultCase {
	c.name += " after refresh"
	c.faults = append([]devportal.Fault{{Kind: devportal.FaultLatency, Method: mPinAll}}, c.faults...)
	switch {
	case c.want == nil && (strings.HasPrefix(c.name, "expired_token") || strings.HasPrefix(c.name, "invalid_token")):
		// The retry is told again that the token is bad: no second refresh.
		c.want = &b24.TokenError{API: &b24.APIError{Method: mPinAll, Code: "expired_token"}, Err: fmt.Errorf("refreshed once")}
		c.calls = 1
	}
	c.calls++ // the expired call
	if c.maxCalls > 0 {
		c.maxCalls++
	}
	return c
}

// runFaultCases runs cases in one tab, one after another: inject, click, check
// the state, the words, the request count and the refreshes, then a clean
// click must succeed. It returns how many requests the cases made.
func runFaultCases(t *testing.T, cases []faultCase, expire bool) (requests int) {
	p, _, a := openReady(t, devportal.Config{RateLimit: devportal.RateLimit{PerSecond: 1000, Burst: 100000}}, "")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p.ClearFaults()
			for _, f := range c.faults {
				require.NoError(t, p.InjectFault(f))
			}
			if expire {
				p.ExpireTokens()
			}
			calls0, refresh0 := len(restCalls(p, mPinAll)), len(frameEvents(p, "refreshAuth"))
			within := c.within
			if within == 0 {
				within = waitTimeout
			}
			a.click("#pin-all")
			got := a.waitStateWithin(within, stateDone, stateError)
			d := a.dom()
			wantState, wantAlert := stateDone, ""
			if c.want != nil {
				wantState, wantAlert = stateError, englishFor(c.want)
			}
			assert.Equal(t, wantState, got, "page: %+v", d)
			assert.Equal(t, wantAlert, d.Alert)
			assert.True(t, d.PinEnabled && d.UnpinEnabled, "the buttons must work after %s: %+v", c.name, d)
			// The state is settled, so the client call has returned and starts
			// no request; one the portal still holds (an aborted delay) is logged
			// when its handler ends. In flight 0: the log is complete.
			eventually(t, 5*time.Second, "the portal to answer every request", func() bool { return p.RESTInFlight() == 0 })
			made := len(restCalls(p, mPinAll)) - calls0
			assert.GreaterOrEqual(t, made, c.calls, "pinAll requests")
			assert.LessOrEqual(t, made, max(c.calls, c.maxCalls), "pinAll requests")
			wantRefresh := 0
			if expire || c.name == "expired_token" || c.name == "invalid_token" {
				wantRefresh = 1
			}
			assert.Equal(t, wantRefresh, len(frameEvents(p, "refreshAuth"))-refresh0, "refreshAuth calls")

			// The buttons work again: the next click succeeds and clears the alert.
			p.ClearFaults()
			a.click("#pin-all")
			require.Equal(t, stateDone, a.waitState(stateDone, stateError), "the click after %s: %+v", c.name, a.dom())
			assert.Empty(t, a.dom().Alert)
			requests += len(restCalls(p, mPinAll)) - calls0
			t.Logf("%s: %s, %d pinAll requests, alert %q", c.name, got, made, d.Alert)
		})
	}
	return requests
}

func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	var first, slow []faultCase
	for _, c := range firstCallCases() {
		if c.within > 0 {
			slow = append(slow, c) // the rate limit: its own tab, in parallel
		} else {
			first = append(first, c)
		}
	}
	var refreshed, slowRefreshed []faultCase
	for _, c := range first {
		refreshed = append(refreshed, afterRefresh(c))
	}
	for _, c := range slow {
		slowRefreshed = append(slowRefreshed, afterRefresh(c))
	}
	groups := []struct {
		name   string
		cases  []faultCase
		expire bool
	}{
		{"first call", first, false},
		{"after refresh", refreshed, true},
		{"rate limit first call", slow, false},
		{"rate limit after refresh", slowRefreshed, true},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			n := runFaultCases(t, g.cases, g.expire)
			t.Logf("fault matrix %q: %d faults tried, %d pinAll requests (recovery clicks included)", g.name, len(g.cases), n)
		})
	}
}

// The client's 30 s budget, on the first call and after a refresh: the
// portal answers after 31 s, the widget gives up at 30 s with the timeout's
// words (no second request: a timeout is not retried), and the next click
// works. No test knob: the real budget, run in parallel with the rest.
func TestFaultTimeout(t *testing.T) {
	t.Parallel()
	const delay = 31 * time.Second
	timeoutErr := fmt.Errorf("b24: %w", context.DeadlineExceeded)
	for _, expire := range []bool{false, true} {
		name := "first call"
		if expire {
			name = "after refresh"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, _, a := openReady(t, devportal.Config{}, "")
			if expire {
				require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultLatency, Method: mPinAll}))
				p.ExpireTokens()
			}
			require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultLatency, Delay: delay, Method: mPinAll}))
			start := time.Now()
			a.click("#pin-all")
			require.Equal(t, stateError, a.waitStateWithin(40*time.Second, stateDone, stateError), "page: %+v", a.dom())
			took := time.Since(start)
			assert.InDelta(t, 30, took.Seconds(), 2.5, "the widget gives up at its 30 s budget")
			d := a.dom()
			assert.Equal(t, englishFor(timeoutErr), d.Alert)
			assert.True(t, d.PinEnabled && d.UnpinEnabled)
			want := 1
			if expire {
				want = 2
			}
			// The aborted request is logged when the portal answers it (at 31 s);
			// in flight 0: every request that reached the portal is logged.
			eventually(t, 5*time.Second, "the portal to answer the slow request", func() bool { return p.RESTInFlight() == 0 })
			assert.Len(t, restCalls(p, mPinAll), want, "a timeout is not retried")
			a.click("#pin-all")
			require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
			assert.Empty(t, a.dom().Alert)
			t.Logf("timeout %s: error after %v", name, took.Round(time.Millisecond))
		})
	}
}

// Idle expiry: the operator opens the widget and clicks after the token has
// expired (a 2 s TTL standing in for the hour): the click succeeds through
// one refreshAuth and one retry, with no error on the way.
func TestIdleExpiry(t *testing.T) {
	t.Parallel()
	const ttl = 2 * time.Second
	p, _, a := openReady(t, devportal.Config{TokenTTL: ttl}, "")
	before := p.Sessions()
	// The scenario is the wait itself: an operator idle past the token's
	// life. The portal says when that is: a token issued after the widget's
	// expires after it, so once the portal refuses this one as expired, the
	// widget's has expired too.
	probe := p.IssueToken(operator)
	eventually(t, ttl+waitTimeout, "the portal to refuse a token as expired", func() bool {
		return tokenExpired(t, p, probe)
	})
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Empty(t, a.dom().Alert)
	assert.NotContains(t, a.clickStates(), stateError, "no error flash during the refresh")
	assertOnlyChanged(t, before, p.Sessions(), pinnable(before, operator), true)
	calls := restCalls(p, mPinAll)
	require.Len(t, calls, 2, "the expired call and one retry")
	assert.Equal(t, "expired_token", calls[0].Error)
	assert.Equal(t, 200, calls[1].Status)
	assert.Len(t, frameEvents(p, "refreshAuth"), 1)
}

// tokenExpired asks the portal (server.time, which reads nothing) whether it
// refuses tok as expired.
func tokenExpired(t *testing.T, p *devportal.Portal, tok string) bool {
	t.Helper()
	resp, err := http.PostForm(p.PortalURL()+"/rest/server.time", url.Values{"auth": {tok}})
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return body.Error == "expired_token"
}
