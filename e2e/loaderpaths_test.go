//go:build !js

package e2e

// The ways the widget's wasm reaches the page (widget/loader.js): gzip'd
// from a host that serves files as they are, decoded by a host that
// negotiates Content-Encoding, plain, with a wrong MIME type, from Cache
// Storage, and the entry there stale, damaged, partial or refused.
//
// The table is data and plain functions, no browser: a path's host is an
// http.Handler wrapper (the dev portal's AppWrap), its widget folder a file
// operation, and what happens in the page JavaScript strings (prepare runs in
// the app's document after a first open; preload runs before the app's own
// scripts on the open that is checked). runLoaderPath drives one path in
// Chromium with chromedp; another engine's driver can run the same table.

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/buildjs"
	"github.com/pinall/pinall/internal/devportal"
)

// loaderPath is one way the wasm reaches the page, and what must follow.
type loaderPath struct {
	name string
	// widget changes the copy of the built widget the host serves (nil: as built).
	widget func(t testing.TB, dir string)
	// host plays the app's host in front of the dev portal's file server
	// (nil: the dev portal as it is, which negotiates the .br sibling).
	host func(dir string, next http.Handler) http.Handler
	// warm: the widget is opened once (and its wasm stored) before the open
	// that is checked, which then reloads the app's frame.
	warm bool
	// prepare runs in the app's document after the first open (a Promise is
	// awaited); preload runs in the next document before its scripts.
	prepare, preload string

	// What the checked open must show.
	state    string // ready, or error with alert
	alert    func(w buildjs.Words) string
	wasmGets int    // requests for pinall.wasm on that open
	sent     string // the Content-Encoding the host answered with ("" none)
	stored   bool   // afterwards Cache Storage holds this build's wasm, and nothing else
	// dropped: afterwards Cache Storage holds nothing, and the next open
	// downloads the wasm (one request) and stores it.
	dropped bool
}

// The hosts.

// rawHost serves files as they are: no Content-Encoding whatever the
// browser accepts (Bitrix24 serves an uploaded zip so).
func rawHost(_ string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Accept-Encoding")
		next.ServeHTTP(w, r)
	})
}

// gzipHost serves the wasm files, gzip'd in the folder, with
// Content-Encoding: gzip (nginx gzip_static and the like): the browser
// decodes them and the page reads plain wasm.
func gzipHost(dir string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".wasm") {
			rawHost(dir, next).ServeHTTP(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.Base(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(b)
	})
}

// onTheFlyHost gzips every response as it goes (a host's dynamic
// compression): the browser takes its layer off and finds the file's own
// gzip underneath.
func onTheFlyHost(dir string, next http.Handler) http.Handler {
	return rawHost(dir, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		next.ServeHTTP(gzipWriter{w, zw}, r)
	}))
}

type gzipWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (g gzipWriter) Write(b []byte) (int, error) { return g.zw.Write(b) }

func (g gzipWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

// typeHost is a raw host that gives .wasm files another Content-Type.
func typeHost(ct string) func(string, http.Handler) http.Handler {
	return func(dir string, next http.Handler) http.Handler {
		return rawHost(dir, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ".wasm") {
				w = typeWriter{w, ct}
			}
			next.ServeHTTP(w, r)
		}))
	}
}

type typeWriter struct {
	http.ResponseWriter
	ct string
}

func (t typeWriter) WriteHeader(code int) {
	t.Header().Set("Content-Type", t.ct)
	t.ResponseWriter.WriteHeader(code)
}

func (t typeWriter) Write(b []byte) (int, error) {
	t.Header().Set("Content-Type", t.ct)
	return t.ResponseWriter.Write(b)
}

// plainWasm unpacks the folder's pinall.wasm and drops its .br: a host given
// the plain wasm.
func plainWasm(t testing.TB, dir string) {
	name := filepath.Join(dir, "pinall.wasm")
	f, err := os.Open(name)
	require.NoError(t, err)
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	f.Close()
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(raw, []byte("\x00asm")))
	require.NoError(t, os.WriteFile(name, raw, 0o644))
	require.NoError(t, os.Remove(name+".br"))
}

// JavaScript run in the app's document.
const (
	// damageData flips a byte of the stored wasm where it still compiles
	// (a data segment): only the SHA-256 check, after start-up, can tell.
	damageData = `(async () => {
		const c = await caches.open("pinall");
		const [req] = await c.keys();
		const buf = new Uint8Array(await (await c.match(req)).arrayBuffer());
		for (let k = buf.length - 100000; k > 0; k -= 997) {
			buf[k] ^= 0x55;
			if (WebAssembly.validate(buf)) break;
			buf[k] ^= 0x55;
		}
		await c.put(req, new Response(buf, {headers: {"Content-Type": "application/wasm"}}));
	})()`
	// damageCode flips a byte of the stored wasm's code so it no longer compiles.
	damageCode = `(async () => {
		const c = await caches.open("pinall");
		const [req] = await c.keys();
		const buf = new Uint8Array(await (await c.match(req)).arrayBuffer());
		for (let k = 20000; k < buf.length; k += 997) {
			buf[k] ^= 0x55;
			if (!WebAssembly.validate(buf)) break;
			buf[k] ^= 0x55;
		}
		await c.put(req, new Response(buf, {headers: {"Content-Type": "application/wasm"}}));
	})()`
	// truncateEntry keeps the first half of the stored wasm.
	truncateEntry = `(async () => {
		const c = await caches.open("pinall");
		const [req] = await c.keys();
		const buf = await (await c.match(req)).arrayBuffer();
		await c.put(req, new Response(buf.slice(0, buf.byteLength >> 1), {headers: {"Content-Type": "application/wasm"}}));
	})()`
	// olderBuild leaves only an entry of another build.
	olderBuild = `(async () => {
		const c = await caches.open("pinall");
		for (const req of await c.keys()) await c.delete(req);
		await c.put("pinall.wasm?sha256=" + "0".repeat(64), new Response("an older build"));
	})()`
	emptyCache = `caches.delete("pinall")`

	// Storage refused, the ways browsers refuse it.
	cachesThrow  = `Object.defineProperty(window, "caches", {get() { throw new DOMException("storage is blocked", "SecurityError"); }})`
	cachesAbsent = `Object.defineProperty(window, "caches", {value: undefined})`
	openRejects  = `CacheStorage.prototype.open = () => Promise.reject(new DOMException("storage is blocked", "SecurityError"))`
	putRejects   = `Cache.prototype.put = () => Promise.reject(new DOMException("the quota is used up", "QuotaExceededError"))`
	noUnpacking  = `Object.defineProperty(window, "DecompressionStream", {value: undefined})`
)

var loaderPaths = []loaderPath{
	{name: "gzip from a raw host", host: rawHost, state: stateReady, wasmGets: 1, stored: true},
	{name: "decoded by the host (gzip)", host: gzipHost, state: stateReady, wasmGets: 1, sent: "gzip", stored: true},
	{name: "decoded by the host (.br sibling)", state: stateReady, wasmGets: 1, sent: "br", stored: true},
	{name: "gzip'd again on the fly", host: onTheFlyHost, state: stateReady, wasmGets: 1, sent: "gzip", stored: true},
	{name: "plain wasm", widget: plainWasm, host: rawHost, state: stateReady, wasmGets: 1, stored: true},
	{name: "wrong MIME type (octet-stream)", host: typeHost("application/octet-stream"), state: stateReady, wasmGets: 1, stored: true},
	{name: "wrong MIME type (text/plain)", host: typeHost("text/plain"), state: stateReady, wasmGets: 1, stored: true},
	{name: "cached", host: rawHost, warm: true, state: stateReady, wasmGets: 0, stored: true},
	{name: "stale entry replaced", host: rawHost, warm: true, prepare: olderBuild, state: stateReady, wasmGets: 1, stored: true},
	{name: "damaged code replaced", host: rawHost, warm: true, prepare: damageCode, state: stateReady, wasmGets: 1, stored: true},
	{name: "damaged data dropped", host: rawHost, warm: true, prepare: damageData, state: stateReady, wasmGets: 0, dropped: true},
	{name: "partial entry replaced", host: rawHost, warm: true, prepare: truncateEntry, state: stateReady, wasmGets: 1, stored: true},
	{name: "storage throws", host: rawHost, warm: true, preload: cachesThrow, state: stateReady, wasmGets: 1},
	{name: "storage absent", host: rawHost, warm: true, preload: cachesAbsent, state: stateReady, wasmGets: 1},
	{name: "storage refused", host: rawHost, warm: true, preload: openRejects, state: stateReady, wasmGets: 1},
	{name: "storage full", host: rawHost, warm: true, prepare: emptyCache, preload: putRejects, state: stateReady, wasmGets: 1},
	{name: "no DecompressionStream, raw host", host: rawHost, warm: true, prepare: emptyCache, preload: noUnpacking,
		state: stateError, alert: func(w buildjs.Words) string { return w.Loader.NoUnpack }, wasmGets: 1},
	{name: "no DecompressionStream, host decodes", host: gzipHost, warm: true, prepare: emptyCache, preload: noUnpacking,
		state: stateReady, wasmGets: 1, sent: "gzip", stored: true},
}

func TestLoaderPaths(t *testing.T) {
	for _, lp := range loaderPaths {
		t.Run(lp.name, func(t *testing.T) {
			t.Parallel()
			runLoaderPath(t, lp)
		})
	}
}

// wasmLog records the host's answers to requests for pinall.wasm.
type wasmLog struct {
	mu   sync.Mutex
	sent []string // Content-Encoding of each answer
}

func (l *wasmLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if filepath.Base(r.URL.Path) == "pinall.wasm" {
			l.mu.Lock()
			l.sent = append(l.sent, w.Header().Get("Content-Encoding"))
			l.mu.Unlock()
		}
	})
}

func (l *wasmLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sent
	l.sent = nil
	return s
}

// runLoaderPath opens the widget in Chromium as lp says and checks the open.
func runLoaderPath(t *testing.T, lp loaderPath) {
	dir := copyWidget(t)
	if lp.widget != nil {
		lp.widget(t, dir)
	}
	js, err := os.ReadFile(filepath.Join(dir, "build.js"))
	require.NoError(t, err)
	build, err := buildjs.Parse(js)
	require.NoError(t, err)
	host := lp.host
	if host == nil {
		host = func(_ string, next http.Handler) http.Handler { return next }
	}
	log := &wasmLog{}
	p := startPortal(t, devportal.Config{WidgetDir: dir, AppWrap: func(next http.Handler) http.Handler {
		return log.wrap(host(dir, next))
	}})
	tb := newTab(t)
	if lp.state == stateError {
		tb.allowConsole(`pinall`)
	}
	w := tb.openPortal(p, "")
	entry := "?sha256=" + build.Wasm["pinall.wasm"].SHA256
	if lp.warm {
		require.Equal(t, stateReady, w.waitState(stateReady, stateError), "first open: %+v", w.dom())
		waitEntries(t, w, entry)
		if lp.prepare != "" {
			eval[chromedp.Void](t, w.ctx, lp.prepare)
		}
		log.take()
		reloadApp(t, w, lp.preload)
	}
	require.Equal(t, lp.state, w.waitState(stateReady, stateError), "%+v", w.dom())
	if lp.alert != nil {
		assert.Equal(t, lp.alert(build.Words["en"]), w.dom().Alert)
		assert.True(t, eval[bool](t, w.ctx, `!document.getElementById("pa-dead").hidden`), "the reload box is shown")
	}
	sent := log.take()
	assert.Len(t, sent, lp.wasmGets, "requests for pinall.wasm: %q", sent)
	for _, enc := range sent {
		assert.Equal(t, lp.sent, enc, "the host's Content-Encoding")
	}
	if lp.stored {
		waitEntries(t, w, entry)
	}
	if lp.dropped {
		waitEntries(t, w)
		reloadApp(t, w, "")
		require.Equal(t, stateReady, w.waitState(stateReady, stateError), "the open after: %+v", w.dom())
		assert.Len(t, log.take(), 1, "requests for pinall.wasm on the open after")
		waitEntries(t, w, entry)
	}
	if lp.state == stateReady {
		w.click("#pin-all")
		require.Equal(t, stateDone, w.waitState(stateDone, stateError), "%+v", w.dom())
	}
}

// waitEntries waits until the app's Cache Storage holds exactly the wasm
// entries named by their query (its hash): the loader stores after ready.
func waitEntries(t *testing.T, w *widget, want ...string) {
	t.Helper()
	var got []string
	eventually(t, waitTimeout, "Cache Storage to hold "+strings.Join(want, ", "), func() bool {
		got = eval[[]string](t, w.ctx, `caches.open("pinall").then((c) => c.keys()).then((ks) => ks.map((r) => new URL(r.url).search))`)
		return strings.Join(got, " ") == strings.Join(want, " ")
	})
}

// reloadApp reloads the app's frame, preload running first in the new
// document, and observes it.
func reloadApp(t *testing.T, w *widget, preload string) {
	t.Helper()
	_, err := chromedp.Call(w.ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.__e2eReloaded = true;\n" + preload})
	require.NoError(t, err)
	eval[chromedp.Void](t, w.ctx, `location.reload()`)
	eventually(t, waitTimeout, "the reloaded app", func() bool {
		// While the document is replaced the target may answer "navigated
		// or closed": that is not yet, not a failure.
		ok, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`!!window.__e2eReloaded && !window.__e2eStates && document.readyState !== "loading"`))
		return err == nil && ok
	})
	w.observe()
}
