//go:build !js

package main

// usageError is a problem with the command line (exit 2). Its text never
// contains the webhook URL. A webhook URL b24 refuses is a
// *b24.WebhookError, put into words by l10n.ExplainCLI.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }
