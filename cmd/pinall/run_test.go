//go:build !js

package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPinThenUnpinChangesWhatItPrints(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	hook := map[string]string{envWebhook: p.WebhookURL(1)}
	others := func() []devportal.SessionView {
		var v []devportal.SessionView
		for _, s := range p.Sessions() {
			if s.Operator != 1 {
				v = append(v, s)
			}
		}
		return v
	}
	othersBefore := others()
	toPin := openIDs(p, 1, false)
	require.Greater(t, len(toPin), 1, "the demo data should have unpinned dialogs")

	r := pinall(t, hook)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, l10n.SummaryCLI("pin", toPin)+"\n", r.stdout)
	assert.True(t, strings.HasPrefix(r.stdout, "Pinned "+itoa(len(toPin))+" dialogs: "), r.stdout)
	assert.Empty(t, r.stderr)
	assert.Empty(t, openIDs(p, 1, false), "every open dialog of user 1 is pinned now")
	assert.Equal(t, othersBefore, others(), "other operators' dialogs are untouched")

	r = pinall(t, hook)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Nothing to pin\n", r.stdout)

	pinned := openIDs(p, 1, true)
	r = pinall(t, hook, "-unpin")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, l10n.SummaryCLI("unpin", pinned)+"\n", r.stdout)
	assert.True(t, strings.HasPrefix(r.stdout, "Unpinned "), r.stdout)
	assert.Empty(t, openIDs(p, 1, true), "every open dialog of user 1 is unpinned now")
	assert.Equal(t, othersBefore, others())

	r = pinall(t, hook, "-unpin")
	assert.Equal(t, "Nothing to unpin\n", r.stdout)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestJSONOutput(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	hook := map[string]string{envWebhook: p.WebhookURL(1)}
	toPin := openIDs(p, 1, false)

	r := pinall(t, hook, "-json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	assert.Len(t, got, 3, "exactly action, ids and count: %s", r.stdout)
	assert.Equal(t, "pin", got["action"])
	assert.Equal(t, float64(len(toPin)), got["count"])
	var ids struct{ IDs []int64 }
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &ids))
	assert.Equal(t, toPin, ids.IDs)
	assert.True(t, strings.HasSuffix(r.stdout, "}\n"), "one line: %q", r.stdout)

	// Nothing left: an empty list, never null, which scripts would trip on.
	r = pinall(t, hook, "-json")
	assert.Equal(t, `{"action":"pin","ids":[],"count":0}`+"\n", r.stdout)

	r = pinall(t, hook, "-json", "-unpin")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, `{"action":"unpin","ids":[`), r.stdout)
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	good := p.WebhookURL(1)
	wrong := strings.Replace(good, hookCode, "wrongcodewrongcode", 1)

	r := pinall(t, map[string]string{envWebhook: good}, "-json")
	assert.Equal(t, exitOK, r.code, "the environment alone is enough: %s", r.stderr)

	r = pinall(t, map[string]string{envWebhook: wrong}, "-webhook", good, "-json")
	assert.Equal(t, exitOK, r.code, "the flag wins over the environment: %s", r.stderr)

	r = pinall(t, map[string]string{envWebhook: good}, "-webhook", wrong)
	assert.Equal(t, exitAuth, r.code, "the flag wins, even when it is the wrong one")
	assert.NotContains(t, r.stderr, "wrongcodewrongcode")

	r = pinall(t, nil, "-webhook", good, "-unpin")
	assert.Equal(t, exitOK, r.code, "the flag alone is enough: %s", r.stderr)
}

func TestPastedURLFormsAllReachTheWebhook(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	base := strings.TrimSuffix(p.WebhookURL(1), "/") // http://localhost:N/rest/1/CODE
	for _, u := range []string{
		base,
		base + "/",
		base + "/profile.json",
		base + "/profile",
		base + "/imopenlines.session.mode.pinAll.json",
		base + "/profile.json?x=1#top",
		"  " + base + "/\n",
		strings.Replace(base, "http://localhost", "HTTP://LOCALHOST", 1),
	} {
		p.ResetLog()
		r := pinall(t, map[string]string{envWebhook: u})
		require.Equal(t, exitOK, r.code, "%q: %s", strings.ReplaceAll(u, hookCode, "CODE"), r.stderr)
		reqs := p.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, "/rest/1/"+hookCode+"/imopenlines.session.mode.pinAll.json", reqs[0].Path)
		assert.True(t, reqs[0].Webhook)
	}
}

func TestLoopbackHTTPAccepted(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{PortalAddr: "127.0.0.1:0"})
	require.True(t, strings.HasPrefix(p.WebhookURL(1), "http://127.0.0.1:"))
	r := pinall(t, map[string]string{envWebhook: p.WebhookURL(1)})
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "Pinned "), r.stdout)
}

func TestPlainHTTPRefusedForRemoteHosts(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"http://portal.bitrix24.com/rest/1/" + hookCode + "/",
		"http://10.0.0.7:8080/rest/1/" + hookCode,
		"http://localhost.evil.example/rest/1/" + hookCode + "/",
	} {
		r := pinall(t, map[string]string{envWebhook: u})
		assert.Equal(t, exitUsage, r.code, r.stderr)
		assert.Contains(t, r.stderr, "refusing plain http://")
		assert.Contains(t, r.stderr, "https://")
		assert.Empty(t, r.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	good := p.WebhookURL(1)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string // in stderr
	}{
		{"no URL at all", nil, nil, envWebhook},
		{"blank URL", map[string]string{envWebhook: "  "}, []string{"-webhook", ""}, envWebhook},
		{"unknown flag", map[string]string{envWebhook: good}, []string{"-pin"}, "-pin"},
		{"URL as a positional argument", nil, []string{good}, "unexpected argument"},
		{"URL as the -timeout value", nil, []string{"-timeout", good}, "-timeout"},
		{"zero timeout", map[string]string{envWebhook: good}, []string{"-timeout", "0s"}, "-timeout must be positive"},
		{"no code", map[string]string{envWebhook: strings.TrimSuffix(good, hookCode+"/")}, nil, "/rest/USER_ID/CODE/"},
		{"not a REST path", map[string]string{envWebhook: strings.Replace(good, "/rest/", "/api/", 1)}, nil, "/rest/USER_ID/CODE/"},
		{"user id not a number", map[string]string{envWebhook: strings.Replace(good, "/rest/1/", "/rest/me/", 1)}, nil, "numeric id"},
		{"user name and password", map[string]string{envWebhook: strings.Replace(good, "http://", "http://admin:"+hookCode+"@", 1)}, nil, "user name or password"},
		{"ftp scheme", map[string]string{envWebhook: strings.Replace(good, "http://", "ftp://", 1)}, nil, "https://"},
		{"a deeper path", map[string]string{envWebhook: good + "a/b.json"}, nil, "more path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.ResetLog()
			r := pinall(t, tc.env, tc.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.want)
			assert.Contains(t, r.stderr, "pinall -h")
			assert.Empty(t, r.stdout)
			assert.Empty(t, p.Requests(), "nothing is sent on a usage error")
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	env := map[string]string{envWebhook: "https://x.bitrix24.com/rest/1/" + hookCode + "/"}
	for _, arg := range []string{"-h", "-help", "--help"} {
		r := pinall(t, env, arg)
		assert.Equal(t, exitOK, r.code)
		assert.Empty(t, r.stderr)
		for _, want := range []string{
			"imopenlines.session.mode.pinAll", "-unpin", "-json", "-timeout", "-webhook URL",
			"Developer resources > Other > Inbound webhook", "imopenlines (Open Lines) scope",
			"PINALL_WEBHOOK", "visible", "ps", "never prints the URL",
			"Exit codes:", "\n  0   done", "\n  2   usage", "\n  3   authorization", "insufficient_scope",
			"\n  4   limits", "QUERY_LIMIT_EXCEEDED", "\n  5   network", "\n  6   any other", "\n  130 interrupted",
		} {
			assert.Contains(t, r.stdout, want, arg)
		}
	}
}

func TestInterruptedRun(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := pinallCtx(t, ctx, map[string]string{envWebhook: p.WebhookURL(1)})
	assert.Equal(t, exitInterrupted, r.code)
	assert.Contains(t, r.stderr, "interrupted")
	assert.Empty(t, r.stdout)
}
