//go:build !js

package e2e

// The main scenarios in every engine operators use: Chromium (chromedp,
// engine_chromium_test.go), Firefox ESR (its built-in WebDriver BiDi,
// engine_firefox_test.go) and WebKitGTK, Safari's engine (WebKitWebDriver,
// W3C WebDriver classic, under Xvfb: engine_webkit_test.go). One table of
// scenarios, written once against the page API (harness_test.go);
// TestEngines runs it per engine as TestEngines/<engine>/<scenario>. A
// missing engine fails its subtests with the command that installs it;
// nothing skips.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// engine is one browser kind. Started once per test binary, on first use.
type engine interface {
	// newPage opens a fresh page (its own cookies, cache and storage), closed
	// when t ends.
	newPage(t *testing.T) enginePage
}

// engineSpec names an engine, how to get it, and how to start it.
type engineSpec struct {
	name    string
	install string // the one command that installs it
	start   func() (engine, func(), error)
	// keepsCache: Cache Storage outlives the document that wrote it.
	// Not so in WebKitGTK's automation session (measured: put, reload the
	// frame or the top-level page, and keys() is empty), so there every
	// open loads the wasm from the network, as where storage is refused.
	keepsCache bool
	once       sync.Once
	eng        engine
	stop       func()
	err        error
}

// engines are the three engines, in the order TestEngines runs them.
var engines = []*engineSpec{
	{name: "chromium", install: "sudo apt-get install -y chromium", start: startChromium, keepsCache: true},
	{name: "firefox", install: "sudo apt-get install -y firefox-esr", start: startFirefox, keepsCache: true},
	{name: "webkit", install: "sudo apt-get install -y webkit2gtk-driver xvfb", start: startWebKit},
}

// get starts the engine once, or fails t with the command that installs it.
func (s *engineSpec) get(t *testing.T) engine {
	t.Helper()
	s.once.Do(func() {
		start := time.Now()
		s.eng, s.stop, s.err = s.start()
		if s.err == nil {
			fmt.Fprintf(os.Stderr, "e2e: %s started in %v\n", s.name, time.Since(start).Round(time.Millisecond))
		}
	})
	if s.err != nil {
		t.Fatalf("e2e: %s: %v\n    install it with: %s   (or: make browsers)", s.name, s.err, s.install)
	}
	return s.eng
}

// stopEngines ends every engine started (TestMain calls it).
func stopEngines() {
	for _, s := range engines {
		if s.stop != nil {
			s.stop()
		}
	}
}

// logAppErrors logs the widget's console errors and warnings (failing or
// not: a widget's own error in one engine is worth seeing in every run).
func logAppErrors(t *testing.T, pg enginePage) {
	if t.Failed() {
		return // pageCleanup logs the whole console
	}
	for _, l := range pg.console() {
		if l.From == "app" && (l.Kind == "error" || l.Kind == "warn" || l.Kind == "warning" || l.Exception) {
			t.Logf("console: %s", l)
		}
	}
}

// ---------------------------------------------------------------------------
// The scenarios.

// engineScenario is one thing a user does, run in every engine.
type engineScenario struct {
	name string
	run  func(t *testing.T, pg enginePage)
}

var engineScenarios = []engineScenario{
	{"ready", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "lang=ru")
		d := a.dom()
		assert.Equal(t, "ru-RU", d.Lang)
		assert.Equal(t, "Закрепить все", d.PinLabel)
		assert.Empty(t, p.Requests(), "no REST call before a click")
		// The portal page reports each frame message to the portal a moment
		// after answering it.
		eventually(t, waitTimeout, "getInitData in the portal's log", func() bool { return len(frameEvents(p, "getInitData")) > 0 })
		assert.Equal(t, p.AppURL(), frameEvents(p, "getInitData")[0].Origin, "the app asked the portal for its init data")
		// The loader asked while the wasm loaded, and the program took that
		// answer instead of asking again.
		asked := evalAs[string](a, `pinallHost.asked ? pinallHost.asked.id : ""`)
		assert.Len(t, asked, 20, "the loader asked for the init data")
		a.still()
		if evs := frameEvents(p, "getInitData"); assert.Len(t, evs, 1, "one getInitData an open") {
			assert.Equal(t, asked, evs[0].Callback, "the answer taken is the loader's question's")
		}
	}},
	{"pin all", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		want := pinnable(before, operator)
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.Equal(t, want, sorted(d.SessionIDs), "the list shows what the portal pinned")
		assertOnlyChanged(t, before, p.Sessions(), want, true)
		assert.Contains(t, d.Status, fmt.Sprintf("Pinned %d conversations", len(want)))
		assert.Empty(t, d.Alert)
		assert.Len(t, restCalls(p, mPinAll), 1, "one click, one pinAll")
	}},
	{"unpin all", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		want := unpinnable(before, operator)
		require.NotEmpty(t, want)
		require.True(t, slices.ContainsFunc(before, func(s devportal.SessionView) bool { return s.Operator != operator && s.Pinned }),
			"the demo needs another operator's pinned session to prove it is left alone")
		a.click("#unpin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.Equal(t, want, sorted(d.SessionIDs))
		assertOnlyChanged(t, before, p.Sessions(), want, false)
		assert.Contains(t, d.Status, fmt.Sprintf("Unpinned %d conversations", len(want)))
		assert.Empty(t, d.Alert)
		assert.Len(t, restCalls(p, mUnpinAll), 1)
		assert.Empty(t, restCalls(p, mPinAll))

		// Pin all, then unpin all again: the second unpin undoes every open
		// session of the operator, and the list says so.
		open := selectIDs(before, func(s devportal.SessionView) bool { return s.Operator == operator && !s.Closed })
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, open, sorted(a.dom().SessionIDs))
		a.click("#unpin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, open, sorted(a.dom().SessionIDs))
		assert.Empty(t, unpinnable(p.Sessions(), operator), "the operator has pinned sessions left")
	}},
	{"missing scope in words", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		p.SetScopes("placement", "im")
		a.click("#pin-all")
		require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.Contains(t, d.Alert, "imopenlines", "the alert names the missing permission")
		assert.Contains(t, strings.ToLower(d.Alert), "administrator", "the alert says who can fix it")
		assert.Empty(t, d.Status, "no outcome on the status line after an error")
		assert.True(t, d.PinEnabled && d.UnpinEnabled, "buttons after an error: %+v", d)
		assert.Equal(t, before, p.Sessions())
		calls := restCalls(p, mPinAll)
		require.Len(t, calls, 1, "no retry for a missing scope")
		assert.Equal(t, "insufficient_scope", calls[0].Error)
		p.SetScopes("imopenlines", "placement", "im")
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Empty(t, a.dom().Alert, "the alert is cleared after a success")
	}},
	{"HTML 502 in words, then recovery", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "")
		before := p.Sessions()
		require.NoError(t, p.InjectFault(devportal.Fault{Kind: devportal.FaultHTML502, Method: mPinAll}))
		a.click("#pin-all")
		require.Equal(t, stateError, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d := a.dom()
		assert.NotEmpty(t, d.Alert)
		assert.NotContains(t, d.Alert, "<", "markup from the error page must not reach the user")
		assert.NotContains(t, strings.ToLower(d.Alert), "bad gateway", "the proxy's page is not the message")
		assert.True(t, d.PinEnabled && d.UnpinEnabled, "buttons after an error: %+v", d)
		assert.Equal(t, before, p.Sessions())
		calls := restCalls(p, mPinAll)
		require.Len(t, calls, 1, "an HTML page is not retried")
		assert.Equal(t, 502, calls[0].Status)

		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		d = a.dom()
		assert.Empty(t, d.Alert, "the alert is cleared after a success")
		assert.Equal(t, pinnable(before, operator), sorted(d.SessionIDs))
		assertOnlyChanged(t, before, p.Sessions(), pinnable(before, operator), true)
	}},
	{"outside Bitrix24", func(t *testing.T, pg enginePage) {
		p := startPortal(t, devportal.Config{})
		a := openTopApp(t, pg, p.AppURL()+"/index.html")
		require.Equal(t, stateError, a.waitState(stateError, stateReady), "page: %+v", a.dom())
		d := a.dom()
		assert.Contains(t, d.Alert, "only inside Bitrix24")
		assert.False(t, d.PinEnabled || d.UnpinEnabled, "buttons off outside the portal: %+v", d)
		assert.Empty(t, p.Requests(), "no REST call outside the portal")
		assert.Empty(t, p.FrameEvents(), "no frame message reached the portal")
	}},
	{"sidebar pins its dialog", func(t *testing.T, pg enginePage) {
		p, a := readyApp(t, pg, devportal.Config{}, "placement=IM_SIDEBAR&dialog=chat1364")
		assert.False(t, evalAs[bool](a, `document.getElementById("pa-dialog").hidden`), "the dialog block shows in the sidebar")
		pinsChat1364(a, p)
	}},
	{"the zip as uploaded: install, then pin all", func(t *testing.T, pg enginePage) {
		// The zip's pages carry their scripts inline under a CSP of hashes
		// (internal/distpage): each engine must run them.
		unzipDist(t) // the zip holds the current build
		p := startPortal(t, devportal.Config{AppZip: filepath.Join(repoRoot(t), "dist", "pinall.zip"), Install: true})
		a := openPortalApp(t, pg, p, "lang=ru")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "installer page: %+v", a.dom())
		a.click("#install-finish")
		eventually(t, waitTimeout, "setInstallFinish at the portal", p.Installed)
		eventually(t, waitTimeout, "the widget in the frame", func() bool {
			return evalAs[string](a, `location.pathname`) == "/index.html"
		})
		a.observe()
		require.Equal(t, stateReady, a.waitState(stateReady, stateError), "page: %+v", a.dom())
		assert.Equal(t, "Закрепить все", a.dom().PinLabel)
		before := p.Sessions()
		want := pinnable(before, operator)
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, want, sorted(a.dom().SessionIDs))
		assertOnlyChanged(t, before, p.Sessions(), want, true)
	}},
	{"installer finishes", func(t *testing.T, pg enginePage) {
		p := startPortal(t, devportal.Config{Install: true})
		a := openPortalApp(t, pg, p, "")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "page: %+v", a.dom())
		assert.Equal(t, map[string]string{"IM_NAVIGATION": "bound", "IM_SIDEBAR": "bound"},
			evalAs[map[string]string](a, `Object.fromEntries([...document.querySelectorAll("#placements li[data-placement]")].map((li) => [li.dataset.placement, li.dataset.result]))`))
		require.False(t, p.Installed(), "the installer waits for the admin's click")
		a.click("#install-finish")
		eventually(t, waitTimeout, "setInstallFinish at the portal", p.Installed)
		require.Len(t, frameEvents(p, "setInstallFinish"), 1)
		// The portal then loads the widget into the same frame.
		eventually(t, waitTimeout, "the widget in the frame", func() bool {
			return evalAs[string](a, `location.pathname`) == "/index.html"
		})
		a.observe()
		assert.Equal(t, stateReady, a.waitState(stateReady, stateError), "page: %+v", a.dom())
	}},
}

// TestEngines runs every scenario in every engine.
func TestEngines(t *testing.T) {
	for _, spec := range engines {
		t.Run(spec.name, func(t *testing.T) {
			start := time.Now()
			for _, sc := range slices.Concat(engineScenarios, langScenarios) {
				t.Run(sc.name, func(t *testing.T) {
					pg := spec.get(t).newPage(t)
					t.Cleanup(func() { logAppErrors(t, pg) })
					sc.run(t, pg)
				})
			}
			t.Logf("%s: %d scenarios in %v", spec.name, len(engineScenarios)+len(langScenarios), time.Since(start).Round(time.Millisecond))
		})
	}
}
