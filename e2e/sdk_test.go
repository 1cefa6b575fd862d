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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

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
		Frame struct {
			InterfaceCommands []string       `json:"interface_commands"`
			Resize            map[string]any `json:"resize"`
			Title             map[string]any `json:"title"`
			Messenger         map[string]any `json:"messenger"`
		} `json:"frame"`
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

	p := startPortal(t, devportal.Config{WidgetDir: dist, MemberID: sdkMemberID})

	before := p.Sessions()
	var want []int // the operator's open, unpinned sessions: what pinAll must pin
	for _, s := range before {
		if s.Operator == 1 && !s.Closed && !s.Pinned {
			want = append(want, s.ID)
		}
	}
	require.NotEmpty(t, want, "the demo data must leave something for pinAll to pin")

	// newTab also fails the test on an uncaught exception in the page.
	a := openPortalApp(t, newTab(t), p, "")
	state := a.waitStateWithin(30*time.Second, "await-expiry", stateDone, stateError)
	if state == "await-expiry" {
		p.ExpireTokens() // the SDK's next call must get 401 expired_token, refresh and retry
		state = a.waitState(stateDone, stateError)
	}
	raw := evalAs[string](a, `document.getElementById("result").textContent`)
	// #result holds no token, only SHA-256 prefixes: safe to show.
	require.Equal(t, stateDone, state, "SDK page failed:\n%s", raw)
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

	t.Run("frame commands", func(t *testing.T) {
		f := st.Frame
		for _, c := range []string{"getInitData", "refreshAuth", "resizeWindow", "setTitle", "imOpenMessenger"} {
			assert.Contains(t, f.InterfaceCommands, c)
		}
		// resizeWindow and setTitle are answered; a missing answer would
		// show as the SDK's own timeout result {isSafely: true}.
		assert.Equal(t, map[string]any{"width": 420.0, "height": 360.0}, f.Resize)
		assert.Equal(t, map[string]any{"title": "SDK conformance"}, f.Title)
		assert.Equal(t, map[string]any{"isSafely": true}, f.Messenger, "imOpenMessenger has no reply")
		var opened bool
		for _, ev := range p.FrameEvents() {
			opened = opened || (ev.Command == "imOpenMessenger" && ev.DialogID == "chat1")
		}
		assert.True(t, opened, "the portal did not open chat1 for the SDK's imOpenMessenger")
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
			if ev.Callback != "" && ev.Command != "imOpenMessenger" { // the facts: no reply
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
	dir := filepath.Join(repoRoot(t), "e2e", "sdk")
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

	npmCI(t, dir)
	npm(t, dir, "run", "--silent", "build")
	dist := filepath.Join(dir, "dist")
	for _, f := range []string{"index.html", "main.js"} {
		_, err := os.Stat(filepath.Join(dist, f))
		require.NoError(t, err, "the bundle did not produce %s", f)
	}
	return dist
}

// npm runs npm in dir (a folder of e2e/ with its own package.json), its cache
// under dir/.npm-cache, and fails the test with npm's output on error.
func npm(t *testing.T, dir string, args ...string) {
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

// npmCI runs npm ci in dir only when node_modules is missing or was
// installed from another package-lock.json (a stamp holds the lock's hash).
func npmCI(t *testing.T, dir string) {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	require.NoError(t, err)
	sum := sha256.Sum256(lock)
	stamp := filepath.Join(dir, "node_modules", ".pinall-lock-sha256")
	if got, err := os.ReadFile(stamp); err != nil || string(got) != hex.EncodeToString(sum[:]) {
		npm(t, dir, "ci", "--no-audit", "--no-fund")
		require.NoError(t, os.WriteFile(stamp, []byte(hex.EncodeToString(sum[:])), 0o644))
	}
}
