//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every row of the facts' error table, and the method errors: which typed
// error, and how many requests the client makes before giving up.
func TestErrorTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		code     string
		sentinel *APIError
		requests int32
	}{
		{401, "expired_token", ErrExpiredToken, 1}, // webhook mode: nothing to refresh
		{401, "invalid_token", ErrInvalidToken, 1},
		{401, "NO_AUTH_FOUND", ErrNoAuth, 1},
		{403, "insufficient_scope", ErrInsufficientScope, 1},
		{401, "insufficient_scope", ErrInsufficientScope, 1},
		{403, "INVALID_CREDENTIALS", ErrInvalidCredentials, 1},
		{403, "ACCESS_DENIED", ErrAccessDenied, 1},
		{403, "user_access_error", ErrUserAccess, 1},
		{403, "WRONG_AUTH_TYPE", ErrWrongAuthType, 1},
		{400, "INVALID_REQUEST", ErrInvalidRequest, 1},
		{404, "ERROR_METHOD_NOT_FOUND", ErrMethodNotFound, 1},
		{429, "OPERATION_TIME_LIMIT", ErrOperationTimeLimit, 1},
		{503, "QUERY_LIMIT_EXCEEDED", ErrQueryLimit, 4}, // 3 retries
		{503, "OVERLOAD_LIMIT", ErrOverload, 1},
		{500, "INTERNAL_SERVER_ERROR", ErrInternal, 1},
		{500, "ERROR_UNEXPECTED_ANSWER", ErrUnexpectedAnswer, 1},
		{500, "PORTAL_DELETED", ErrPortalDeleted, 1},
		{403, "PORTAL_DELETED", ErrPortalDeleted, 1},
		{402, "PAYMENT_REQUIRED", ErrPaymentRequired, 1},
		{200, "PAYMENT_REQUIRED", ErrPaymentRequired, 1}, // status unconfirmed: the code decides
		{400, "CHAT_ID_EMPTY", &APIError{Code: "CHAT_ID_EMPTY"}, 1},
		{400, "CHAT_ID", &APIError{Code: "CHAT_ID"}, 1},
		{400, "CHAT_TYPE", &APIError{Code: "CHAT_TYPE"}, 1},
		{400, "USER_ID", &APIError{Code: "USER_ID"}, 1},
		{400, "DIALOG_ID_EMPTY", &APIError{Code: "DIALOG_ID_EMPTY"}, 1},
		{400, "ACCESS_ERROR", ErrAccessError, 1},
		{400, "ERROR_BATCH_LENGTH_EXCEEDED", &APIError{Code: "ERROR_BATCH_LENGTH_EXCEEDED"}, 1},
		{418, "SOMETHING_NEW", &APIError{Code: "SOMETHING_NEW"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			env := setup(t, WithTokenSource(nil))
			n := env.handle(MethodPinAll, reply(tt.status, errBody(tt.code, "the description")))

			ids, err := env.client.PinAll(context.Background())

			require.Error(t, err)
			assert.Nil(t, ids.List)
			assert.Equal(t, tt.requests, n.Load(), "requests")
			assert.ErrorIs(t, err, tt.sentinel)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.Status)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, "the description", apiErr.Description)
			assert.Equal(t, MethodPinAll, apiErr.Method)
			assert.Contains(t, err.Error(), tt.code)
			assert.Contains(t, err.Error(), MethodPinAll)
			// Matching is by code: no other sentinel matches.
			for _, other := range []*APIError{ErrExpiredToken, ErrQueryLimit, ErrOverload, ErrAccessDenied, {Code: "CHAT_ID"}} {
				if other.Code != tt.sentinel.Code {
					assert.NotErrorIs(t, err, other)
				}
			}
			var opErr *OperationLimitError
			assert.Equal(t, tt.code == "OPERATION_TIME_LIMIT", errors.As(err, &opErr))
		})
	}
}

func TestAPIErrorIsIgnoresCase(t *testing.T) {
	t.Parallel()
	err := &APIError{Code: "INSUFFICIENT_SCOPE"}
	assert.ErrorIs(t, err, ErrInsufficientScope)
	assert.NotErrorIs(t, &APIError{}, &APIError{}, "an empty code matches nothing")
}

func TestOperationLimitCarriesResetAt(t *testing.T) {
	t.Parallel()
	reset := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	secs := "1893553445" // reset, as Unix seconds
	tests := []struct {
		name      string
		body      string
		want      time.Time
		estimated bool
	}{
		{"under time", `{"error":"OPERATION_TIME_LIMIT","error_description":"x","time":{"operating":481.2,"operating_reset_at":` + secs + `}}`, reset, false},
		{"top level", `{"error":"OPERATION_TIME_LIMIT","operating_reset_at":` + secs + `.5}`, reset.Add(500 * time.Millisecond), false},
		{"as a string", `{"error":"OPERATION_TIME_LIMIT","time":{"operating_reset_at":"` + secs + `"}}`, reset, false},
		{"missing", `{"error":"OPERATION_TIME_LIMIT"}`, time.Time{}, true},
		{"absurd", `{"error":"OPERATION_TIME_LIMIT","time":{"operating_reset_at":-5}}`, time.Time{}, true},
		{"in 2001, the floor", `{"error":"OPERATION_TIME_LIMIT","operating_reset_at":1e9}`, time.Time{}, true},
		{"in 2286, the ceiling", `{"error":"OPERATION_TIME_LIMIT","operating_reset_at":"10000000000"}`, time.Time{}, true},
		{"exponent and fraction", `{"error":"OPERATION_TIME_LIMIT","operating_reset_at":1.8935534450125E9}`, reset.Add(12500 * time.Microsecond), false},
		{"a string with a fraction", `{"error":"OPERATION_TIME_LIMIT","operating_reset_at":"` + secs + `.000000001"}`, reset.Add(time.Nanosecond), false},
		{"a second after the floor", `{"error":"OPERATION_TIME_LIMIT","operating_reset_at":1000000001}`, time.Unix(1000000001, 0), false},
		{"a second before the ceiling", `{"error":"OPERATION_TIME_LIMIT","operating_reset_at":9999999999}`, time.Unix(9999999999, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := setup(t)
			n := env.handle(MethodUnpinAll, reply(429, tt.body))
			before := env.clock.Now()

			_, err := env.client.UnpinAll(context.Background())

			assert.Equal(t, int32(1), n.Load(), "OPERATION_TIME_LIMIT is not retried")
			assert.Empty(t, env.clock.Sleeps())
			var opErr *OperationLimitError
			require.ErrorAs(t, err, &opErr)
			assert.ErrorIs(t, err, ErrOperationTimeLimit)
			assert.Equal(t, 429, opErr.Status)
			assert.Equal(t, tt.estimated, opErr.Estimated)
			if tt.estimated {
				assert.WithinDuration(t, before.Add(time.Minute), opErr.ResetAt, 5*time.Second)
				assert.Contains(t, err.Error(), "estimated")
			} else {
				assert.True(t, tt.want.Equal(opErr.ResetAt), "ResetAt %v, want %v", opErr.ResetAt, tt.want)
				assert.Contains(t, err.Error(), "resets at unix "+strconv.FormatInt(tt.want.Unix(), 10))
			}
		})
	}
}

func TestRateLimitRetriesThreeTimesWithBackoff(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodPinAll, reply(503, errBody("QUERY_LIMIT_EXCEEDED", "Too many requests")))

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, ErrQueryLimit)
	assert.Equal(t, int32(4), n.Load())
	assert.Equal(t, []time.Duration{time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond}, env.clock.Sleeps())
}

func TestRateLimitThenSuccess(t *testing.T) {
	t.Parallel()
	env := setup(t)
	var calls atomic.Int32
	n := env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 503, errBody("QUERY_LIMIT_EXCEEDED", ""))
			return
		}
		writeJSON(w, 200, `{"result":[1652,1653]}`)
	})

	ids, err := env.client.PinAll(context.Background())

	require.NoError(t, err)
	assert.Equal(t, []int64{1652, 1653}, ids.List)
	assert.Equal(t, int32(2), n.Load())
	assert.Len(t, env.clock.Sleeps(), 1)
}

func TestBackoffJitter(t *testing.T) {
	t.Parallel()
	p := defaultRetryPolicy
	assert.Equal(t, 900*time.Millisecond, p.backoff(0, 0))
	assert.Equal(t, time.Second, p.backoff(0, 0.5))
	assert.InDelta(t, float64(1100*time.Millisecond), float64(p.backoff(0, 0.999999)), float64(time.Millisecond))
	assert.Equal(t, 2250*time.Millisecond, p.backoff(2, 0.5))
	assert.Equal(t, 2025*time.Millisecond, p.backoff(2, 0))
}

func TestRetryPolicyOption(t *testing.T) {
	t.Parallel()
	env := setup(t, WithRetryPolicy(RetryPolicy{MaxRetries: 1, BaseDelay: 10 * time.Millisecond, Multiplier: 2, Jitter: -1}))
	n := env.handle(MethodPinAll, reply(503, errBody("QUERY_LIMIT_EXCEEDED", "")))

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, ErrQueryLimit)
	assert.Equal(t, int32(2), n.Load())
	assert.Equal(t, []time.Duration{10 * time.Millisecond}, env.clock.Sleeps())
}

// What a RetryPolicy says is what a call waits: its zero fields keep the
// defaults (1 s, x1.5, 3 retries, jitter 10%; one network retry after
// 250 ms), its other fields replace them.
func TestRetryPolicyWaits(t *testing.T) {
	t.Parallel()
	const ms = time.Millisecond
	low := withRand(func() float64 { return 0 }) // the jitter's low end: -10% by default
	for _, tt := range []struct {
		name    string
		policy  RetryPolicy
		limited []time.Duration // the waits between a call's 503 QUERY_LIMIT_EXCEEDED replies
		offline []time.Duration // the waits between its attempts that got no response
	}{
		{"zero fields", RetryPolicy{}, []time.Duration{900 * ms, 1350 * ms, 2025 * ms}, []time.Duration{250 * ms}},
		{"every field", RetryPolicy{MaxRetries: 2, BaseDelay: 2 * time.Second, Multiplier: 3, Jitter: -1, NetworkRetries: 2, NetworkDelay: time.Second},
			[]time.Duration{2 * time.Second, 6 * time.Second}, []time.Duration{time.Second, time.Second}},
		{"no retries", RetryPolicy{MaxRetries: -1, NetworkRetries: -1}, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := setup(t, WithRetryPolicy(tt.policy), low)
			n := env.handle(MethodPinAll, reply(503, errBody("QUERY_LIMIT_EXCEEDED", "")))

			_, err := env.client.PinAll(context.Background())

			assert.ErrorIs(t, err, ErrQueryLimit)
			assert.Equal(t, int32(len(tt.limited)+1), n.Load(), "requests")
			assert.Equal(t, tt.limited, env.clock.Sleeps())

			var calls atomic.Int32
			offline := transportFunc(func(context.Context, *Request) (*Response, error) {
				calls.Add(1)
				return nil, errors.New("offline")
			})
			env = setup(t, WithTransport(offline), WithRetryPolicy(tt.policy), low)

			_, err = env.client.PinAll(context.Background())

			assert.ErrorIs(t, err, ErrNetwork)
			assert.Equal(t, int32(len(tt.offline)+1), calls.Load(), "attempts")
			assert.Equal(t, tt.offline, env.clock.Sleeps())
		})
	}
}

func TestNoRetryForOtherErrors(t *testing.T) {
	t.Parallel()
	for _, body := range []string{errBody("OVERLOAD_LIMIT", ""), errBody("INTERNAL_SERVER_ERROR", ""), "<html>502</html>"} {
		env := setup(t)
		n := env.handle(MethodPinAll, reply(503, body))
		_, err := env.client.PinAll(context.Background())
		require.Error(t, err)
		assert.Equal(t, int32(1), n.Load(), body)
		assert.Empty(t, env.clock.Sleeps())
	}
}

// The rate-limit backoff never sleeps past the deadline: when the next wait
// would, the call returns the rate-limit error at once.
func TestRateLimitBackoffStaysInsideDeadline(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodPinAll, reply(503, errBody("QUERY_LIMIT_EXCEEDED", "")))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()

	_, err := env.client.PinAll(ctx)

	assert.ErrorIs(t, err, ErrQueryLimit)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	// 1 s + 1.5 s fit in 3 s; the next 2.25 s would not.
	assert.Equal(t, []time.Duration{time.Second, 1500 * time.Millisecond}, env.clock.Sleeps())
	assert.Equal(t, int32(3), n.Load())
}

func TestClientTimeoutBoundsRetries(t *testing.T) {
	t.Parallel()
	env := setup(t, WithTimeout(2*time.Second))
	n := env.handle(MethodPinAll, reply(503, errBody("QUERY_LIMIT_EXCEEDED", "")))

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, ErrQueryLimit)
	assert.Equal(t, int32(2), n.Load(), "1 s fits in the 2 s timeout, 1.5 s more does not")
}

func TestCancelWhileBackingOffReturnsPromptly(t *testing.T) {
	t.Parallel()
	// The real sleep this time, with a backoff long enough to notice.
	env := setup(t, withClock(clock.Real), WithRetryPolicy(RetryPolicy{BaseDelay: 10 * time.Second}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, errBody("QUERY_LIMIT_EXCEEDED", ""))
		time.AfterFunc(20*time.Millisecond, cancel)
	})
	start := time.Now()

	_, err := env.client.PinAll(ctx)

	assert.Less(t, time.Since(start), 2*time.Second)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "QUERY_LIMIT_EXCEEDED", "the text says what was being retried")
	assert.NotErrorIs(t, err, ErrQueryLimit, "a cancelled call is a cancelled call")
}

func TestTimeoutDuringSlowReply(t *testing.T) {
	t.Parallel()
	env := setup(t, WithTimeout(50*time.Millisecond))
	env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		form(t, r) // the server notices a gone client only once the body is read
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	start := time.Now()

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrNetwork, "the deadline wins over the transport's error")
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodPinAll, reply(200, `{"result":[]}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := env.client.PinAll(ctx)

	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(0), n.Load())
}

func TestNetworkFailureRetriedOnce(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	tr := transportFunc(func(ctx context.Context, req *Request) (*Response, error) {
		calls.Add(1)
		return nil, errors.New("connection reset")
	})
	env := setup(t, WithTransport(tr))

	_, err := env.client.PinAll(context.Background())

	assert.Equal(t, int32(2), calls.Load())
	assert.ErrorIs(t, err, ErrNetwork)
	var netErr *NetworkError
	require.ErrorAs(t, err, &netErr)
	assert.Equal(t, env.server.URL+"/rest/"+MethodPinAll+".json", netErr.URL)
	assert.EqualError(t, err, "b24: "+MethodPinAll+": network error calling "+netErr.URL+": connection reset",
		"the text names the method, the address and the cause")
	assert.Equal(t, []time.Duration{250 * time.Millisecond}, env.clock.Sleeps())
}

func TestNetworkFailureThenSuccess(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	tr := transportFunc(func(ctx context.Context, req *Request) (*Response, error) {
		if calls.Add(1) == 1 {
			return nil, errors.New("offline")
		}
		return &Response{Status: 200, ContentType: "application/json", Body: []byte(`{"result":[7]}`)}, nil
	})
	env := setup(t, WithTransport(tr))

	ids, err := env.client.PinAll(context.Background())

	require.NoError(t, err)
	assert.Equal(t, []int64{7}, ids.List)
}

func TestNetworkErrorFromClosedServer(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.server.Close()

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, ErrNetwork)
	assertNoSecret(t, err, "tok-1")
}

// --- token refresh ---

func TestExpiredTokenRefreshedAndRetried(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"expired_token", "invalid_token"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			env := setup(t)
			var auths []string
			var mu sync.Mutex
			n := env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
				auth := testRequest(t, r).Get("auth")
				mu.Lock()
				auths = append(auths, auth)
				mu.Unlock()
				if auth == "tok-1" {
					writeJSON(w, 401, errBody(code, "The access token provided has expired."))
					return
				}
				writeJSON(w, 200, `{"result":[5]}`)
			})

			ids, err := env.client.PinAll(context.Background())

			require.NoError(t, err)
			assert.Equal(t, []int64{5}, ids.List)
			assert.Equal(t, int32(2), n.Load())
			assert.Equal(t, []string{"tok-1", "tok-2"}, auths)
			assert.Equal(t, 1, env.tokens.count())
		})
	}
}

func TestExpiredTwiceGivesUp(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodPinAll, reply(401, errBody("expired_token", "")))

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, ErrExpiredToken)
	assert.Equal(t, int32(2), n.Load())
	assert.Equal(t, 1, env.tokens.count())
}

func TestRefreshFailure(t *testing.T) {
	t.Parallel()
	env := setup(t)
	cause := errors.New("the portal did not answer refreshAuth")
	env.tokens.refreshFn = func(context.Context, Token) (Token, error) { return Token{}, cause }
	n := env.handle(MethodPinAll, reply(401, errBody("expired_token", "")))

	_, err := env.client.PinAll(context.Background())

	assert.Equal(t, int32(1), n.Load())
	assert.ErrorIs(t, err, errRefreshFailed)
	assert.ErrorIs(t, err, ErrExpiredToken)
	assert.ErrorIs(t, err, cause)
	assert.EqualError(t, err, "b24: "+MethodPinAll+": the portal said expired_token and the token refresh failed: "+cause.Error())
}

func TestRefreshReturningEmptyTokenFails(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.tokens.refreshFn = func(context.Context, Token) (Token, error) { return Token{}, nil }
	n := env.handle(MethodPinAll, reply(401, errBody("expired_token", "")))

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, errRefreshFailed)
	assert.Equal(t, int32(1), n.Load())
}

func TestRefreshPanicIsAnError(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.tokens.refreshFn = func(context.Context, Token) (Token, error) { panic("boom") }
	env.handle(MethodPinAll, reply(401, errBody("expired_token", "")))

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, errRefreshFailed)
}

func TestHangingRefreshEndsWithTheContext(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.tokens.gate = make(chan struct{}) // never opened
	env.handle(MethodPinAll, reply(401, errBody("expired_token", "")))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	_, err := env.client.PinAll(ctx)

	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// A client without a deadline of its own still bounds a refresh, by the
// default timeout; a client with one bounds it by that.
func TestRefreshIsBoundedWithoutACallDeadline(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		timeout, want time.Duration
	}{{0, DefaultTimeout}, {-time.Second, DefaultTimeout}, {5 * time.Second, 5 * time.Second}} {
		env := setup(t, WithTimeout(tt.timeout))
		var left time.Duration
		env.tokens.refreshFn = func(ctx context.Context, _ Token) (Token, error) {
			dl, ok := ctx.Deadline()
			if !ok {
				return Token{}, errors.New("a refresh without a deadline")
			}
			left = time.Until(dl)
			if err := ctx.Err(); err != nil {
				return Token{}, err
			}
			return Token{AccessToken: "tok-2"}, nil
		}
		var n atomic.Int32
		env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				writeJSON(w, 401, errBody("expired_token", ""))
				return
			}
			writeJSON(w, 200, `{"result":[]}`)
		})

		_, err := env.client.PinAll(context.Background())

		require.NoError(t, err, tt.timeout)
		assert.InDelta(t, tt.want.Seconds(), left.Seconds(), 2, tt.timeout)
	}
}

// Two calls fail with the same expired token at the same time: one refresh.
func TestConcurrentRefreshesMerge(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.tokens.gate = make(chan struct{})
	var stale atomic.Int32
	n := env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		if form(t, r).Get("auth") == "tok-1" {
			writeJSON(w, 401, errBody("expired_token", ""))
			if stale.Add(1) == 2 {
				// Both calls have seen the expiry: let the refresh finish.
				time.AfterFunc(20*time.Millisecond, func() { close(env.tokens.gate) })
			}
			return
		}
		writeJSON(w, 200, `{"result":[1]}`)
	})

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { _, errs[i] = env.client.PinAll(context.Background()) })
	}
	wg.Wait()

	assert.NoError(t, errs[0])
	assert.NoError(t, errs[1])
	assert.Equal(t, 1, env.tokens.count())
	assert.Equal(t, int32(4), n.Load())
}

// A call that failed with a token older than the last refreshed one reuses
// the fresh token instead of refreshing again.
func TestStaleCallReusesRefreshedToken(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.tokens.lagging = true
	n := env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		if form(t, r).Get("auth") == "tok-1" {
			writeJSON(w, 401, errBody("expired_token", ""))
			return
		}
		writeJSON(w, 200, `{"result":[]}`)
	})

	_, err1 := env.client.PinAll(context.Background())
	_, err2 := env.client.PinAll(context.Background())

	assert.NoError(t, err1)
	assert.NoError(t, err2)
	assert.Equal(t, 1, env.tokens.count())
	assert.Equal(t, int32(4), n.Load())
}

func TestNoTokenSendsNothing(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.tokens.tokenErr = errors.New("not inside Bitrix24")
	n := env.handle(MethodPinAll, reply(200, `{"result":[]}`))

	_, err := env.client.PinAll(context.Background())

	assert.ErrorIs(t, err, errNoToken)
	assert.NotErrorIs(t, err, errRefreshFailed)
	assert.Contains(t, err.Error(), "not inside Bitrix24")
	assert.Equal(t, int32(0), n.Load())
}

func TestWebhookModeSendsNoAuth(t *testing.T) {
	t.Parallel()
	env := setup(t, WithTokenSource(nil))
	env.handle(MethodPin, func(w http.ResponseWriter, r *http.Request) {
		testFormValues(t, r, map[string][]string{"CHAT_ID": {"12"}, "ACTIVATE": {"Y"}})
		writeJSON(w, 200, `{"result":true}`)
	})

	require.NoError(t, env.client.Pin(context.Background(), 12, true))
}

// --- redaction ---

const secretToken = "SECRET-token/with+chars=1"

func TestTokenOnlyInTheBody(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.tokens.tok = secretToken
	env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
		assert.NotContains(t, r.URL.String(), "SECRET")
		assert.NotContains(t, r.RequestURI, "SECRET")
		assert.Equal(t, "/"+MethodPinAll+".json", r.URL.Path)
		testFormValues(t, r, map[string][]string{"auth": {secretToken}})
		writeJSON(w, 200, `{"result":[]}`)
	})

	ids, err := env.client.PinAll(context.Background())

	require.NoError(t, err)
	assert.Equal(t, []int64{}, ids.List)
}

func TestTokenNeverInErrorStrings(t *testing.T) {
	t.Parallel()
	escaped := queryEscape(secretToken)
	replies := map[string]http.HandlerFunc{
		"echoed in description": reply(400, errBody("INVALID_REQUEST", "bad token "+secretToken+" and "+escaped)),
		"echoed in HTML": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			body := form(t, r).Encode()
			w.Write([]byte("<p>" + secretToken + " " + body + "</p>"))
		},
		"echoed as error code": reply(400, errBody(secretToken, "")),
		"expired twice":        reply(401, errBody("expired_token", secretToken)),
		"rate limited":         reply(503, errBody("QUERY_LIMIT_EXCEEDED", secretToken)),
		"operation limit":      reply(429, errBody("OPERATION_TIME_LIMIT", secretToken)),
	}
	for name, h := range replies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := setup(t)
			env.tokens.tok = secretToken
			env.tokens.refreshFn = func(context.Context, Token) (Token, error) { return Token{AccessToken: secretToken + "-2"}, nil }
			env.handle(MethodPinAll, h)
			_, err := env.client.PinAll(context.Background())
			assertNoSecret(t, err, secretToken, escaped, "SECRET")
		})
	}
}

func TestTokenNotInNetworkOrRefreshErrors(t *testing.T) {
	t.Parallel()
	t.Run("network", func(t *testing.T) {
		t.Parallel()
		tr := transportFunc(func(ctx context.Context, req *Request) (*Response, error) {
			return nil, errors.New(`Post "` + req.URL + `?` + req.Body + `": refused`)
		})
		env := setup(t, WithTransport(tr))
		env.tokens.tok = secretToken
		_, err := env.client.PinAll(context.Background())
		assert.ErrorIs(t, err, ErrNetwork)
		assertNoSecret(t, err, secretToken, queryEscape(secretToken), "SECRET")
		assert.Contains(t, err.Error(), "auth=REDACTED")
	})
	t.Run("refresh", func(t *testing.T) {
		t.Parallel()
		env := setup(t)
		env.tokens.tok = secretToken
		env.tokens.refreshFn = func(_ context.Context, stale Token) (Token, error) {
			return Token{}, errors.New("could not refresh " + stale.AccessToken)
		}
		env.handle(MethodPinAll, reply(401, errBody("expired_token", "")))
		_, err := env.client.PinAll(context.Background())
		assert.ErrorIs(t, err, errRefreshFailed)
		assertNoSecret(t, err, secretToken)
	})
}

func TestWebhookCodeRedacted(t *testing.T) {
	t.Parallel()
	tr := transportFunc(func(ctx context.Context, req *Request) (*Response, error) {
		return nil, errors.New(`Post "` + req.URL + `": dial tcp: refused`)
	})
	c, err := New("https://portal.example/rest/1/s3cr3tc0de", WithTransport(tr), withClock(newFakeClock()))
	require.NoError(t, err)
	assert.Equal(t, "https://portal.example/rest/1/REDACTED", c.ep.safe)

	_, err = c.PinAll(context.Background())

	assertNoSecret(t, err, "s3cr3tc0de")
	var netErr *NetworkError
	require.ErrorAs(t, err, &netErr)
	assert.Equal(t, "https://portal.example/rest/1/REDACTED/"+MethodPinAll+".json", netErr.URL)
}

// --- options and construction ---

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c, err := New("https://Portal.Example")
	require.NoError(t, err)
	assert.Equal(t, "https://portal.example/rest", c.ep.safe)
	assert.Equal(t, DefaultTimeout, c.timeout)
	assert.Equal(t, DefaultMaxBody, c.maxBody)
	assert.IsType(t, &HTTPTransport{}, c.transport)
	assert.Nil(t, c.tokens)
}

func TestCallRefusesBadMethodNames(t *testing.T) {
	t.Parallel()
	env := setup(t)
	for _, m := range []string{"", "../admin", "a?b", "a/b", "a b", ".x", "pin#x", "a`", "a{", "a@", "a[", "a:", "a-b",
		strings.Repeat("m", 101)} {
		_, err := env.client.Call(context.Background(), m, nil)
		var pe *ParamError
		assert.ErrorAs(t, err, &pe, "%q", m)
	}
	// Any letters, digits, dots and underscores, up to 100 of them, are sent.
	for _, m := range []string{"azAZ09._", "z", "A", "Z", "0", "9", "x.", strings.Repeat("m", 100)} {
		n := env.handle(m, reply(200, `{"result":true}`))
		_, err := env.client.Call(context.Background(), m, nil)
		require.NoError(t, err, m)
		assert.Equal(t, int32(1), n.Load(), m)
	}
}

func TestCallSendsParamsAfterAuth(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.handle("im.dialog.messages.get", func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 200)
		k, _ := r.Body.Read(b)
		assert.True(t, strings.HasPrefix(string(b[:k]), "auth=tok-1&DIALOG_ID=chat5"), string(b[:k]))
		writeJSON(w, 200, `{"result":{"messages":[]},"time":{"start":1}}`)
	})

	v, err := env.client.Call(context.Background(), "im.dialog.messages.get", Params{}.Add("DIALOG_ID", "chat5").addInt("LIMIT", 20))

	require.NoError(t, err)
	assert.Equal(t, `{"messages":[]}`, encode(v))
}
