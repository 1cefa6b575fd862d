//go:build !js

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leakyDescription is what a careless server might echo back: the code,
// raw and inside the URL. None of it may reach the terminal.
const leakyDescription = "webhook " + hookCode + " at /rest/1/" + hookCode + "/ refused"

// The words themselves are l10n's (internal/l10n/cli_test.go); these tests
// are of the command: exit codes, what reaches stdout and stderr, redaction.

func TestPortalErrorsExitPerClass(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault    devportal.Fault
		exit     int
		requests int // how many calls reached the portal (retries included)
	}{
		{devportal.Fault{Code: "insufficient_scope"}, exitAuth, 1},
		{devportal.Fault{Code: "NO_AUTH_FOUND"}, exitAuth, 1},
		{devportal.Fault{Code: "INVALID_CREDENTIALS"}, exitAuth, 1},
		{devportal.Fault{Code: "ACCESS_DENIED"}, exitAuth, 1},
		{devportal.Fault{Code: "user_access_error"}, exitAuth, 1},
		{devportal.Fault{Code: "WRONG_AUTH_TYPE"}, exitAuth, 1},
		{devportal.Fault{Code: "expired_token"}, exitAuth, 1},
		{devportal.Fault{Code: "invalid_token"}, exitAuth, 1},
		{devportal.Fault{Code: "QUERY_LIMIT_EXCEEDED", Count: 10}, exitLimit, 4},
		{devportal.Fault{Code: "OPERATION_TIME_LIMIT"}, exitLimit, 1},
		{devportal.Fault{Code: "OVERLOAD_LIMIT"}, exitLimit, 1},
		{devportal.Fault{Code: "INTERNAL_SERVER_ERROR"}, exitPortal, 1},
		{devportal.Fault{Code: "ERROR_METHOD_NOT_FOUND"}, exitPortal, 1},
		{devportal.Fault{Code: "PORTAL_DELETED"}, exitPortal, 1},
		{devportal.Fault{Code: "SOMETHING_NEW", Status: 400}, exitPortal, 1},
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
	assert.Contains(t, r.stderr, "pinall: "+advice(&b24.APIError{Code: "INVALID_CREDENTIALS"})+"\n")
	assert.Contains(t, r.stderr, "INVALID_CREDENTIALS")
	assert.NotContains(t, r.stderr, "typo"+hookCode[4:])

	// A webhook made without the imopenlines scope.
	p.SetScopes("im")
	r = pinall(t, map[string]string{envWebhook: p.WebhookURL(1)})
	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "pinall: "+advice(&b24.APIError{Code: "insufficient_scope"})+"\n")
	assert.Contains(t, r.stderr, "insufficient_scope")
}

// advice is l10n's words for err, up to the portal's own line.
func advice(err error) string {
	return strings.SplitN(l10n.ExplainCLI(err, "pin", time.Second), "\n", 2)[0]
}

// The run hands l10n the error, the verb and the -timeout, and prints its
// words as they are, after "pinall: ".
func TestErrorWordsComeFromL10n(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultLatency, Delay: 2 * time.Second}))
	r := pinall(t, map[string]string{envWebhook: p.WebhookURL(1)}, "-unpin", "-timeout", "150ms")
	assert.Equal(t, exitNetwork, r.code, r.stderr)
	assert.Equal(t, "pinall: "+l10n.ExplainCLI(context.DeadlineExceeded, "unpin", 150*time.Millisecond)+"\n", r.stderr)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r = pinallCtx(t, ctx, map[string]string{envWebhook: p.WebhookURL(1)})
	assert.Equal(t, exitInterrupted, r.code, r.stderr)
	assert.Equal(t, "pinall: "+l10n.ExplainCLI(context.Canceled, "pin", b24.DefaultTimeout)+"\n", r.stderr)
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
		name  string
		fault devportal.Fault
		args  []string
		exit  int
		shown []string // what the failure itself says reaches the user
	}{
		{"proxy HTML page", devportal.Fault{Kind: devportal.FaultHTML502}, nil, exitPortal,
			[]string{"HTTP 502", "text/html", "502 Bad Gateway"}},
		{"cut JSON", devportal.Fault{Kind: devportal.FaultTruncated}, nil, exitPortal,
			[]string{b24.ErrTruncated.Error()}},
		{"connection dropped twice", devportal.Fault{Kind: devportal.FaultDrop, Count: 2}, nil, exitNetwork,
			[]string{"EOF"}},
		{"no answer in time", devportal.Fault{Kind: devportal.FaultLatency, Delay: 2 * time.Second}, []string{"-timeout", "150ms"}, exitNetwork,
			[]string{"150ms"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startPortal(t, devportal.Config{})
			require.NoError(t, p.InjectFault(tc.fault))
			start := time.Now()
			r := pinall(t, map[string]string{envWebhook: p.WebhookURL(1)}, tc.args...)
			assert.Equal(t, tc.exit, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			assert.True(t, strings.HasPrefix(r.stderr, "pinall: "), r.stderr)
			for _, want := range tc.shown {
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
	assert.Contains(t, r.stderr, "connection refused", "the system's reason reaches the user")
	assert.NotContains(t, r.stderr, "/rest/1/")
}

func TestExitCodeOfEveryErrorType(t *testing.T) {
	t.Parallel()
	api := func(code string) *b24.APIError { return &b24.APIError{Code: code, Status: 400} }
	for err, want := range map[error]int{
		&usageError{msg: "x"}:                                           exitUsage,
		&b24.WebhookError{Reason: b24.WebhookPath}:                      exitUsage,
		api("insufficient_scope"):                                       exitAuth,
		api("Insufficient_Scope"):                                       exitAuth, // b24 matches codes case-blind
		&b24.OperationLimitError{APIError: api("OPERATION_TIME_LIMIT")}: exitLimit,
		&b24.NetworkError{}:                                             exitNetwork,
		&b24.BadReplyError{Kind: b24.ErrTooLarge}:                       exitPortal,
		api("PAYMENT_REQUIRED"):                                         exitPortal,
	} {
		assert.Equal(t, want, exitCode(err), "%v", err)
	}
}
