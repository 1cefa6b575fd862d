//go:build !js

package l10n

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pinall/pinall/internal/b24"
)

// advice is the CLI's words before the portal's own line.
func advice(err error) string {
	return strings.SplitN(ExplainCLI(err, "pin", time.Second), "\n", 2)[0]
}

func TestCLIWordsForEachPortalCode(t *testing.T) {
	for code, want := range map[string]string{
		"insufficient_scope":      "lacks the imopenlines (Open Channels) scope",
		"NO_AUTH_FOUND":           "copy its URL again",
		"INVALID_CREDENTIALS":     "create a new webhook",
		"ACCESS_DENIED":           "administrator",
		"user_access_error":       "certain users",
		"WRONG_AUTH_TYPE":         "webhook authorization",
		"expired_token":           "expired or invalid",
		"invalid_token":           "expired or invalid",
		"QUERY_LIMIT_EXCEEDED":    "rate limit",
		"OVERLOAD_LIMIT":          "Contact Bitrix24 support",
		"INTERNAL_SERVER_ERROR":   "internal error",
		"ERROR_UNEXPECTED_ANSWER": "internal error",
		"ERROR_METHOD_NOT_FOUND":  "Open Channels module",
		"INVALID_REQUEST":         "https://",
		"PORTAL_DELETED":          "closed",
		"PAYMENT_REQUIRED":        "payment",
		"SOMETHING_NEW":           "refused the request",
	} {
		assert.Contains(t, advice(apiErr(t, 400, code)), want, code)
	}
	// b24 matches codes case-blind; so do the words.
	assert.Contains(t, advice(apiErr(t, 403, "Insufficient_Scope")), "tick imopenlines")
}

// The facts' error table: every row has CLI words of its own, never the
// fallback, and (but for the codes that mean the same) not another row's.
func TestEveryFactsCodeHasItsOwnCLIWords(t *testing.T) {
	same := map[string]string{"NO_AUTH_FOUND": "auth", "expired_token": "auth", "invalid_token": "auth",
		"INTERNAL_SERVER_ERROR": "internal", "ERROR_UNEXPECTED_ANSWER": "internal"}
	seen := map[string]string{}
	for _, row := range factsTable {
		a := advice(apiErr(t, row.status, row.code))
		assert.NotEqual(t, "the portal refused the request.", a, row.code)
		assert.NotContains(t, a, "desc of", "%s: the portal's description is not the advice", row.code)
		if prev, ok := seen[a]; ok && (same[row.code] == "" || same[row.code] != same[prev]) {
			t.Errorf("%s and %s share one message", row.code, prev)
		}
		seen[a] = row.code
	}
}

// The CLI advises about a webhook, the widget about an installed app: one
// code, two rows, neither borrowing the other's words.
func TestCLIAndWidgetWordsStayApart(t *testing.T) {
	err := apiErr(t, 403, "insufficient_scope")
	cli, widget := ExplainCLI(err, "pin", time.Second), Explain(EN, err).Message
	assert.Contains(t, cli, "Inbound webhook")
	assert.NotContains(t, widget, "webhook")
	assert.NotEqual(t, cli, widget)
}

func TestCLIQuotesThePortal(t *testing.T) {
	got := ExplainCLI(apiErr(t, 403, "ACCESS_DENIED"), "pin", time.Second)
	assert.True(t, strings.HasSuffix(got, "\n  portal error ACCESS_DENIED (HTTP 403): desc of ACCESS_DENIED"), got)
	// Inside a batch there is no HTTP status, and a code may come bare.
	got = ExplainCLI(&b24.APIError{Code: "X"}, "pin", time.Second)
	assert.True(t, strings.HasSuffix(got, "refused the request.\n  portal error X"), got)
}

func TestCLIOperationLimitSaysWhenLocally(t *testing.T) {
	reset := time.Date(2030, 1, 2, 13, 4, 5, 0, time.Local)
	err := fmt.Errorf("call: %w", &b24.OperationLimitError{
		APIError: &b24.APIError{Status: 429, Code: "OPERATION_TIME_LIMIT"}, ResetAt: reset})
	got := ExplainCLI(err, "pin", time.Second)
	assert.Contains(t, got, "try again after 13:04:05 (local time).")
	assert.Contains(t, got, "\n  portal error OPERATION_TIME_LIMIT (HTTP 429)")
	// A real reply without operating_reset_at: the time is a guess, and says so.
	assert.Contains(t, advice(apiErr(t, 429, "OPERATION_TIME_LIMIT")), "try again after about ")
}

func TestCLIBadReplies(t *testing.T) {
	html := ExplainCLI(reply(t, 502, "text/html", "<html><body>502 Bad Gateway</body></html>"), "pin", time.Second)
	for _, want := range []string{"not Bitrix24 REST JSON", "\n  detail: ", "HTTP 502", "text/html", "502 Bad Gateway"} {
		assert.Contains(t, html, want)
	}
	assert.NotContains(t, html, "b24: ")
	for err, want := range map[error]string{
		reply(t, 200, "application/json", `{"result":[1,2,`):           "cut short",
		&b24.BadReplyError{Kind: b24.ErrTooLarge}:                      "larger than pinall accepts",
		&b24.BadReplyError{Kind: b24.ErrUnexpectedResult}:              "unexpected shape",
		&b24.BadReplyError{Kind: b24.ErrNotJSON, Status: 302}:          "redirect",
		&b24.BadReplyError{Kind: b24.ErrUnexpectedResult, Status: 301}: "redirect",
		&b24.BadReplyError{Kind: b24.ErrNotJSON, Status: 300}:          "redirect", // each end of 3xx
		&b24.BadReplyError{Kind: b24.ErrNotJSON, Status: 399}:          "redirect",
		&b24.BadReplyError{Kind: b24.ErrNotJSON, Status: 400}:          "not Bitrix24 REST JSON",
	} {
		assert.Contains(t, advice(err), want, "%v", err)
	}
}

func TestCLINetworkCauseWithoutTheURL(t *testing.T) {
	const u = "https://portal.example/rest/1/REDACTED/imopenlines.session.mode.pinAll.json"
	for cause, want := range map[error]string{
		&url.Error{Op: "Post", URL: u, Err: io.EOF}:                  "could not reach the portal: EOF.",
		&url.Error{Op: "Post", URL: u, Err: timeoutErr{}}:            "could not reach the portal: the connection timed out.",
		fmt.Errorf("dial tcp: %w", errors.New("connection refused")): "could not reach the portal: dial tcp: connection refused.",
		nil: "could not reach the portal: no response.",
	} {
		got := ExplainCLI(&b24.NetworkError{URL: u, Err: cause}, "pin", time.Second)
		assert.True(t, strings.HasPrefix(got, want), got)
		assert.Contains(t, got, "your connection")
		assert.NotContains(t, got, "/rest/", "no URL, not even redacted")
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

func TestCLIStoppedRuns(t *testing.T) {
	late := ExplainCLI(fmt.Errorf("call: %w", context.DeadlineExceeded), "unpin", 150*time.Millisecond)
	assert.True(t, strings.HasPrefix(late, "no complete answer from the portal within 150ms (-timeout)."), late)
	assert.Contains(t, late, "It may have unpinned the dialogs anyway; running pinall again is safe")
	stopped := ExplainCLI(context.Canceled, "pin", time.Second)
	assert.Equal(t, "interrupted. Some dialogs may already be pinned; running pinall again is safe.", stopped)
	assert.Equal(t, "unexpected error: boom", ExplainCLI(errors.New("b24: boom"), "pin", time.Second))
}

// Every reason a webhook URL is refused has words of its own, and none
// holds the URL (only the host, for plain http).
func TestCLIWordsForEachWebhookReason(t *testing.T) {
	seen := map[string]b24.WebhookReason{}
	for r := b24.WebhookMissing; r <= b24.WebhookMore; r++ {
		got := ExplainCLI(&b24.WebhookError{Reason: r, Host: "h.example"}, "pin", time.Second)
		assert.NotContains(t, got, "is not usable", r.String())
		if prev, ok := seen[got]; ok {
			t.Errorf("%s and %s share one message", r, prev)
		}
		seen[got] = r
	}
	assert.Contains(t, ExplainCLI(&b24.WebhookError{Reason: b24.WebhookPlainHTTP, Host: "h.example"}, "pin", time.Second), "http:// to h.example")
}
