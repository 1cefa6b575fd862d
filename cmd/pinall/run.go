//go:build !js

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/l10n"
)

// envWebhook names the environment variable holding the webhook URL.
const envWebhook = "PINALL_WEBHOOK"

const usageHead = `Usage: pinall [-unpin] [-json] [-timeout 30s] [-webhook URL]

Pins every open dialog of the Bitrix24 open-lines operator who owns an
inbound webhook (imopenlines.session.mode.pinAll): pinned dialogs stay with
that operator instead of returning to the queue. -unpin undoes it
(imopenlines.session.mode.unpinAll). Running it twice is harmless.

The webhook:
  In Bitrix24 open Developer resources > Other > Inbound webhook, tick the
  imopenlines (Open Lines) scope and save. The URL looks like
      https://your-portal.bitrix24.com/rest/1/abc123xyz/
  and acts for the user whose id it contains (1 here). pinall accepts it
  with or without the trailing slash or a method (.../profile.json).

  The URL holds a secret code: whoever has it can act as that user.
  Prefer the PINALL_WEBHOOK environment variable: a -webhook flag is visible
  to other users in ps and stays in shell history. -webhook wins over
  PINALL_WEBHOOK. pinall never prints the URL. It uses https:// only;
  http:// is allowed to localhost, 127.0.0.1 and [::1] (a local dev portal).

Flags:
`

const usageTail = `
Output:
  stdout: "Pinned 3 dialogs: 12, 15, 19" (session IDs) or "Nothing to pin";
  with -json: {"action":"pin","ids":[12,15,19],"count":3} ("unpin" with -unpin).
  Errors go to stderr, with what to do and the portal's error code.

Exit codes:
  0   done (also when there was nothing to pin)
  2   usage: bad flags, missing or malformed webhook URL, http:// to a remote host
  3   authorization or permission: the webhook is invalid or deleted, lacks the
      imopenlines scope, or its user lacks the rights (NO_AUTH_FOUND,
      insufficient_scope, INVALID_CREDENTIALS, ACCESS_DENIED, user_access_error,
      WRONG_AUTH_TYPE, expired_token, invalid_token)
  4   limits: QUERY_LIMIT_EXCEEDED (after retries), OPERATION_TIME_LIMIT,
      OVERLOAD_LIMIT
  5   network failure or no answer within -timeout
  6   any other error from the portal, or a reply that is not Bitrix24 JSON
  130 interrupted

Example:
  read -rs PINALL_WEBHOOK && export PINALL_WEBHOOK   # paste the URL, unseen
  pinall            # pin
  pinall -unpin     # undo
`

// options are the parsed command line.
type options struct {
	hook    b24.Webhook
	unpin   bool
	json    bool
	timeout time.Duration
}

// flags defines the command's flags on a new set writing to w.
func flags(o *options, hook *string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("pinall", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {}
	// No default from the environment: -h would print it.
	fs.StringVar(hook, "webhook", "", "inbound webhook `URL` (safer: set "+envWebhook+" instead)")
	fs.BoolVar(&o.unpin, "unpin", false, "unpin the dialogs instead (imopenlines.session.mode.unpinAll)")
	fs.BoolVar(&o.json, "json", false, `print {"action":...,"ids":[...],"count":N} instead of text`)
	fs.DurationVar(&o.timeout, "timeout", b24.DefaultTimeout, "give up after this `duration`, retries included")
	return fs
}

// parseArgs reads flags and the environment. help is true for -h; the
// error is a *usageError or a *b24.WebhookError, neither holding the URL.
func parseArgs(args []string, env func(string) string) (opts options, help bool, err error) {
	var hookFlag string
	// flag would print its errors itself; we print them, scrubbed.
	fs := flags(&opts, &hookFlag, io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, true, nil
		}
		return opts, false, &usageError{msg: err.Error()}
	}
	if fs.NArg() > 0 {
		// Not quoted: it may well be the URL, misplaced.
		return opts, false, &usageError{msg: "unexpected argument; pass the URL in " + envWebhook + " or with -webhook URL"}
	}
	if opts.timeout <= 0 {
		return opts, false, &usageError{msg: "-timeout must be positive, e.g. 30s or 2m"}
	}
	raw := hookFlag
	if strings.TrimSpace(raw) == "" {
		raw = env(envWebhook)
	}
	opts.hook, err = b24.ParseWebhook(raw)
	return opts, false, err
}

func usage(w io.Writer) {
	io.WriteString(w, usageHead)
	flags(&options{}, new(string), w).PrintDefaults()
	io.WriteString(w, usageTail)
}

// run is the whole command; main only wires it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	return runWith(ctx, args, env, stdout, stderr)
}

// runWith is run with extra client options, so tests can shorten the
// retry backoff without a flag users would never need.
func runWith(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer, extra ...b24.Option) int {
	opts, help, err := parseArgs(args, env)
	if help {
		usage(stdout)
		return exitOK
	}
	// The last gate before the terminal: b24 already redacts its errors.
	// Until the URL parses the code is unknown: Redact finds it by its place
	// in a /rest/ path only.
	fail := func(code int, msg string) int {
		io.WriteString(stderr, opts.hook.Redact("pinall: "+msg)+"\n")
		return code
	}
	verb := "pin"
	if opts.unpin {
		verb = "unpin"
	}
	if err != nil {
		msg := err.Error()
		if _, flagErr := err.(*usageError); !flagErr {
			msg = l10n.ExplainCLI(err, verb, opts.timeout)
		}
		return fail(exitCode(err), msg+"\nRun pinall -h for help.")
	}
	// ParseWebhook's base is one New takes: an error here is the program's.
	client, err := b24.New(opts.hook.Base, append([]b24.Option{b24.WithTimeout(opts.timeout)}, extra...)...)
	if err != nil {
		return fail(exitCode(err), l10n.ExplainCLI(err, verb, opts.timeout))
	}
	call := client.PinAll
	if opts.unpin {
		call = client.UnpinAll
	}
	result, err := call(ctx)
	if err != nil {
		return fail(exitCode(err), l10n.ExplainCLI(err, verb, opts.timeout))
	}
	if opts.json {
		out, _ := json.Marshal(struct {
			Action string  `json:"action"`
			IDs    []int64 `json:"ids"`
			Count  int     `json:"count"`
		}{verb, result.List, len(result.List)})
		fmt.Fprintf(stdout, "%s\n", out)
		return exitOK
	}
	fmt.Fprintln(stdout, l10n.SummaryCLI(verb, result.List))
	return exitOK
}
