//go:build !js

// Command pinall pins (or, with -unpin, unpins) all open-line dialogs of
// the Bitrix24 user who owns an inbound webhook. Run pinall -h for usage.
//
// A terminal program, never built for js: its words (internal/l10n/cli.go)
// are left out of the browser build.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
