//go:build !js

// The webhook CLI's words. Kept out of the browser build: they need
// net/url, fmt and time formatting, which the widget must not carry.

package l10n

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/b24"
)

// webhookPage is where a portal keeps its inbound webhooks: the CLI's
// advice is about a webhook, where the widget's is about an installed app.
const webhookPage = "In Bitrix24 open Developer resources > Other > Inbound webhook"

// webhookShape is how a webhook URL looks: the words show it instead of the
// user's URL, which is never printed.
const webhookShape = "https://your-portal.bitrix24.com/rest/USER_ID/CODE/"

// ExplainCLI is the webhook CLI's words (English) for err: what went wrong
// and what to do about it, then the portal's own code and words. verb is
// "pin" or "unpin"; timeout is the -timeout. The text may quote the portal;
// the caller scrubs it before printing.
func ExplainCLI(err error, verb string, timeout time.Duration) string {
	var (
		hookErr *b24.WebhookError
		apiErr  *b24.APIError
		opErr   *b24.OperationLimitError
		badErr  *b24.BadReplyError
		netErr  *b24.NetworkError
	)
	switch {
	case errors.As(err, &hookErr):
		return webhookAdvice(hookErr)
	case errors.Is(err, context.Canceled):
		return "interrupted. Some dialogs may already be " + verb + "ned; running pinall again is safe."
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no complete answer from the portal within %s (-timeout). "+
			"It may have %sned the dialogs anyway; running pinall again is safe, "+
			"or allow more time with -timeout.", timeout, verb)
	case errors.As(err, &opErr):
		reset := opErr.ResetAt.Local().Format("15:04:05")
		if opErr.Estimated {
			reset = "about " + reset
		}
		return "the portal's time budget for this method is spent for now; try again after " + reset +
			" (local time)." + portalSays(opErr.APIError)
	case errors.As(err, &apiErr):
		return apiAdvice(apiErr) + portalSays(apiErr)
	case errors.As(err, &badErr):
		return badReplyAdvice(badErr) + "\n  detail: " + strings.TrimPrefix(badErr.Error(), "b24: ")
	case errors.As(err, &netErr):
		return "could not reach the portal: " + networkCause(netErr) +
			". Check the host name in the webhook URL and your connection, then try again."
	}
	return "unexpected error: " + strings.TrimPrefix(err.Error(), "b24: ")
}

// webhookAdvice is the words for each reason a webhook URL is refused.
func webhookAdvice(e *b24.WebhookError) string {
	var why string
	switch e.Reason {
	case b24.WebhookMissing:
		return "no webhook URL: set PINALL_WEBHOOK or pass -webhook URL"
	case b24.WebhookPlainHTTP:
		return "refusing plain http:// to " + e.Host +
			": the webhook's secret code travels in the URL, so Bitrix24 webhooks use https://; " +
			"http:// is allowed only to a local dev portal (localhost, 127.0.0.1, [::1])"
	case b24.WebhookScheme:
		why = "must start with https://"
	case b24.WebhookUserinfo:
		why = "must not contain a user name or password before the host"
	case b24.WebhookHost:
		why = "has no valid host"
	case b24.WebhookPath:
		why = "path must be /rest/USER_ID/CODE/"
	case b24.WebhookUser:
		why = "needs the user's numeric id after /rest/"
	case b24.WebhookCode:
		why = "needs the webhook code (letters, digits, - and _) after the user id"
	case b24.WebhookMore:
		why = "has more path after the code than a method name"
	default:
		why = "is not usable"
	}
	return "the webhook URL " + why + "; it should look like " + webhookShape
}

// apiAdvice is the words for each error code the portal may send.
func apiAdvice(e *b24.APIError) string {
	switch {
	case e.Is(b24.ErrInsufficientScope):
		return "the webhook lacks the imopenlines (Open Channels) scope. " + webhookPage +
			", edit this webhook, tick imopenlines, save, and run pinall again."
	case e.Is(b24.ErrInvalidCredentials):
		return "the portal refused the webhook: its code or user id is wrong, the webhook was deleted, " +
			"or its user lacks the rights. " + webhookPage + " and copy the URL again (or create a new webhook)."
	case e.Is(b24.ErrNoAuth), e.Is(b24.ErrExpiredToken), e.Is(b24.ErrInvalidToken):
		return "the portal did not accept the webhook's credentials (expired or invalid). " + webhookPage +
			", check the webhook still exists, and copy its URL again."
	case e.Is(b24.ErrAccessDenied):
		return "access denied: REST may not be available on this Bitrix24 plan, or the portal refused the " +
			"webhook's user. Ask the portal's administrator."
	case e.Is(b24.ErrUserAccess):
		return "the portal limits this integration to certain users and the webhook's user is not one of them. " +
			"Ask the portal's administrator."
	case e.Is(b24.ErrWrongAuthType):
		return "the portal does not accept webhook authorization for this method."
	case e.Is(b24.ErrQueryLimit):
		return "the portal's rate limit is exceeded, still after retrying: too many requests to this portal " +
			"(other integrations share the limit). Wait a minute and try again."
	case e.Is(b24.ErrOverload):
		return "Bitrix24 has blocked REST calls for this portal (overload); retrying will not help. " +
			"Contact Bitrix24 support."
	case e.Is(b24.ErrMethodNotFound):
		return "the portal does not know the method: the Open Channels module may be missing, " +
			"or the URL is not a Bitrix24 REST address."
	case e.Is(b24.ErrInvalidRequest):
		return "the portal rejected the request as invalid (Bitrix24 webhooks need https://)."
	case e.Is(b24.ErrPortalDeleted):
		return "the portal is closed or deleted."
	case e.Is(b24.ErrPaymentRequired):
		return "the portal requires a payment (subscription lapsed)."
	case e.Is(b24.ErrInternal), e.Is(b24.ErrUnexpectedAnswer):
		return "the portal had an internal error; try again later."
	}
	return "the portal refused the request."
}

// portalSays quotes the portal's code, status and description after our
// own words: the code is what support and the docs know it by.
func portalSays(e *b24.APIError) string {
	s := "\n  portal error " + e.Code
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

func badReplyAdvice(e *b24.BadReplyError) string {
	switch {
	case e.Status >= 300 && e.Status < 400:
		return "the portal answered with a redirect instead of REST JSON: check the host in the webhook URL " +
			"(the address your browser ends up at after signing in)."
	case errors.Is(e, b24.ErrNotJSON):
		return "the reply is not Bitrix24 REST JSON (often a proxy's error page while the portal is busy or " +
			"down, or a URL that does not point at a Bitrix24 portal). Try again in a minute."
	case errors.Is(e, b24.ErrTruncated):
		return "the reply was cut short; the connection may have dropped. Try again."
	case errors.Is(e, b24.ErrTooLarge):
		return "the reply is larger than pinall accepts."
	}
	return "the portal's reply has an unexpected shape."
}

// networkCause is the innermost reason without net/http's URL (which b24
// redacts, but we print no URL at all).
func networkCause(e *b24.NetworkError) string {
	var ue *url.Error
	if errors.As(e, &ue) {
		if ue.Timeout() {
			return "the connection timed out"
		}
		return ue.Err.Error()
	}
	if c := errors.Unwrap(e); c != nil {
		return c.Error()
	}
	return "no response"
}

// SummaryCLI is the CLI's line for a finished action (English): "Pinned 3
// dialogs: 12, 15, 19" (the session IDs, ungrouped: they are names, not
// counts), or "Nothing to pin". verb is "pin" or "unpin".
func SummaryCLI(verb string, ids []int64) string {
	if len(ids) == 0 {
		return "Nothing to " + verb
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	// English, as every CLI word: the plural and grouping are en's CLDR ones.
	en, _ := findLocale("en")
	noun := "dialogs"
	if en.plural(uint64(len(ids))) == One {
		noun = "dialog"
	}
	return strings.ToUpper(verb[:1]) + verb[1:] + "ned " + en.number(len(ids)) + " " + noun + ": " + strings.Join(list, ", ")
}
