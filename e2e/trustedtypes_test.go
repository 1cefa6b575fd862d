//go:build !js

package e2e

// The Trusted Types fence: every page the app ships (widget/index.html,
// widget/install.html and their packed forms in dist/pinall.zip) requires
// Trusted Types for scripts and allows no policy
// (`require-trusted-types-for 'script'; trusted-types 'none'`), so a string
// can never reach an HTML, script or script-URL sink, whatever code hands it
// over. The app itself writes text only (TestCSPNoViolations and
// TestConsoleClean hold it at zero violations under the directive); this test
// proves the browser refuses the strings, in each of the three engines.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// ttDirectives are what each shipped page's CSP holds for Trusted Types.
const ttDirectives = `require-trusted-types-for 'script'; trusted-types 'none'`

// ttProbe hands a string to each kind of sink in the app's document, on
// detached elements and with inert markup, so that where a sink takes it
// nothing loads or runs, and tries to make a policy (a "default" one would turn every
// string into trusted HTML). It reports what threw and the violations the
// document heard.
const ttProbe = `(async () => {
	const seen = [];
	const on = (e) => seen.push(e.effectiveDirective);
	document.addEventListener("securitypolicyviolation", on);
	const div = document.createElement("div");
	const script = document.createElement("script");
	const sinks = {
		innerHTML: () => { div.innerHTML = "<b>1</b>"; },
		insertAdjacentHTML: () => { div.insertAdjacentHTML("beforeend", "<b>2</b>"); },
		"script.text": () => { script.text = "alert(3)"; },
		"script.src": () => { script.src = "data:text/javascript,alert(4)"; },
		createPolicy: () => { trustedTypes.createPolicy("default", { createHTML: (s) => s }); },
	};
	const threw = {};
	for (const [name, f] of Object.entries(sinks)) {
		try { f(); threw[name] = ""; } catch (e) { threw[name] = e.name; }
	}
	// Violation events are queued as tasks: give them a moment.
	for (let i = 0; i < 50 && seen.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
	document.removeEventListener("securitypolicyviolation", on);
	return {
		supported: typeof trustedTypes === "object" && trustedTypes !== null,
		policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]').content,
		threw,
		violations: seen,
		nodes: div.childNodes.length,
		scriptSet: script.text !== "" || script.hasAttribute("src"),
		agent: navigator.userAgent,
	};
})()`

type ttResult struct {
	Supported  bool              `json:"supported"`
	Policy     string            `json:"policy"`
	Threw      map[string]string `json:"threw"`
	Violations []string          `json:"violations"`
	Nodes      int               `json:"nodes"`
	ScriptSet  bool              `json:"scriptSet"`
	Agent      string            `json:"agent"`
}

// ttSinks are the probe's HTML, script and script-URL sinks; createPolicy is
// checked apart (it needs trustedTypes).
var ttSinks = []string{"innerHTML", "insertAdjacentHTML", "script.text", "script.src"}

// ttPage is one page the app ships, opened in the dev portal.
type ttPage struct {
	name  string
	zip   bool   // the packed page from dist/pinall.zip, not widget/'s
	page  string // index.html or install.html
	state string // the state the page reaches when it works
}

var ttPages = []ttPage{
	{"widget", false, "index.html", stateReady},
	{"installer", false, "install.html", stateDone},
	{"zip widget", true, "index.html", stateReady},
	{"zip installer", true, "install.html", stateDone},
}

// ttConsole matches what an engine logs about a Trusted Types violation
// (Chromium, Firefox; WebKitGTK's driver shows none).
var ttConsole = regexp.MustCompile(`require-trusted-types-for|trusted-types 'none'|requires 'Trusted(HTML|Script|ScriptURL)' assignment`)

// TestTrustedTypesFence opens each shipped page in each engine and hands
// strings to its sinks: each one throws a TypeError and is reported as a
// violation, and no policy can be made; the same page without the directive
// (the control) takes them, so the test fails if the directive goes. Every
// engine here implements Trusted Types (Chromium since 83, Firefox since 148,
// Firefox ESR 153; Safari 26 and WebKitGTK 2.50): one without them fails
// here by name, as the fence would not hold in it. Older engines ignore the
// directive; the app hands no string to a sink, so its pages work there too.
func TestTrustedTypesFence(t *testing.T) {
	for _, spec := range engines {
		t.Run(spec.name, func(t *testing.T) {
			for _, tp := range ttPages {
				t.Run(tp.name, func(t *testing.T) {
					dir := widgetDir(t)
					if tp.zip {
						dir = unzipDist(t)
					}
					r := ttOpen(t, spec.get(t).newPage(t), dir, tp)
					assert.Contains(t, r.Policy, ttDirectives, "the page's CSP")
					require.True(t, r.Supported, "%s (%s) has no Trusted Types (window.trustedTypes is missing): "+
						"the fence does not hold in it; docs/testing.md lists the engines that enforce it", spec.name, r.Agent)
					for _, s := range ttSinks {
						assert.Equal(t, "TypeError", r.Threw[s], "a string to %s must throw", s)
					}
					assert.Equal(t, "TypeError", r.Threw["createPolicy"], "trusted-types 'none' refuses every policy")
					assert.Zero(t, r.Nodes, "the strings became nodes")
					assert.False(t, r.ScriptSet, "a script element took a string")
					assert.Equal(t, len(ttSinks), countOf(r.Violations, "require-trusted-types-for"), "violations: %v", r.Violations)
					assert.Equal(t, 1, countOf(r.Violations, "trusted-types"), "violations: %v", r.Violations)
					t.Logf("%s, %s: Trusted Types enforced (%s): %d sinks threw TypeError, no policy, violations %v",
						spec.name, tp.name, r.Agent, len(ttSinks), r.Violations)
				})
			}
			// The control: the same widget without the directive takes the
			// strings, so the probe tells a fenced page from an open one.
			t.Run("control without the directive", func(t *testing.T) {
				dir := copyWidget(t)
				index := filepath.Join(dir, "index.html")
				b, err := os.ReadFile(index)
				require.NoError(t, err)
				require.Equal(t, 1, strings.Count(string(b), "; "+ttDirectives))
				require.NoError(t, os.WriteFile(index, []byte(strings.Replace(string(b), "; "+ttDirectives, "", 1)), 0o644))
				r := ttOpen(t, spec.get(t).newPage(t), dir, ttPages[0])
				require.NotContains(t, r.Policy, "trusted-types")
				for _, s := range ttSinks {
					assert.Empty(t, r.Threw[s], "%s threw on a page without the directive", s)
				}
				assert.Empty(t, r.Threw["createPolicy"], "a page without the directive may make a policy")
				assert.Equal(t, 2, r.Nodes, "innerHTML and insertAdjacentHTML made their nodes")
				assert.Empty(t, r.Violations)
			})
		})
	}
}

// ttOpen opens tp from dir in the dev portal in pg, waits until it works,
// checks that its start-up logged no Trusted Types violation (where the
// engine's console shows them), and runs the probe in it.
func ttOpen(t *testing.T, pg enginePage, dir string, tp ttPage) ttResult {
	t.Helper()
	p := startPortal(t, devportal.Config{WidgetDir: dir, Install: tp.page == "install.html"})
	a := openPortalApp(t, pg, p, "")
	require.Equal(t, tp.state, a.waitState(tp.state, stateError), "the page works under the directive: %+v", a.dom())
	require.Equal(t, "/"+tp.page, evalAs[string](a, `location.pathname`))
	for _, l := range pg.console() {
		assert.NotRegexp(t, ttConsole, l.Text, "a violation before the probe: %s", l)
	}
	pg.allowConsole(ttConsole.String())
	return evalAs[ttResult](a, ttProbe)
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
