//go:build !js

package main

import (
	"context"
	"errors"

	"github.com/pinall/pinall/internal/b24"
)

// Exit codes, one per class of failure, so scripts can branch on them.
const (
	exitOK          = 0
	exitUsage       = 2   // bad flags, missing or malformed webhook URL
	exitAuth        = 3   // the portal refused the webhook or its user
	exitLimit       = 4   // rate or time limits
	exitNetwork     = 5   // no answer: network failure or -timeout
	exitPortal      = 6   // any other portal error, or a reply that is not Bitrix24 JSON
	exitInterrupted = 130 // Ctrl-C, as shells report SIGINT
)

// authCodes are the portal's refusals of the credentials or the user's
// rights (facts, section 2): fixing them means fixing the webhook.
var authCodes = []error{
	b24.ErrNoAuth, b24.ErrInsufficientScope, b24.ErrInvalidCredentials, b24.ErrAccessDenied,
	b24.ErrUserAccess, b24.ErrWrongAuthType, b24.ErrExpiredToken, b24.ErrInvalidToken,
}

// limitCodes are the portal's limits; QUERY_LIMIT_EXCEEDED arrives here
// only after b24's retries.
var limitCodes = []error{b24.ErrQueryLimit, b24.ErrOperationTimeLimit, b24.ErrOverload}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// exitCode maps an error from the b24 client to its class. The words for
// it are l10n.ExplainCLI's: one place turns errors into words.
func exitCode(err error) int {
	var (
		ue *usageError
		we *b24.WebhookError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue), errors.As(err, &we):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, b24.ErrNetwork):
		return exitNetwork
	case isAny(err, authCodes):
		return exitAuth
	case isAny(err, limitCodes):
		return exitLimit
	}
	return exitPortal
}
