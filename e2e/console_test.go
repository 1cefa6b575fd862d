//go:build !js

package e2e

// A clean console: the dev portal's page and the widget, in each state a
// user meets (loading, ready, busy, done, error, the chat sidebar, outside
// Bitrix24, the installer), log no error or warning except the widget's own
// deliberate "pinall: ..." lines when something fails on purpose. A favicon
// 404, a CSP report, an unused preload or a deprecation warning fails here.

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// noisy are the console kinds a clean page does not log.
var noisy = []string{"error", "warning", "assert", "exception", "browser:error", "browser:warning"}

// deliberate is the widget's own log of a failure it shows in words.
func deliberate(l consoleLine) bool {
	return l.From == "app" && l.Kind == "error" && strings.HasPrefix(l.Text, "pinall: ")
}

// quietConsole fails the test on every noisy console line that is neither
// deliberate nor matched by one of expected (lines a scenario causes on
// purpose). It first logs a marker in the portal page and in the app and
// waits for them: CDP delivers a target's events in order, so every line
// logged before is in.
func quietConsole(t *testing.T, tb *tab, expected ...string) {
	t.Helper()
	marker := "e2e: console flushed " + t.Name()
	docs := []func(string) (json.RawMessage, error){tb.evalPortal}
	if tb.inFrame {
		docs = append(docs, tb.evalApp)
	}
	for _, eval := range docs {
		evalWith[bool](t, eval, `(console.debug(`+strconv.Quote(marker)+`), true)`)
	}
	eventually(t, waitTimeout, "the console markers", func() bool {
		n := 0
		for _, l := range tb.console() {
			if l.Text == marker {
				n++
			}
		}
		return n == len(docs)
	})
	res := make([]*regexp.Regexp, len(expected))
	for i, e := range expected {
		res[i] = regexp.MustCompile(e)
	}
	for _, l := range tb.console() {
		if !slices.Contains(noisy, l.Kind) || deliberate(l) {
			continue
		}
		if slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return re.MatchString(l.Text) }) {
			continue
		}
		t.Errorf("console: %s", l)
	}
}

// A REST error reply is a non-2xx response, which the browser itself logs:
// expected where a test makes the portal fail.
const failedREST = `^Failed to load resource: the server responded with a status of 4\d\d .* http://[^ ]+/rest/`

func TestConsoleClean(t *testing.T) {
	t.Run("portal and widget", func(t *testing.T) {
		for _, lang := range []string{"en", "ru"} {
			_, tb, a := openReady(t, devportal.Config{Lang: lang}, "")
			a.click("#pin-all")
			require.Equal(t, stateDone, a.waitState(stateDone, stateError))
			require.Contains(t, a.clickStates(), stateBusy)
			a.click("#unpin-all")
			require.Equal(t, stateDone, a.waitState(stateDone, stateError))
			quietConsole(t, tb)
		}
	})
	t.Run("error", func(t *testing.T) {
		p, tb, a := openReady(t, devportal.Config{}, "")
		require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultError, Code: "INVALID_CREDENTIALS"}))
		tb.allowConsole(`pinall: `)
		a.click("#pin-all")
		require.Equal(t, stateError, a.waitState(stateDone, stateError))
		quietConsole(t, tb, failedREST)
	})
	t.Run("sidebar", func(t *testing.T) {
		_, tb, a := openReady(t, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
		a.waitFitted()
		a.click("#pin-dialog")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError))
		quietConsole(t, tb)
	})
	t.Run("outside Bitrix24", func(t *testing.T) {
		p := startPortal(t, devportal.Config{})
		tb := newTab(t)
		tb.allowConsole(`pinall: `)
		a := openTopApp(t, tb, p.AppURL()+"/index.html")
		require.Equal(t, stateError, a.waitState(stateError))
		// Top-level here: the app's deliberate lines are the page's.
		quietConsole(t, tb, `^pinall: `)
	})
	t.Run("installer", func(t *testing.T) {
		p := startPortal(t, devportal.Config{Install: true})
		tb, a, v := openInstaller(t, p, "")
		require.Equal(t, stateDone, v.State)
		finishInstall(t, p, a)
		quietConsole(t, tb)
	})
}
