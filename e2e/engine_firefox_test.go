//go:build !js

package e2e

// Firefox ESR in the cross-engine scenarios, driven through its built-in
// WebDriver BiDi (no geckodriver): one headless Firefox per test binary, a
// BiDi user context per page (its own cookies, cache and storage, like a
// fresh profile), the app's iframe reached as a child browsing context.
// BiDi evaluates in any frame, cross-origin ones included, and reports every
// console line and uncaught error of every frame (log.entryAdded).
//
// Clicks are BiDi pointer actions at the button's centre in the app's frame,
// hit-tested by the browser (they work in the cross-origin frame here, where
// puppeteer's click once failed).

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/pinall/pinall/internal/devportal"
)

const firefoxBinary = "firefox-esr"

// firefoxPrefs go into the profile's user.js: no first-run pages, no
// network of its own (the machine has none), nothing that weakens security.
const firefoxPrefs = `user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.disabledForTesting", true);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("extensions.update.enabled", false);
`

// ---------------------------------------------------------------------------
// A small WebDriver BiDi client: commands by id over one websocket, events to
// a callback.

type bidiClient struct {
	conn    *websocket.Conn
	mu      sync.Mutex
	next    int
	pending map[int]chan bidiMessage
	onEvent func(method string, params json.RawMessage)
	done    chan struct{}
	err     error // why the connection ended, once done is closed
}

type bidiMessage struct {
	ID      *int            `json:"id"`
	Type    string          `json:"type"` // success, error, event
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

func dialBiDi(ctx context.Context, url string, onEvent func(string, json.RawMessage)) (*bidiClient, error) {
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(64 << 20)
	c := &bidiClient{conn: conn, pending: map[int]chan bidiMessage{}, onEvent: onEvent, done: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *bidiClient) read() {
	defer close(c.done)
	for {
		_, data, err := c.conn.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		var m bidiMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		if m.ID == nil {
			if m.Type == "event" && c.onEvent != nil {
				c.onEvent(m.Method, m.Params)
			}
			continue
		}
		c.mu.Lock()
		ch := c.pending[*m.ID]
		delete(c.pending, *m.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// call sends one command and decodes its result into out (if not nil).
func (c *bidiClient) call(ctx context.Context, method string, params, out any) error {
	c.mu.Lock()
	c.next++
	id := c.next
	ch := make(chan bidiMessage, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	if err := c.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		return fmt.Errorf("bidi %s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Type == "error" {
			return fmt.Errorf("bidi %s: %s: %s", method, m.Error, m.Message)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-c.done:
		return fmt.Errorf("bidi %s: connection closed: %v", method, c.err)
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("bidi %s: %w", method, ctx.Err())
	}
}

// ---------------------------------------------------------------------------
// The engine.

type firefoxEngine struct {
	bidi *bidiClient

	mu      sync.Mutex
	console map[string][]consoleLine // by top-level context
	parent  map[string]string        // child context -> top-level context
}

func startFirefox() (engine, func(), error) {
	path, err := exec.LookPath(firefoxBinary)
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not on PATH", firefoxBinary)
	}
	dir, err := os.MkdirTemp("", "pinall-e2e-firefox-")
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "user.js"), []byte(firefoxPrefs), 0o644); err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(path, "--headless", "--no-remote", "--profile", dir, "--remote-debugging-port=0", "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
		os.RemoveAll(dir)
	}
	// Firefox names its BiDi endpoint on stderr; the rest of stderr is
	// noise (graphics, remote settings) and is drained, not judged.
	wsURL := make(chan string, 1)
	var (
		earlyMu sync.Mutex
		early   []string
	)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				wsURL <- m[1]
				break
			}
			earlyMu.Lock()
			if len(early) < 20 {
				early = append(early, sc.Text())
			}
			earlyMu.Unlock()
		}
		io.Copy(io.Discard, stderr)
	}()
	var url string
	select {
	case url = <-wsURL:
	case <-time.After(60 * time.Second):
		stop()
		earlyMu.Lock()
		defer earlyMu.Unlock()
		return nil, nil, fmt.Errorf("%s did not open WebDriver BiDi within 60 s; its stderr: %s", path, strings.Join(early, " | "))
	}
	e := &firefoxEngine{console: map[string][]consoleLine{}, parent: map[string]string{}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.bidi, err = dialBiDi(ctx, url+"/session", e.event)
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("connect to Firefox's BiDi at %s: %w", url, err)
	}
	if err := e.bidi.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, nil); err != nil {
		stop()
		return nil, nil, err
	}
	if err := e.bidi.call(ctx, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil); err != nil {
		stop()
		return nil, nil, err
	}
	return e, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		e.bidi.call(ctx, "session.end", map[string]any{}, nil)
		cancel()
		e.bidi.conn.CloseNow()
		stop()
	}, nil
}

// event records log.entryAdded under the page it came from.
func (e *firefoxEngine) event(method string, params json.RawMessage) {
	if method != "log.entryAdded" {
		return
	}
	var ev struct {
		Type   string `json:"type"` // console, javascript
		Level  string `json:"level"`
		Text   string `json:"text"`
		Source struct {
			Context string `json:"context"`
		} `json:"source"`
	}
	if json.Unmarshal(params, &ev) != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	top, from := ev.Source.Context, "page"
	if p, ok := e.parent[top]; ok {
		top, from = p, "app"
	}
	l := consoleLine{From: from, Kind: ev.Level, Text: ev.Text}
	if ev.Type == "javascript" {
		l.Kind, l.Exception = "exception", true
	}
	e.console[top] = append(e.console[top], l)
}

func (e *firefoxEngine) newPage(t *testing.T) enginePage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), tabTimeout)
	var uc struct {
		UserContext string `json:"userContext"`
	}
	if err := e.bidi.call(ctx, "browser.createUserContext", map[string]any{}, &uc); err != nil {
		cancel()
		t.Fatalf("e2e: firefox: %v", err)
	}
	var bc struct {
		Context string `json:"context"`
	}
	if err := e.bidi.call(ctx, "browsingContext.create", map[string]any{"type": "tab", "userContext": uc.UserContext}, &bc); err != nil {
		cancel()
		t.Fatalf("e2e: firefox: %v", err)
	}
	pg := &firefoxPage{t: t, e: e, ctx: ctx, top: bc.Context}
	t.Cleanup(func() {
		pageCleanup(t, pg, &pg.allowed)
		c, cl := context.WithTimeout(context.Background(), 10*time.Second)
		defer cl()
		e.bidi.call(c, "browser.removeUserContext", map[string]any{"userContext": uc.UserContext}, nil)
		cancel()
	})
	return pg
}

// firefoxPage is one tab in its own user context.
type firefoxPage struct {
	t       *testing.T
	e       *firefoxEngine
	ctx     context.Context // the test's whole budget
	top     string          // the tab's browsing context
	frame   string          // the app's: top itself, or the iframe's
	allowed allowList
}

func (f *firefoxPage) navigate(url string) {
	f.t.Helper()
	if err := f.e.bidi.call(f.ctx, "browsingContext.navigate", map[string]any{"context": f.top, "url": url, "wait": "complete"}, nil); err != nil {
		f.t.Fatalf("e2e: firefox: navigate to %s: %v", url, err)
	}
}

func (f *firefoxPage) openPortal(p *devportal.Portal, query string) {
	f.t.Helper()
	f.navigate(portalPage(p, query))
	eventually(f.t, waitTimeout, "the app's iframe", func() bool {
		var tree struct {
			Contexts []struct {
				Children []struct {
					Context string `json:"context"`
					URL     string `json:"url"`
				} `json:"children"`
			} `json:"contexts"`
		}
		if err := f.e.bidi.call(f.ctx, "browsingContext.getTree", map[string]any{"root": f.top}, &tree); err != nil {
			f.t.Fatalf("e2e: firefox: %v", err)
		}
		for _, c := range tree.Contexts {
			for _, ch := range c.Children {
				if strings.HasPrefix(ch.URL, p.AppURL()+"/") {
					f.frame = ch.Context
					f.e.mu.Lock()
					f.e.parent[ch.Context] = f.top
					f.e.mu.Unlock()
					return true
				}
			}
		}
		return false
	})
}

func (f *firefoxPage) openApp(url string) {
	f.t.Helper()
	f.navigate(url)
	f.frame = f.top
}

// eval evaluates expr in a browsing context. The value comes back as JSON
// text: BiDi's own serialisation of objects is a typed tree.
func (f *firefoxPage) eval(context, expr string) (json.RawMessage, error) {
	var r struct {
		Type   string `json:"type"` // success, exception
		Result struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := f.e.bidi.call(f.ctx, "script.evaluate", map[string]any{
		"expression":      `(async () => JSON.stringify((await (` + expr + `)) ?? null))()`,
		"target":          map[string]any{"context": context},
		"awaitPromise":    true,
		"resultOwnership": "none",
	}, &r)
	if err != nil {
		return nil, err
	}
	if r.Type == "exception" {
		return nil, errors.New(r.ExceptionDetails.Text)
	}
	return json.RawMessage(r.Result.Value), nil
}

func (f *firefoxPage) evalApp(expr string) (json.RawMessage, error) {
	if f.frame == "" {
		return nil, errors.New("no app opened")
	}
	return f.eval(f.frame, expr)
}

func (f *firefoxPage) evalPortal(expr string) (json.RawMessage, error) { return f.eval(f.top, expr) }

// click moves BiDi's mouse to the element's centre in the app's frame and
// presses: input the browser hit-tests, as a user's.
func (f *firefoxPage) click(sel string) {
	f.t.Helper()
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Type     string `json:"type"`
			SharedID string `json:"sharedId"`
		} `json:"result"`
	}
	err := f.e.bidi.call(f.ctx, "script.evaluate", map[string]any{
		"expression":      `document.querySelector(` + strconv.Quote(sel) + `)`,
		"target":          map[string]any{"context": f.frame},
		"awaitPromise":    false,
		"resultOwnership": "none",
	}, &r)
	if err == nil && r.Result.SharedID == "" {
		err = fmt.Errorf("no element (%s %s)", r.Type, r.Result.Type)
	}
	if err == nil {
		err = f.e.bidi.call(f.ctx, "input.performActions", map[string]any{"context": f.frame, "actions": []any{
			map[string]any{"type": "pointer", "id": "mouse", "parameters": map[string]any{"pointerType": "mouse"}, "actions": []any{
				map[string]any{"type": "pointerMove", "x": 0, "y": 0, "origin": map[string]any{
					"type": "element", "element": map[string]any{"sharedId": r.Result.SharedID}}},
				map[string]any{"type": "pointerDown", "button": 0},
				map[string]any{"type": "pointerUp", "button": 0},
			}},
		}}, nil)
	}
	if err != nil {
		f.t.Fatalf("e2e: firefox: click %s: %v", sel, err)
	}
}

func (f *firefoxPage) console() []consoleLine {
	f.e.mu.Lock()
	defer f.e.mu.Unlock()
	return append([]consoleLine(nil), f.e.console[f.top]...)
}

func (f *firefoxPage) allowConsole(pattern string) { f.allowed.add(pattern) }
