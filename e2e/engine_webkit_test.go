//go:build !js

package e2e

// WebKitGTK (Safari's engine) in the cross-engine scenarios, driven through
// Debian's WebKitWebDriver (W3C WebDriver classic: HTTP + JSON) under an
// Xvfb this file starts: one Xvfb and one driver per test binary, a WebDriver
// session per page (a new MiniBrowser with its own ephemeral storage).
// Clicks are WebDriver element clicks after switching into the app's iframe:
// the driver hit-tests them like a user's.
//
// WebDriver classic cannot read the console. A small recorder evaluated in
// each document as it is opened keeps what comes after it (console.error,
// console.warn, Go's output, uncaught errors and rejections); what a
// document logs before that, or after it is replaced, is not seen.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/devportal"
)

// webElementKey names an element reference in WebDriver's JSON.
const webElementKey = "element-6066-11e4-a52e-4f735466cecf"

// consoleRecorderJS keeps the console lines and uncaught errors of one
// document in window.__e2eConsole, as consoleLine fields.
const consoleRecorderJS = `(() => {
	if (window.__e2eConsole) return;
	const out = window.__e2eConsole = [];
	const text = (args) => args.map((a) => a instanceof Error ? String(a.stack || a) : typeof a === "string" ? a : (() => { try { return JSON.stringify(a); } catch { return String(a); } })()).join(" ");
	for (const kind of ["log", "info", "warn", "error"]) {
		const orig = console[kind].bind(console);
		console[kind] = (...args) => { out.push({Kind: kind, Text: text(args)}); orig(...args); };
	}
	addEventListener("error", (e) => out.push({Kind: "exception", Text: String(e.message), Exception: true}));
	addEventListener("unhandledrejection", (e) => out.push({Kind: "exception", Text: "unhandled rejection: " + String(e.reason && e.reason.stack || e.reason), Exception: true}));
})()`

type webkitEngine struct {
	base    string // the driver's URL
	browser string // MiniBrowser
	client  *http.Client
	xDied   chan struct{} // closed when Xvfb exits
	xLog    *lockedBuffer // Xvfb's stderr, for the failure that follows
}

// lockedBuffer is a bytes.Buffer a process writes while a test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startWebKit() (engine, func(), error) {
	driver, err := exec.LookPath("WebKitWebDriver")
	if err != nil {
		return nil, nil, errors.New("WebKitWebDriver is not on PATH")
	}
	browsers, _ := filepath.Glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")
	if len(browsers) == 0 {
		return nil, nil, errors.New("no MiniBrowser in /usr/lib/*/webkit2gtk-4.1/")
	}
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		return nil, nil, errors.New("Xvfb is not on PATH")
	}

	// Xvfb picks a free display and writes its number to fd 3.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	x := exec.Command(xvfb, "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1440x1200x24")
	x.ExtraFiles = []*os.File{w}
	xLog := &lockedBuffer{}
	x.Stderr = xLog
	if err := x.Start(); err != nil {
		return nil, nil, fmt.Errorf("start Xvfb: %w", err)
	}
	w.Close()
	xDied := make(chan struct{})
	go func() { x.Wait(); close(xDied) }()
	var stops []func()
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	stops = append(stops, func() { x.Process.Kill(); <-xDied })
	display := make(chan string, 1)
	// Read up to the newline and keep the pipe open: Xvfb may write the
	// number and the newline apart, and a closed pipe kills it.
	stops = append(stops, func() { r.Close() })
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		display <- strings.TrimSpace(line)
	}()
	var d string
	select {
	case d = <-display:
	case <-time.After(30 * time.Second):
	}
	if d == "" {
		stop()
		return nil, nil, errors.New("Xvfb gave no display within 30 s")
	}

	port, err := freePort()
	if err != nil {
		stop()
		return nil, nil, err
	}
	// One session at a time is all the driver serves; a session a failed
	// test could not end is replaced, not left to refuse the next one.
	drv := exec.Command(driver, "--port="+strconv.Itoa(port), "--replace-on-new-session")
	drv.Env = append(os.Environ(), "DISPLAY=:"+d)
	// The driver's and the browser's stderr (GTK, EGL, accessibility bus)
	// is noise here: it never fails a test.
	drv.Stdout, drv.Stderr = io.Discard, io.Discard
	if err := drv.Start(); err != nil {
		stop()
		return nil, nil, fmt.Errorf("start WebKitWebDriver: %w", err)
	}
	stops = append(stops, func() { drv.Process.Kill(); drv.Wait() })
	e := &webkitEngine{base: fmt.Sprintf("http://127.0.0.1:%d", port), browser: browsers[0],
		client: &http.Client{}, xDied: xDied, xLog: xLog}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var status struct {
			Ready bool `json:"ready"`
		}
		if e.do("GET", "/status", nil, &status) == nil && status.Ready {
			break
		}
		if time.Now().After(deadline) {
			stop()
			return nil, nil, errors.New("WebKitWebDriver not ready within 30 s")
		}
		time.Sleep(50 * time.Millisecond) // polling interval
	}
	return e, stop, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// webdriverError is WebDriver's error object.
type webdriverError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// do sends one WebDriver command; out receives the reply's "value".
func (e *webkitEngine) do(method, path string, body, out any) error {
	return e.doWithin(60*time.Second, method, path, body, out)
}

// doWithin is do with its own deadline.
func (e *webkitEngine) doWithin(d time.Duration, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var reply struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return fmt.Errorf("webdriver %s %s: HTTP %d: %w", method, path, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		var we webdriverError
		json.Unmarshal(reply.Value, &we)
		return fmt.Errorf("webdriver %s %s: %s: %s", method, path, we.Error, we.Message)
	}
	if out != nil {
		return json.Unmarshal(reply.Value, out)
	}
	return nil
}

func (e *webkitEngine) newPage(t *testing.T) enginePage {
	t.Helper()
	select {
	case <-e.xDied:
		// MiniBrowser would wait for a display that is gone.
		t.Fatalf("e2e: webkit: Xvfb exited; its stderr: %s", e.xLog)
	default:
	}
	var s struct {
		SessionID string `json:"sessionId"`
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":              "MiniBrowser",
		"webkitgtk:browserOptions": map[string]any{"binary": e.browser, "args": []string{"--automation"}},
	}}}
	// A new session takes 1-3 s; on a loaded machine the driver now and then
	// never answers one (seen a few times in a hundred). That is the
	// driver's, not the widget's: ask again, a bounded number of times.
	var err error
	for try := 1; try <= 3; try++ {
		if err = e.doWithin(20*time.Second, "POST", "/session", caps, &s); err == nil {
			break
		}
		t.Logf("e2e: webkit: new session, try %d: %v", try, err)
	}
	if err != nil {
		t.Fatalf("e2e: webkit: new session: %v", err)
	}
	pg := &webkitPage{t: t, e: e, sid: "/session/" + s.SessionID}
	if err := e.do("POST", pg.sid+"/timeouts", map[string]any{"script": tabTimeout.Milliseconds(), "pageLoad": tabTimeout.Milliseconds()}, nil); err != nil {
		t.Fatalf("e2e: webkit: %v", err)
	}
	t.Cleanup(func() {
		pageCleanup(t, pg, &pg.allowed)
		e.do("DELETE", pg.sid, nil, nil)
	})
	return pg
}

// webkitPage is one WebDriver session. WebDriver classic runs commands in
// one "current" frame: the page switches between the top-level document
// and the app's iframe as each call needs.
type webkitPage struct {
	t       *testing.T
	e       *webkitEngine
	sid     string
	inFrame bool // the app is in #app-frame (openPortal), not top-level
	current string

	mu      sync.Mutex
	left    []consoleLine // from documents already left behind
	allowed allowList
}

func (k *webkitPage) must(err error) {
	k.t.Helper()
	if err != nil {
		k.t.Fatalf("e2e: webkit: %v", err)
	}
}

// switchTo makes "top" or "app" the current frame.
func (k *webkitPage) switchTo(where string) error {
	if k.current == where {
		return nil
	}
	if err := k.e.do("POST", k.sid+"/frame", map[string]any{"id": nil}, nil); err != nil {
		return err
	}
	k.current = "top"
	if where == "app" && k.inFrame {
		var el map[string]string
		if err := k.e.do("POST", k.sid+"/element", map[string]any{"using": "css selector", "value": "#app-frame"}, &el); err != nil {
			return err
		}
		if err := k.e.do("POST", k.sid+"/frame", map[string]any{"id": el}, nil); err != nil {
			return err
		}
	}
	k.current = where
	return nil
}

func (k *webkitPage) navigate(url string) {
	k.t.Helper()
	k.saveConsole()
	k.must(k.switchTo("top"))
	k.must(k.e.do("POST", k.sid+"/url", map[string]any{"url": url}, nil))
	k.current = "top"
}

func (k *webkitPage) openPortal(p *devportal.Portal, query string) {
	k.t.Helper()
	k.navigate(portalPage(p, query))
	k.inFrame = true
	k.record("top")
	eventually(k.t, waitTimeout, "the app's document in the iframe", func() bool {
		raw, err := k.evalApp(`location.href`)
		var href string
		return err == nil && json.Unmarshal(raw, &href) == nil && strings.HasPrefix(href, p.AppURL()+"/")
	})
	k.record("app")
}

func (k *webkitPage) openApp(url string) {
	k.t.Helper()
	k.navigate(url)
	k.inFrame = false
	k.record("app")
}

// record installs the console recorder in a document.
func (k *webkitPage) record(where string) {
	k.t.Helper()
	_, err := k.eval(where, consoleRecorderJS)
	k.must(err)
}

func (k *webkitPage) eval(where, expr string) (json.RawMessage, error) {
	if err := k.switchTo(where); err != nil {
		return nil, err
	}
	var s string
	err := k.e.do("POST", k.sid+"/execute/sync", map[string]any{
		"script": `return (async () => JSON.stringify((await (` + expr + `)) ?? null))();`,
		"args":   []any{},
	}, &s)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(s), nil
}

func (k *webkitPage) evalApp(expr string) (json.RawMessage, error) { return k.eval("app", expr) }

func (k *webkitPage) evalPortal(expr string) (json.RawMessage, error) { return k.eval("top", expr) }

func (k *webkitPage) click(sel string) {
	k.t.Helper()
	k.must(k.switchTo("app"))
	var el map[string]string
	k.must(k.e.do("POST", k.sid+"/element", map[string]any{"using": "css selector", "value": sel}, &el))
	k.must(k.e.do("POST", k.sid+"/element/"+el[webElementKey]+"/click", map[string]any{}, nil))
}

// documentConsole reads the recorder of one document.
func (k *webkitPage) documentConsole(where string) []consoleLine {
	raw, err := k.eval(where, `window.__e2eConsole || []`)
	var ls []consoleLine
	if err != nil || json.Unmarshal(raw, &ls) != nil {
		return nil
	}
	for i := range ls {
		ls[i].From = map[string]string{"top": "page", "app": "app"}[where]
	}
	return ls
}

// saveConsole keeps the current documents' lines before they are left.
func (k *webkitPage) saveConsole() {
	if k.current == "" {
		return
	}
	lines := k.documentConsole("top")
	if k.inFrame {
		lines = append(lines, k.documentConsole("app")...)
	}
	k.mu.Lock()
	k.left = append(k.left, lines...)
	k.mu.Unlock()
}

func (k *webkitPage) console() []consoleLine {
	k.mu.Lock()
	out := append([]consoleLine(nil), k.left...)
	k.mu.Unlock()
	if k.current == "" {
		return out
	}
	out = append(out, k.documentConsole("top")...)
	if k.inFrame {
		out = append(out, k.documentConsole("app")...)
	}
	return out
}

func (k *webkitPage) allowConsole(pattern string) { k.allowed.add(pattern) }
