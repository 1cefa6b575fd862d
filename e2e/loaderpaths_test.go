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
// any engine (engines_test.go).

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

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
	// firstUnbuilt: the first open gets another build's wasm, which it runs
	// but does not store.
	firstUnbuilt bool
	// prepare runs in the app's document after the first open (a Promise is
	// awaited); preload runs in the next document before its scripts.
	prepare, preload string

	// What the checked open must show.
	state    string // ready, or error with alert
	alert    func(w buildjs.LoaderWords) string
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

// gzipHost serves the wasm and words files, gzip'd in the folder, with
// Content-Encoding: gzip (nginx gzip_static and the like): the browser
// decodes them and the page reads plain wasm and words.
func gzipHost(dir string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := "application/wasm"
		switch base := filepath.Base(r.URL.Path); {
		case strings.HasPrefix(base, "words-") && strings.HasSuffix(base, ".json"):
			ct = "application/json"
		case !strings.HasSuffix(base, ".wasm"):
			rawHost(dir, next).ServeHTTP(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.Base(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ct)
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

// olderFirstHost is a raw host whose first answer for pinall.wasm is
// another build's (the folder's wasm with a custom section added, an older
// Last-Modified): the browser's HTTP cache then holds a copy that is not the
// build's, as after the host was updated.
func olderFirstHost(dir string, next http.Handler) http.Handler {
	var once sync.Once
	return rawHost(dir, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := false
		if filepath.Base(r.URL.Path) == "pinall.wasm" {
			once.Do(func() { first = true })
		}
		if !first {
			next.ServeHTTP(w, r)
			return
		}
		f, err := os.Open(filepath.Join(dir, "pinall.wasm"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		// A custom section (id 0) named "older": valid wasm, other bytes.
		raw = append(raw, 0, 6, 5, 'o', 'l', 'd', 'e', 'r')
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(raw)
		zw.Close()
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")
		w.Write(gz.Bytes())
	}))
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
		const req = (await c.keys()).find((r) => new URL(r.url).pathname.endsWith(".wasm"));
		const buf = new Uint8Array(await (await c.match(req)).arrayBuffer());
		// Flip one byte inside the last data segment's bytes (section 11), never
		// a section or segment header, so the module still compiles and
		// instantiates: only its SHA-256 tells it is not the build's.
		let at = 8;
		const leb = () => { let v = 0, sh = 0, b; do { b = buf[at++]; v |= (b & 0x7f) << sh; sh += 7; } while (b & 0x80); return v >>> 0; };
		while (at < buf.length) {
			const id = buf[at++], size = leb(), end = at + size;
			if (id === 11) {
				let n = leb(), start = 0, len = 0;
				while (n-- > 0) {
					const flags = leb();
					if (flags === 2) leb();
					if (flags !== 1) { at++; leb(); at++; } // i32.const N end
					len = leb(); start = at; at += len;
				}
				buf[start + (len >> 1)] ^= 0x55;
				break;
			}
			at = end;
		}
		await c.put(req, new Response(buf, {headers: {"Content-Type": "application/wasm"}}));
	})()`
	// damageCode flips a byte of the stored wasm's code so it no longer compiles.
	damageCode = `(async () => {
		const c = await caches.open("pinall");
		const req = (await c.keys()).find((r) => new URL(r.url).pathname.endsWith(".wasm"));
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
		const req = (await c.keys()).find((r) => new URL(r.url).pathname.endsWith(".wasm"));
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
	{name: "storage throws", host: rawHost, warm: true, preload: cachesThrow, state: stateReady, wasmGets: 0},
	{name: "storage absent", host: rawHost, warm: true, preload: cachesAbsent, state: stateReady, wasmGets: 0},
	{name: "storage refused", host: rawHost, warm: true, preload: openRejects, state: stateReady, wasmGets: 0},
	{name: "storage refused, the browser's copy another build's", host: olderFirstHost, warm: true, firstUnbuilt: true, preload: openRejects, state: stateReady, wasmGets: 1},
	{name: "storage full", host: rawHost, warm: true, prepare: emptyCache, preload: putRejects, state: stateReady, wasmGets: 1},
	{name: "no DecompressionStream, raw host", host: rawHost, warm: true, prepare: emptyCache, preload: noUnpacking,
		state: stateError, alert: func(w buildjs.LoaderWords) string { return w.NoUnpack }, wasmGets: 1},
	{name: "no DecompressionStream, host decodes", host: gzipHost, warm: true, prepare: emptyCache, preload: noUnpacking,
		state: stateReady, wasmGets: 1, sent: "gzip", stored: true},
}

// TestLoaderPaths runs every path in every engine (engines_test.go), as
// TestLoaderPaths/<engine>/<path>. Chromium's run in parallel, in browser
// contexts of the one Chromium; the other engines' one after another.
func TestLoaderPaths(t *testing.T) {
	for _, spec := range engines {
		t.Run(spec.name, func(t *testing.T) {
			for _, lp := range loaderPaths {
				t.Run(lp.name, func(t *testing.T) {
					if spec.name == "chromium" {
						t.Parallel()
					}
					runLoaderPath(t, spec, spec.get(t).newPage(t), lp)
				})
			}
		})
	}
}

// wasmLog records the host's answers to requests for pinall.wasm.
type wasmLog struct {
	mu     sync.Mutex
	sent   []string // Content-Encoding of each answer
	offers []string // the browser's Accept-Encoding of each request
}

func (l *wasmLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if filepath.Base(r.URL.Path) == "pinall.wasm" {
			l.mu.Lock()
			l.sent = append(l.sent, w.Header().Get("Content-Encoding"))
			l.offers = append(l.offers, r.Header.Get("Accept-Encoding"))
			l.mu.Unlock()
		}
	})
}

func (l *wasmLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sent
	l.sent, l.offers = nil, nil
	return s
}

// offered reports whether every request so far accepted enc.
func (l *wasmLog) offered(enc string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, o := range l.offers {
		if !strings.Contains(o, enc) {
			return false
		}
	}
	return true
}

// runLoaderPath opens the widget in pg, a page of spec's engine, as lp says
// and checks the open. Where the engine keeps no Cache Storage across
// documents (engineSpec.keepsCache) a warm open is a cold one: it must still
// reach lp.state, with one download and nothing to find stored.
func runLoaderPath(t *testing.T, spec *engineSpec, pg enginePage, lp loaderPath) {
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
	pre := addPreload(t, dir)
	p := startPortal(t, devportal.Config{WidgetDir: dir, AppWrap: func(next http.Handler) http.Handler {
		return log.wrap(host(dir, pre.wrap(next)))
	}})
	if lp.state == stateError {
		pg.allowConsole(`pinall`)
	}
	a := openPortalApp(t, pg, p, "")
	entry := "?sha256=" + build.Wasm["pinall.wasm"].SHA256
	if lp.warm {
		require.Equal(t, stateReady, a.waitState(stateReady, stateError), "first open: %+v", a.dom())
		if lp.firstUnbuilt {
			waitEntries(t, a)
		} else {
			waitEntries(t, a, entry)
		}
		if lp.prepare != "" {
			evalAs[any](a, lp.prepare)
		}
		log.take()
		pre.reload(a, lp.preload)
	}
	require.Equal(t, lp.state, a.waitState(stateReady, stateError), "%+v", a.dom())
	if lp.alert != nil {
		assert.Equal(t, lp.alert(build.Fallback), a.dom().Alert)
		assert.True(t, evalAs[bool](a, `!document.getElementById("pa-dead").hidden`), "the reload box is shown")
	}
	wantGets, cacheKept := lp.wasmGets, !lp.warm || spec.keepsCache
	if !cacheKept {
		wantGets = 1
		t.Logf("%s keeps no Cache Storage across documents: this warm open loads from the network", spec.name)
	}
	wantSent := lp.sent
	if wantSent == "br" && !log.offered("br") {
		// WebKitGTK offers br only over https: the host sends the file as it is.
		wantSent = ""
		t.Logf("%s does not accept br over http: the host sends the file as it is", spec.name)
	}
	sent := log.take()
	assert.Len(t, sent, wantGets, "requests for pinall.wasm: %q", sent)
	for _, enc := range sent {
		assert.Equal(t, wantSent, enc, "the host's Content-Encoding")
	}
	if lp.stored && cacheKept {
		waitEntries(t, a, entry)
	}
	if lp.dropped && cacheKept {
		waitEntries(t, a)
		pre.reload(a, "")
		require.Equal(t, stateReady, a.waitState(stateReady, stateError), "the open after: %+v", a.dom())
		assert.Len(t, log.take(), 1, "requests for pinall.wasm on the open after")
		waitEntries(t, a, entry)
	}
	if lp.state == stateReady {
		a.click("#pin-all")
		require.Equal(t, stateDone, a.waitState(stateDone, stateError), "%+v", a.dom())
	}
}

// waitEntries waits until the app's Cache Storage holds exactly the wasm
// entries named by their query (its hash): the loader stores after ready.
// (The words file's entry beside them is the words tests'.)
func waitEntries(t *testing.T, a *app, want ...string) {
	t.Helper()
	var got []string
	eventually(t, waitTimeout, "Cache Storage to hold "+strings.Join(want, ", "), func() bool {
		got = evalAs[[]string](a, `caches.open("pinall").then((c) => c.keys()).then((ks) => ks.filter((r) => new URL(r.url).pathname.endsWith(".wasm")).map((r) => new URL(r.url).search))`)
		return strings.Join(got, " ") == strings.Join(want, " ")
	})
}

// preloader runs a script before the app's own on the next open, the same
// way in every engine (WebDriver classic has no "script on new document"):
// the copy of index.html loads e2e-preload.js first, a same-origin script
// the page's CSP allows, and the host serves it as the test last set it.
type preloader struct {
	mu sync.Mutex
	js string
}

// addPreload puts <script src="e2e-preload.js"> before the first script of
// dir's index.html.
func addPreload(t *testing.T, dir string) *preloader {
	t.Helper()
	name := filepath.Join(dir, "index.html")
	html, err := os.ReadFile(name)
	require.NoError(t, err)
	i := bytes.Index(html, []byte("<script"))
	require.GreaterOrEqual(t, i, 0, "index.html has no script")
	html = slices.Concat(html[:i], []byte(`<script src="e2e-preload.js"></script>`+"\n"), html[i:])
	require.NoError(t, os.WriteFile(name, html, 0o644))
	return &preloader{}
}

func (pl *preloader) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/e2e-preload.js" {
			next.ServeHTTP(w, r)
			return
		}
		pl.mu.Lock()
		js := pl.js
		pl.mu.Unlock()
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, js)
	})
}

// reload reloads the app's frame, preload running first in the new
// document, and observes it.
func (pl *preloader) reload(a *app, preload string) {
	a.t.Helper()
	pl.mu.Lock()
	pl.js = reloadedJS + preload
	pl.mu.Unlock()
	a.reload()
}
