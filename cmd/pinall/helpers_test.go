//go:build !js

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hookCode is the dev portal's webhook secret in these tests: distinctive,
// so finding it in any output is a leak and nothing else.
const hookCode = "s3cr3tHookC0de42"

// fastRetries keeps b24's retries but not its real-world waits.
var fastRetries = b24.WithRetryPolicy(b24.RetryPolicy{BaseDelay: time.Millisecond, NetworkDelay: time.Millisecond})

func startPortal(t *testing.T, cfg devportal.Config) *devportal.Portal {
	t.Helper()
	cfg.WebhookCode = hookCode
	p, err := devportal.Start(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}

// result is what a user sees of one run.
type result struct {
	code           int
	stdout, stderr string
}

// pinall runs the command in-process with env as its whole environment.
func pinall(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return pinallCtx(t, context.Background(), env, args...)
}

func pinallCtx(t *testing.T, ctx context.Context, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runWith(ctx, args, func(k string) string { return env[k] }, &out, &errOut, fastRetries)
	r := result{code, out.String(), errOut.String()}
	assertNoSecret(t, r)
	return r
}

// assertNoSecret fails when the webhook code shows anywhere a user can see.
func assertNoSecret(t *testing.T, r result) {
	t.Helper()
	for _, s := range []string{r.stdout, r.stderr} {
		assert.NotContains(t, s, hookCode, "the webhook code leaked")
		assert.NotContains(t, strings.ToLower(s), strings.ToLower(hookCode), "the webhook code leaked")
	}
}

// openIDs are the IDs of user's open sessions whose pinned flag is pinned.
func openIDs(p *devportal.Portal, user int, pinned bool) []int64 {
	ids := []int64{}
	for _, s := range p.Sessions() {
		if s.Operator == user && !s.Closed && s.Pinned == pinned {
			ids = append(ids, int64(s.ID))
		}
	}
	return ids
}
