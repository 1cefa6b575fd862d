package devportal

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeZip makes a zip of files (name -> body) in a temporary folder.
func writeZip(t *testing.T, files map[string]string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "app.zip")
	f, err := os.Create(name)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for n, body := range files {
		w, err := zw.Create(n)
		require.NoError(t, err)
		_, err = io.WriteString(w, body)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return name
}

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.String()
}

// fetch GETs url with extra headers and returns the answer and its body, as
// the bytes crossed the wire (no transparent gzip decoding).
func fetch(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	res.Body.Close()
	return res, string(b)
}

func TestZipServedAsItIsWithRevalidation(t *testing.T) {
	wasmGz := gzipped(t, "\x00asm the program")
	zipName := writeZip(t, map[string]string{
		"index.html":     "<!doctype html><p>app",
		"app.js":         "console.log(1)",
		"pinall.wasm":    wasmGz, // gzip'd bytes under the .wasm name
		"pinall.wasm.gz": wasmGz,
		"style.css":      "p{}",
	})
	p := start(t, Config{AppZip: zipName, WidgetDir: t.TempDir()})

	res, body := fetch(t, p.AppURL()+"/pinall.wasm")
	require.Equal(t, 200, res.StatusCode)
	assert.Equal(t, wasmGz, body, "the bytes as the zip holds them")
	assert.Empty(t, res.Header.Get("Content-Encoding"), "never a Content-Encoding, whatever the file holds")
	assert.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	assert.Empty(t, res.Header.Get("Last-Modified"))
	etag := res.Header.Get("ETag")
	assert.Regexp(t, `^"[0-9a-f]{32}"$`, etag, "a strong ETag")

	// A warm open revalidates: 304 and no body; a changed file would not match.
	res, body = fetch(t, p.AppURL()+"/pinall.wasm", "If-None-Match", etag)
	assert.Equal(t, http.StatusNotModified, res.StatusCode)
	assert.Empty(t, body)
	res, body = fetch(t, p.AppURL()+"/pinall.wasm", "If-None-Match", `"something-else"`)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, wasmGz, body)

	for path, ct := range map[string]string{
		"/": "text/html; charset=utf-8", "/app.js": "text/javascript; charset=utf-8",
		"/style.css": "text/css; charset=utf-8", "/pinall.wasm.gz": "application/gzip",
	} {
		res, _ := fetch(t, p.AppURL()+path)
		assert.Equal(t, 200, res.StatusCode, path)
		assert.Equal(t, ct, res.Header.Get("Content-Type"), path)
		assert.Empty(t, res.Header.Get("Content-Encoding"), path)
	}
	res, _ = fetch(t, p.AppURL()+"/app.js")
	assert.NotEqual(t, etag, res.Header.Get("ETag"), "each file its own ETag")

	res, _ = fetch(t, p.AppURL()+"/missing.js")
	assert.Equal(t, 404, res.StatusCode)
	res, _ = fetch(t, p.AppURL()+"/../../etc/passwd")
	assert.Equal(t, 404, res.StatusCode)
	res, _ = fetch(t, p.AppURL()+"/pinall.wasm?wrongmime=1")
	assert.Equal(t, "application/octet-stream", res.Header.Get("Content-Type"))
}

func TestZipWithoutIndexIsRefused(t *testing.T) {
	_, err := Start(Config{AppZip: writeZip(t, map[string]string{"app/index.html": "x"})})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no index.html at its root")
	_, err = Start(Config{AppZip: filepath.Join(t.TempDir(), "missing.zip")})
	assert.Error(t, err)
}

func TestPlainFolderIgnoresSiblings(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("index.html", "<p>app")
	write("main.wasm", "\x00asm v1")
	write("main.wasm.br", "br-bytes")
	p := start(t, Config{WidgetDir: dir, Plain: true})

	res, body := fetch(t, p.AppURL()+"/main.wasm")
	assert.Equal(t, "\x00asm v1", body, "a plain host never picks a .br sibling")
	assert.Empty(t, res.Header.Get("Content-Encoding"))
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)

	// A rebuilt file gets a new ETag: the old one no longer matches.
	write("main.wasm", "\x00asm v2")
	res, body = fetch(t, p.AppURL()+"/main.wasm", "If-None-Match", etag)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "\x00asm v2", body)
	assert.NotEqual(t, etag, res.Header.Get("ETag"))
}

func TestNoCacheHeaders(t *testing.T) {
	zipName := writeZip(t, map[string]string{"index.html": "<p>app", "pinall.wasm": "\x00asm"})
	p := start(t, Config{AppZip: zipName, NoCacheHeaders: true})
	res, body := fetch(t, p.AppURL()+"/pinall.wasm")
	assert.Equal(t, "\x00asm", body)
	for _, h := range []string{"ETag", "Cache-Control", "Last-Modified", "Expires", "Content-Encoding"} {
		assert.Empty(t, res.Header.Get(h), h)
	}
	res, _ = fetch(t, p.AppURL()+"/pinall.wasm", "If-None-Match", `"anything"`)
	assert.Equal(t, 200, res.StatusCode, "nothing to revalidate against: the whole file again")
}

func TestPacerSharesOneLink(t *testing.T) {
	c := &fakeClock{t: time.Unix(1000, 0)}
	l := newPacer(Pace{Mbps: 20}, c)
	t0 := c.Now()
	// 20 Mbit/s carries 2,500 bytes a millisecond.
	assert.Equal(t, t0.Add(4*time.Millisecond), l.reserve(10_000))
	// Booked at the same instant, a second writer's bytes follow the first's.
	assert.Equal(t, t0.Add(5*time.Millisecond), l.reserve(2_500))
	// A writer that wakes a little late continues where the link was...
	c.Sleep(context.Background(), 5*time.Millisecond+paceSlack)
	assert.Equal(t, t0.Add(6*time.Millisecond), l.reserve(2_500))
	// ...but after an idle link the bytes start from now.
	c.Sleep(context.Background(), time.Second)
	now := c.Now()
	assert.Equal(t, now.Add(2*time.Millisecond), l.reserve(5_000))

	// Round trips only: nothing to book, bytes go at once.
	l = newPacer(Pace{RTT: 40 * time.Millisecond}, c)
	w := &pacedWriter{ResponseWriter: &discard{}, link: l, ctx: context.Background()}
	c.take()
	n, err := w.Write(make([]byte, 100_000))
	assert.NoError(t, err)
	assert.Equal(t, 100_000, n)
	assert.Empty(t, c.take())
}

// A connection's handshake starts when it is opened: a socket the browser
// opened ahead of its first request (Chromium does, for the scripts it sees
// coming) has it behind it by then; one opened for the request pays it.
func TestHandshakeCountsFromTheConnectionsOpening(t *testing.T) {
	c := &fakeClock{t: time.Unix(1000, 0)}
	const rtt = 40 * time.Millisecond
	l := newPacer(Pace{RTT: rtt}, c)
	ctx := l.connContext(context.Background(), nil)
	conn := ctx.Value(connKey{}).(*connState)
	assert.Equal(t, rtt, l.handshake(conn), "a request at once: the whole handshake")
	c.step(15 * time.Millisecond)
	assert.Equal(t, 25*time.Millisecond, l.handshake(conn), "15 ms after the opening: the rest of it")
	c.step(time.Second)
	assert.Equal(t, time.Duration(0), l.handshake(conn), "long after: none")

	// Through the handler: the first request waits the handshake left and
	// its round trip, a later one the round trip only.
	h := l.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	ctx = l.connContext(context.Background(), nil)
	c.step(10 * time.Millisecond)
	c.take()
	for range 2 {
		h.ServeHTTP(&discard{}, httptest.NewRequest("GET", "/index.html", nil).WithContext(ctx))
	}
	assert.Equal(t, []time.Duration{30*time.Millisecond + rtt, rtt}, c.take())
}

type discard struct{ http.ResponseWriter }

func (*discard) Write(b []byte) (int, error) { return len(b), nil }

// TestPacedZipOverAConnection runs the pacer behind a real server and client
// on the fake clock: what each answer cost is exact, no wall clock involved.
func TestPacedZipOverAConnection(t *testing.T) {
	body := strings.Repeat("w", 40_000)
	zipName := writeZip(t, map[string]string{"index.html": "<p>app", "pinall.wasm": body})
	c := &fakeClock{t: time.Unix(1000, 0)}
	const rtt = 40 * time.Millisecond
	p := start(t, Config{AppZip: zipName, Pace: Pace{Mbps: 20, RTT: rtt}, clock: c})
	// 40,000 bytes at 20 Mbit/s: 16 ms, in chunks of 16 KB.
	bodyTime := 16 * time.Millisecond

	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	get := func(header ...string) (status int, reused bool, cost time.Duration, sleeps []time.Duration) {
		req, err := http.NewRequest("GET", p.AppURL()+"/pinall.wasm", nil)
		require.NoError(t, err)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused },
		}))
		c.take()
		t0 := c.Now()
		res, err := client.Do(req)
		require.NoError(t, err)
		got, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		res.Body.Close()
		if res.StatusCode == 200 {
			require.Equal(t, body, string(got))
		}
		return res.StatusCode, reused, c.Now().Sub(t0), c.take()
	}
	handshake := func(reused bool) time.Duration {
		if reused {
			return 0
		}
		return rtt
	}

	status, reused, cost, sleeps := get()
	assert.Equal(t, 200, status)
	assert.False(t, reused)
	assert.Equal(t, 2*rtt+bodyTime, cost, "a new connection: handshake, request, body")
	assert.Equal(t, []time.Duration{2 * rtt, 6553600 * time.Nanosecond, 6553600 * time.Nanosecond, 2892800 * time.Nanosecond}, sleeps,
		"the body goes out in 16 KB chunks, each when the link has carried it")

	status, reused, cost, _ = get()
	assert.Equal(t, 200, status)
	assert.Equal(t, handshake(reused)+rtt+bodyTime, cost)

	status, reused, cost, _ = get("If-None-Match", newPlainFile([]byte(body)).etag)
	assert.Equal(t, http.StatusNotModified, status)
	assert.Equal(t, handshake(reused)+rtt, cost, "a revalidation costs a round trip and no body")
}
