package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leakyDescription is what a careless server might echo back: the code,
// raw and inside the URL. None of it may reach the terminal.
const leakyDescription = "webhook " + hookCode + " at /rest/1/" + hookCode + "/ refused"

func TestPortalErrorsExitPerClass(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault    devportal.Fault
		exit     int
		advice   string // the words that say what to do
		requests int    // how many calls reached the portal (retries included)
	}{
		{devportal.Fault{Code: "insufficient_scope"}, exitAuth, "lacks the imopenlines (Open Lines) scope", 1},
		{devportal.Fault{Code: "NO_AUTH_FOUND"}, exitAuth, "copy its URL again", 1},
		{devportal.Fault{Code: "INVALID_CREDENTIALS"}, exitAuth, "create a new webhook", 1},
		{devportal.Fault{Code: "ACCESS_DENIED"}, exitAuth, "administrator", 1},
		{devportal.Fault{Code: "user_access_error"}, exitAuth, "certain users", 1},
		{devportal.Fault{Code: "WRONG_AUTH_TYPE"}, exitAuth, "webhook authorization", 1},
		{devportal.Fault{Code: "expired_token"}, exitAuth, "expired or invalid", 1},
		{devportal.Fault{Code: "invalid_token"}, exitAuth, "expired or invalid", 1},
		{devportal.Fault{Code: "QUERY_LIMIT_EXCEEDED", Count: 10}, exitLimit, "rate limit", 4},
		{devportal.Fault{Code: "OPERATION_TIME_LIMIT"}, exitLimit, "try again after", 1},
		{devportal.Fault{Code: "OVERLOAD_LIMIT"}, exitLimit, "Contact Bitrix24 support", 1},
		{devportal.Fault{Code: "INTERNAL_SERVER_ERROR"}, exitPortal, "internal error", 1},
		{devportal.Fault{Code: "ERROR_METHOD_NOT_FOUND"}, exitPortal, "Open Lines module", 1},
		{devportal.Fault{Code: "PORTAL_DELETED"}, exitPortal, "closed", 1},
		{devportal.Fault{Code: "SOMETHING_NEW", Status: 400}, exitPortal, "refused the request", 1},
	} {
		t.Run(tc.fault.Code, func(t *testing.T) {
			t.Parallel()
			p := startPortal(t, devportal.Config{})
			tc.fault.Kind, tc.fault.Description = devportal.FaultError, leakyDescription
			require.NoError(t, p.InjectFault(tc.fault))
			before := p.Sessions()

			r := pinall(t, map[string]string{envWebhook: p.WebhookURL(1)})
			assert.Equal(t, tc.exit, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			assert.True(t, strings.HasPrefix(r.stderr, "pinall: "), r.stderr)
			assert.Contains(t, r.stderr, tc.advice)
			assert.Contains(t, r.stderr, "portal error "+tc.fault.Code, "the portal's code is shown")
			assert.Contains(t, r.stderr, "/rest/1/REDACTED/", "the echoed description is shown, redacted")
			assert.Len(t, p.Requests(), tc.requests)
			assert.Equal(t, before, p.Sessions(), "nothing changed")
		})
	}
}

func TestRealRefusalsFromThePortal(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})

	// A mistyped or deleted webhook: the portal answers INVALID_CREDENTIALS.
	wrong := strings.Replace(p.WebhookURL(1), hookCode, "typo"+hookCode[4:], 1)
	r := pinall(t, map[string]string{envWebhook: wrong})
	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "Developer resources > Other > Inbound webhook")
	assert.Contains(t, r.stderr, "INVALID_CREDENTIALS")
	assert.NotContains(t, r.stderr, "typo"+hookCode[4:])

	// A webhook made without the imopenlines scope.
	p.SetScopes("im")
	r = pinall(t, map[string]string{envWebhook: p.WebhookURL(1)})
	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "tick imopenlines")
	assert.Contains(t, r.stderr, "insufficient_scope")
}

func TestRateLimitRetriedThenSucceeds(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "QUERY_LIMIT_EXCEEDED", Count: 2}))
	r := pinall(t, map[string]string{envWebhook: p.WebhookURL(1)})
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "Pinned "), r.stdout)
	assert.Len(t, p.Requests(), 3)
}

func TestBadRepliesAndNetwork(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		fault  devportal.Fault
		args   []string
		exit   int
		advice []string
	}{
		{"proxy HTML page", devportal.Fault{Kind: devportal.FaultHTML502}, nil, exitPortal,
			[]string{"not Bitrix24 REST JSON", "HTTP 502", "text/html", "502 Bad Gateway"}},
		{"cut JSON", devportal.Fault{Kind: devportal.FaultTruncated}, nil, exitPortal,
			[]string{"cut short"}},
		{"connection dropped twice", devportal.Fault{Kind: devportal.FaultDrop, Count: 2}, nil, exitNetwork,
			[]string{"could not reach the portal", "EOF", "your connection"}},
		{"no answer in time", devportal.Fault{Kind: devportal.FaultLatency, Delay: 2 * time.Second}, []string{"-timeout", "150ms"}, exitNetwork,
			[]string{"within 150ms (-timeout)", "running pinall again is safe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startPortal(t, devportal.Config{})
			require.NoError(t, p.InjectFault(tc.fault))
			start := time.Now()
			r := pinall(t, map[string]string{envWebhook: p.WebhookURL(1)}, tc.args...)
			assert.Equal(t, tc.exit, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			for _, want := range tc.advice {
				assert.Contains(t, r.stderr, want)
			}
			assert.NotContains(t, r.stderr, "/rest/1/", "no URL, not even redacted")
			assert.Less(t, time.Since(start), time.Second)
		})
	}
}

func TestPortalDown(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	url := p.WebhookURL(1)
	require.NoError(t, p.Close())
	r := pinall(t, map[string]string{envWebhook: url})
	assert.Equal(t, exitNetwork, r.code, r.stderr)
	assert.Contains(t, r.stderr, "could not reach the portal")
	assert.Contains(t, r.stderr, "connection refused")
	assert.NotContains(t, r.stderr, "/rest/1/")
}

func TestExitCodeOfEveryErrorType(t *testing.T) {
	t.Parallel()
	api := func(code string) *b24.APIError { return &b24.APIError{Code: code, Status: 400} }
	for err, want := range map[error]int{
		&usageError{msg: "x"}:     exitUsage,
		api("insufficient_scope"): exitAuth,
		api("Insufficient_Scope"): exitAuth, // b24 matches codes case-blind
		&b24.OperationLimitError{APIError: api("OPERATION_TIME_LIMIT")}: exitLimit,
		&b24.NetworkError{}:                       exitNetwork,
		&b24.BadReplyError{Kind: b24.ErrTooLarge}: exitPortal,
		api("PAYMENT_REQUIRED"):                   exitPortal,
	} {
		assert.Equal(t, want, exitCode(err), "%v", err)
	}
}
