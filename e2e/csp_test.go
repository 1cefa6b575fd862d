//go:build !js

package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// cspWatch records securitypolicyviolation events in the app's document from
// its first script on: it is added to every new document of the app target,
// and the app is reloaded so that start-up is watched too.
const cspWatch = `(() => {
	window.__e2eCSP = [];
	document.addEventListener("securitypolicyviolation", (e) =>
		window.__e2eCSP.push(e.effectiveDirective + " " + e.blockedURI + " " + (e.sample || "")));
})()`

// reloadWatched reloads the app with js in place before its first script
// (cspWatch) and waits for it to be ready again.
func reloadWatched(t *testing.T, tb *tab, a *app, js string) {
	t.Helper()
	tb.reloadApp(a, js)
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "page: %+v", a.dom())
}

func cspViolations(a *app) []string {
	a.t.Helper()
	return evalAs[[]string](a, `window.__e2eCSP || []`)
}

// The widget runs under its strict policy (index.html: no inline script or
// style, 'wasm-unsafe-eval' only; the zip's index.html: only its own inlined
// scripts and stylesheet, by hash; both: Trusted Types required, no policy),
// enforced by the browser: start-up, pin all, the looked-up names, unpin
// all, an error and a recovery cause zero violations; a negative control
// proves the listener hears one. TestTrustedTypesFence proves the Trusted
// Types half refuses strings, in every engine.
func TestCSPNoViolations(t *testing.T) {
	t.Parallel()
	hash := `'sha256-[A-Za-z0-9+/]{43}='`
	for _, c := range []struct {
		name   string
		cfg    func(t *testing.T) devportal.Config
		policy []string // regexps the policy holds
	}{
		{"widget folder", func(*testing.T) devportal.Config { return devportal.Config{} },
			[]string{`default-src 'none'`, `script-src 'self' 'wasm-unsafe-eval'`, `style-src 'self'`, ttDirectives}},
		// The zip's pages name their inlined scripts and stylesheet by hash
		// (internal/distpage), not 'self'.
		{"the zip", func(t *testing.T) devportal.Config {
			unzipDist(t) // the zip holds the current build
			return devportal.Config{AppZip: filepath.Join(repoRoot(t), "dist", "pinall.zip")}
		}, []string{`default-src 'none'`, `script-src (` + hash + ` ){4}'wasm-unsafe-eval';`, `style-src ` + hash + `;`, ttDirectives}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cspCycle(t, c.cfg(t), c.policy)
		})
	}
}

func cspCycle(t *testing.T, cfg devportal.Config, want []string) {
	p, tb, a := openReady(t, cfg, "")
	policy := evalAs[string](a, `document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`)
	for _, d := range want {
		assert.Regexp(t, d, policy)
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval'", "'unsafe-hashes'", "*;"} {
		assert.NotContains(t, strings.ReplaceAll(policy, "wasm-unsafe-eval", ""), bad)
	}
	reloadWatched(t, tb, a, cspWatch)

	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	eventually(t, waitTimeout, "the names of the pinned sessions' dialogs", func() bool {
		return evalAs[bool](a, `document.querySelectorAll("#sessions li[data-lookup]").length > 0 && !document.querySelector("#sessions li[data-session-id]:not([data-lookup])")`)
	})
	a.click("#unpin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultHTML502, Method: mPinAll}))
	a.click("#pin-all")
	require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	a.click("#pin-all")
	require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
	assert.Empty(t, cspViolations(a), "CSP violations during the cycle")
	for _, l := range tb.console() {
		assert.NotContains(t, l.Text, "Content Security Policy", "console: %s", l)
	}

	// Negative control: an inline style and a style attribute are refused,
	// and the listener hears both.
	evalAs[any](a, `(() => {
		const s = document.createElement("style"); s.textContent = "body{color:red}"; document.head.appendChild(s);
		document.body.setAttribute("style", "color:red");
	})()`)
	eventually(t, 5*time.Second, "the control's violations", func() bool { return len(cspViolations(a)) >= 2 })
	t.Logf("CSP: 0 violations in the cycle; control: %v", cspViolations(a))
}

// Payloads that would run script if they ever reached the DOM as markup.
var xssPayloads = []string{
	`<img src=x onerror="window.__xss=1">`,
	`"><svg onload="window.__xss=2">`,
	`<script>window.__xss=3</script>`,
	`'><iframe src="javascript:parent.__xss=4">`,
}

// xssCheck reads what a payload would have left in the app's document.
type xssCheck struct {
	Flag     int    `json:"flag"`
	Elements int    `json:"elements"` // img, svg, iframe, object, embed, inline script
	Handlers int    `json:"handlers"` // elements with an on* attribute
	Scripts  int    `json:"scripts"`  // every script element
	CSP      int    `json:"csp"`      // violations (a blocked handler would be one)
	Text     string `json:"text"`
}

func readXSS(a *app) xssCheck {
	a.t.Helper()
	return evalAs[xssCheck](a, `({
		flag: window.__xss || 0,
		elements: document.querySelectorAll("img,svg,iframe,object,embed,script:not([src])").length,
		handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
		scripts: document.scripts.length,
		csp: (window.__e2eCSP || []).length,
		text: document.body.textContent,
	})`)
}

func assertNoXSS(t *testing.T, a *app, where string) xssCheck {
	t.Helper()
	c := readXSS(a)
	assert.Zero(t, c.Flag, "%s: a payload ran", where)
	assert.Zero(t, c.Elements, "%s: a payload made an element", where)
	assert.Zero(t, c.Handlers, "%s: a payload made a handler", where)
	assert.Equal(t, 4, c.Scripts, "%s: build.js, wasm_exec.js, rows.js and loader.js only", where)
	assert.Zero(t, c.CSP, "%s: something tried to run inline", where)
	return c
}

// Every init-data string and every server string reaches the DOM as text:
// LANG, PLACEMENT, PLACEMENT_OPTIONS (a string, and a dialogId), an unknown
// error code, error_description, and the dialog names of the listed sessions.
func TestXSSPayloadsStayText(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{RateLimit: devportal.RateLimit{PerSecond: 100, Burst: 1000}})
	tb := newTab(t)
	checks := 0
	for i, c := range []struct {
		name string
		init map[string]any
	}{
		{"LANG PLACEMENT PLACEMENT_OPTIONS", map[string]any{"LANG": xssPayloads[0], "PLACEMENT": xssPayloads[1], "PLACEMENT_OPTIONS": xssPayloads[2]}},
		{"sidebar dialogId", map[string]any{"LANG": xssPayloads[3], "PLACEMENT": "IM_SIDEBAR", "PLACEMENT_OPTIONS": map[string]any{"dialogId": xssPayloads[0], "URI": xssPayloads[1]}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p.SetInitOverride(c.init)
			a := openPortalApp(t, tb, p, "lang="+[]string{"en", "%22%3E%3Cimg%20src%3Dx%20onerror%3D1%3E"}[i])
			reloadWatched(t, tb, a, cspWatch)
			checks++
			assertNoXSS(t, a, "after start-up")
			if i > 0 {
				return
			}
			// Server strings: an unknown code and a description, both hostile.
			for _, pl := range xssPayloads {
				require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: pl, Status: 400, Description: pl, Method: mPinAll}))
				a.click("#pin-all")
				require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
				checks++
				assertNoXSS(t, a, "error "+pl)
				assert.Contains(t, a.dom().Alert, pl[:8], "the payload is shown as text")
			}
			// Dialog names, looked up after pin all.
			d := devportal.DemoData()
			for j := range d.Chats {
				d.Chats[j].Name = xssPayloads[j%len(xssPayloads)]
			}
			require.NoError(t, p.SetSessions(d))
			a.click("#pin-all")
			require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
			eventually(t, waitTimeout, "the dialog names", func() bool {
				return evalAs[bool](a, `document.querySelectorAll("#sessions li[data-lookup=done]").length > 0 && !document.querySelector("#sessions li[data-session-id]:not([data-lookup])")`)
			})
			checks++
			got := assertNoXSS(t, a, "dialog names")
			assert.Contains(t, got.Text, "<img src=x", "a hostile name is shown as text")
		})
	}
	t.Logf("XSS: %d payloads, %d DOM checks, no element, handler or script from a payload", len(xssPayloads), checks)
}
