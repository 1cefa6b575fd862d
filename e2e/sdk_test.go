//go:build !js

package e2e

// Conformance with the official Bitrix24 JS SDK (@bitrix24/b24jssdk, from npm,
// unmodified): a tiny page (e2e/sdk/page) bundled with esbuild runs the SDK's
// frame client inside the dev portal's app iframe; the page writes each
// step's outcome into its DOM and this test checks it against the portal's
// own state and logs. Node and npm stay inside e2e/sdk: npm ci there (only
// when node_modules is missing or was installed from another lockfile), its
// cache under e2e/sdk/.npm-cache, the bundle in e2e/sdk/dist.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

const sdkMemberID = "0123456789abcdef0123456789abcdef"

// sdkResult is what e2e/sdk/page/main.js writes into #result.
type sdkResult struct {
	Current string `json:"current"`
	Done    bool   `json:"done"`
	Error   *struct {
		Step, Name, Code, Message string
		Status                    int
	} `json:"error"`
	Steps struct {
		Env struct {
			WindowNameFields int  `json:"window_name_fields"`
			HasQueryDomain   bool `json:"has_query_domain"`
		} `json:"env"`
		Init struct {
			IsInit            bool   `json:"is_init"`
			Lang              string `json:"lang"`
			AppSIDMatchesName bool   `json:"app_sid_matches_name"`
			TargetOrigin      string `json:"target_origin"`
			RestBase          string `json:"rest_base"`
			IsAdmin           any    `json:"is_admin"`
			InstallMode       any    `json:"install_mode"`
			FirstRun          any    `json:"first_run"`
			Placement         string `json:"placement"`
		} `json:"init"`
		Auth         sdkAuth `json:"auth"`
		PinAll       sdkCall `json:"pinAll"`
		Refresh      sdkAuth `json:"refresh"`
		AfterRefresh sdkCall `json:"afterRefresh"`
		Expiry       struct {
			RefreshedBySDK bool     `json:"refreshed_by_sdk"`
			TokenSHA       string   `json:"token_sha"`
			Polls          int      `json:"polls"`
			Errors         []string `json:"errors"`
		} `json:"expiry"`
	} `json:"steps"`
}

type sdkAuth struct {
	Present      bool   `json:"present"`
	Domain       string `json:"domain"`
	MemberID     string `json:"member_id"`
	ExpiresIn    int    `json:"expires_in"`
	ExpiresOK    bool   `json:"expires_ok"`
	TokenLen     int    `json:"token_len"`
	TokenSHA     string `json:"token_sha"`
	RefreshSHA   string `json:"refresh_sha"`
	Returned     bool   `json:"returned_auth"`
	TokenChanged bool   `json:"token_changed"`
}

type sdkCall struct {
	OK       bool            `json:"ok"`
	Result   json.RawMessage `json:"result"`
	TimeKeys []string        `json:"time_keys"`
	Errors   []string        `json:"errors"`
	TokenSHA string          `json:"token_sha"`
}

func TestSDKConformance(t *testing.T) {
	dist := buildSDKPage(t)

	p, err := devportal.Start(devportal.Config{WidgetDir: dist, MemberID: sdkMemberID})
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })

	before := p.Sessions()
	var want []int // the operator's open, unpinned sessions: what pinAll must pin
	for _, s := range before {
		if s.Operator == 1 && !s.Closed && !s.Pinned {
			want = append(want, s.ID)
		}
	}
	require.NotEmpty(t, want, "the demo data must leave something for pinAll to pin")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	app := openAppFrame(t, ctx, p.PortalURL()+"/", p.AppURL())

	state, err := app.WaitState(ctx, "await-expiry", "done", "error")
	require.NoError(t, err, "the SDK page never reached the expiry step")
	if state == "await-expiry" {
		p.ExpireTokens() // the SDK's next call must get 401 expired_token, refresh and retry
		state, err = app.WaitState(ctx, "done", "error")
		require.NoError(t, err, "the SDK page never finished after the tokens expired")
	}
	raw, err := app.Text(ctx, "#result")
	require.NoError(t, err)
	// #result holds no token, only SHA-256 prefixes: safe to show.
	require.Equal(t, "done", state, "SDK page failed:\n%s", raw)
	var res sdkResult
	require.NoError(t, json.Unmarshal([]byte(raw), &res), raw)
	require.True(t, res.Done, raw)
	st := res.Steps

	t.Run("init", func(t *testing.T) {
		assert.Equal(t, 3, st.Env.WindowNameFields, "window.name is DOMAIN|PROTOCOL|APP_SID")
		assert.True(t, st.Env.HasQueryDomain)
		assert.True(t, st.Init.IsInit)
		assert.Equal(t, "en", st.Init.Lang)
		assert.True(t, st.Init.AppSIDMatchesName)
		assert.Equal(t, p.PortalURL(), st.Init.TargetOrigin)
		assert.Equal(t, p.PortalURL()+"/rest", st.Init.RestBase)
		assert.Equal(t, false, st.Init.InstallMode)
		assert.Equal(t, false, st.Init.FirstRun)
		assert.Equal(t, "DEFAULT", st.Init.Placement)
	})

	t.Run("auth", func(t *testing.T) {
		a := st.Auth
		require.True(t, a.Present, "getAuthData returned false")
		// b24jssdk's getAuthData gives the portal origin as domain, not DOMAIN.
		assert.Equal(t, p.PortalURL(), a.Domain)
		assert.Equal(t, sdkMemberID, a.MemberID)
		assert.Equal(t, 3600, a.ExpiresIn)
		assert.True(t, a.ExpiresOK)
		assert.Positive(t, a.TokenLen)
		assert.Len(t, a.TokenSHA, 16)
		assert.NotEmpty(t, a.RefreshSHA)
	})

	t.Run("pinAll", func(t *testing.T) {
		c := st.PinAll
		require.True(t, c.OK, "pinAll failed: %v", c.Errors)
		var got []int
		require.NoError(t, json.Unmarshal(c.Result, &got), "pinAll result %s is not int[]", c.Result)
		assert.ElementsMatch(t, want, got, "pinAll must return the IDs it pinned")
		for _, k := range []string{"start", "finish", "duration", "processing", "date_start", "date_finish", "operating", "operating_reset_at"} {
			assert.Contains(t, c.TimeKeys, k)
		}
		after := p.Sessions()
		require.Len(t, after, len(before))
		for i, s := range after {
			b := before[i]
			require.Equal(t, b.ID, s.ID)
			if slices.Contains(want, s.ID) {
				assert.True(t, s.Pinned, "session %d should be pinned", s.ID)
			} else {
				assert.Equal(t, b.Pinned, s.Pinned, "session %d (operator %d, closed %v) must be untouched", s.ID, s.Operator, s.Closed)
			}
		}
	})

	t.Run("refresh", func(t *testing.T) {
		r := st.Refresh
		require.True(t, r.Present && r.Returned, "refreshAuth gave no auth data")
		assert.True(t, r.TokenChanged, "refreshAuth must bring a new access token")
		assert.Positive(t, r.TokenLen)
		assert.True(t, r.ExpiresOK)
		assert.NotEqual(t, st.Auth.RefreshSHA, r.RefreshSHA, "a new refresh token too")
		// The call after the refresh went with the new token and REST took it.
		c := st.AfterRefresh
		require.True(t, c.OK, "the call after refreshAuth failed: %v", c.Errors)
		assert.Equal(t, r.TokenSHA, c.TokenSHA)
		var again []int
		require.NoError(t, json.Unmarshal(c.Result, &again), "%s", c.Result)
		assert.Empty(t, again, "nothing is left to pin")
	})

	t.Run("expired token", func(t *testing.T) {
		e := st.Expiry
		assert.True(t, e.RefreshedBySDK, "after a 401 expired_token the SDK must refresh by itself")
		assert.Empty(t, e.Errors, "the SDK's retry after the refresh must succeed")
		assert.NotEqual(t, st.Refresh.TokenSHA, e.TokenSHA)
		var saw401 bool
		for _, r := range p.Requests() {
			if r.Status == 401 {
				assert.Equal(t, "expired_token", r.Error)
				saw401 = true
			}
		}
		assert.True(t, saw401, "the portal never answered 401 expired_token")
	})

	t.Run("frame messages", func(t *testing.T) {
		counts := map[string]int{}
		for _, ev := range p.FrameEvents() {
			assert.True(t, ev.Accepted, "the portal dropped the SDK's %q (%s): %s", ev.Command, ev.Reason, ev.RawParams)
			assert.Equal(t, p.AppURL(), ev.Origin)
			if ev.Callback != "" {
				assert.True(t, ev.Replied, "%s with callback got no reply", ev.Command)
			}
			counts[ev.Command]++
		}
		assert.Equal(t, 1, counts["getInitData"])
		assert.Equal(t, 2, counts["refreshAuth"], "one explicit refreshAuth, one after expired_token")
	})

	t.Run("REST transport", func(t *testing.T) {
		var posts, preflights int
		for _, r := range p.Requests() {
			t.Logf("%s %s %s -> %d %s", r.HTTPMethod, r.Path, r.ContentType, r.Status, r.Error)
			assert.Equal(t, p.AppURL(), r.Origin, "%s %s", r.HTTPMethod, r.Path)
			assert.False(t, strings.HasSuffix(r.Path, ".json"), "b24jssdk calls /rest/{method} without .json: %s", r.Path)
			switch r.HTTPMethod {
			case http.MethodOptions:
				preflights++
				assert.Equal(t, http.StatusOK, r.Status, "preflight %s", r.Path)
			case http.MethodPost:
				posts++
				assert.True(t, strings.HasPrefix(r.ContentType, "application/json"), "b24jssdk posts JSON, got %q", r.ContentType)
				assert.True(t, r.TokenInBody, "the token travels as auth in the JSON body")
				assert.False(t, r.TokenInQuery, "never in the URL")
				assert.False(t, r.Webhook)
			default:
				t.Errorf("unexpected %s %s", r.HTTPMethod, r.Path)
			}
		}
		assert.GreaterOrEqual(t, posts, 4, "pinAll, pinAll, server.time (401), server.time")
		assert.Positive(t, preflights, "a JSON POST costs a CORS preflight")
		pinPath := "/rest/imopenlines.session.mode.pinAll"
		assert.True(t, slices.ContainsFunc(p.Requests(), func(r devportal.RequestRecord) bool {
			return r.HTTPMethod == http.MethodOptions && r.Path == pinPath && r.Status == http.StatusOK
		}), "no preflight for pinAll")

		// The preflight Chromium sent for the SDK's POST, replayed: the answer
		// must be the REST module's, per the facts.
		req, _ := http.NewRequest(http.MethodOptions, p.PortalURL()+pinPath+"?bx24_request_id=x", nil)
		req.Header.Set("Origin", p.AppURL())
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, body.String())
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
		assert.Contains(t, strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "content-type")
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
	})
}

// buildSDKPage installs the page's npm dependencies when needed and bundles
// it; it returns the folder the dev portal serves. Missing Node or npm fail
// the test with the command that installs them.
func buildSDKPage(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("sdk")
	require.NoError(t, err)
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the SDK conformance test needs Node.js 20+ and npm, and %s is not on PATH.\n"+
				"Install them, e.g. as root: apt-get install -y nodejs npm (where the distribution ships Node 20+),\n"+
				"or Node.js 20+ from https://nodejs.org/ ; then run: go test ./e2e -run TestSDKConformance", tool)
		}
	}
	ver, err := exec.Command("node", "--version").Output()
	require.NoError(t, err, "node --version")
	if major, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(strings.TrimSpace(string(ver)), "v"), ".", 2)[0]); major < 20 {
		t.Fatalf("@bitrix24/b24jssdk needs Node.js 20+, found %s; install Node.js 20+ (https://nodejs.org/)", strings.TrimSpace(string(ver)))
	}

	npm := func(args ...string) {
		t.Helper()
		cmd := exec.Command("npm", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"npm_config_cache="+filepath.Join(dir, ".npm-cache"),
			"npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false",
		)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("npm %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out.String())
		}
		t.Logf("npm %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	}

	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	require.NoError(t, err)
	sum := sha256.Sum256(lock)
	stamp := filepath.Join(dir, "node_modules", ".pinall-lock-sha256")
	if got, err := os.ReadFile(stamp); err != nil || string(got) != hex.EncodeToString(sum[:]) {
		npm("ci", "--no-audit", "--no-fund")
		require.NoError(t, os.WriteFile(stamp, []byte(hex.EncodeToString(sum[:])), 0o644))
	}
	npm("run", "--silent", "build")
	dist := filepath.Join(dir, "dist")
	for _, f := range []string{"index.html", "main.js"} {
		_, err := os.Stat(filepath.Join(dist, f))
		require.NoError(t, err, "the bundle did not produce %s", f)
	}
	return dist
}

// ---- Adapter to the e2e browser harness -------------------------------------
//
// The SDK test needs only this from a browser: the portal page open in
// headless Chromium, and the app iframe's DOM readable. When the shared e2e
// harness lands, openAppFrame becomes a call into it.

type appFrame interface {
	// WaitState waits until html[data-sdk-state] is one of states.
	WaitState(ctx context.Context, states ...string) (string, error)
	// Text returns the textContent of the first element matching sel.
	Text(ctx context.Context, sel string) (string, error)
}

type cdpFrame struct{ ctx context.Context }

func openAppFrame(t *testing.T, ctx context.Context, portalURL, appOrigin string) appFrame {
	t.Helper()
	exe := "/usr/bin/chromium"
	if _, err := os.Stat(exe); err != nil {
		exe = ""
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
	)
	if exe != "" {
		opts = append(opts, chromedp.ExecPath(exe))
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	_, err := chromedp.Run(bctx, chromedp.Navigate(portalURL))
	require.NoError(t, err, "open the portal page (is Chromium installed? make chromium)")

	// The app iframe is cross-site (127.0.0.1 in localhost), so Chromium runs
	// it as its own target: attach to it.
	for {
		infos, err := chromedp.Targets(bctx)
		require.NoError(t, err)
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, appOrigin+"/") {
				fctx, fcancel := chromedp.NewContext(bctx, chromedp.WithTargetID(info.TargetID))
				t.Cleanup(fcancel)
				return cdpFrame{fctx}
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no app iframe target from %s appeared", appOrigin)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (f cdpFrame) WaitState(ctx context.Context, states ...string) (string, error) {
	var last string
	for {
		s, err := chromedp.Run(f.ctx, chromedp.Evaluate[string](`document.documentElement.dataset.sdkState || ""`))
		if err == nil {
			last = s
			if slices.Contains(states, s) {
				return s, nil
			}
		}
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("waiting for data-sdk-state in %v (last %q): %w", states, last, errors.Join(ctx.Err(), err))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (f cdpFrame) Text(_ context.Context, sel string) (string, error) {
	js := fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel)
	return chromedp.Run(f.ctx, chromedp.Evaluate[string](js))
}
