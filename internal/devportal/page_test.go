package devportal

import (
	"compress/gzip"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPageRendersTheFrameLikeThePortal(t *testing.T) {
	p := start(t, Config{})
	sid, page := openPage(t, p, "lang=ru")
	host := strings.TrimPrefix(p.PortalURL(), "http://")
	assert.True(t, strings.HasPrefix(host, "localhost:"))
	assert.Contains(t, page, `name="`+host+`|0|`+sid+`"`)
	src := p.AppURL() + "/index.html?DOMAIN=" + url.QueryEscape(host) + "&PROTOCOL=0&LANG=ru&APP_SID=" + sid
	assert.Contains(t, html.UnescapeString(page), `src="`+src+`"`)
	assert.NotContains(t, page, "<script>", "no inline script under the CSP")

	res, err := http.Get(p.PortalURL() + "/")
	require.NoError(t, err)
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "script-src 'self'")
	assert.Contains(t, csp, "frame-src "+p.AppURL())
	// portal.js writes text only: no string may reach an HTML or script sink.
	assert.Contains(t, csp, "require-trusted-types-for 'script'; trusted-types 'none'")

	res, err = http.Get(p.PortalURL() + "/devportal/static/portal.js")
	require.NoError(t, err)
	js, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.NotContains(t, string(js), "innerHTML")
	assert.NotContains(t, string(js), `postMessage(text, '*')`)
}

func TestInstallFlow(t *testing.T) {
	p := start(t, Config{Install: true})
	sid, page := openPage(t, p, "")
	assert.Contains(t, page, "/install.html?")
	a := frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "c1", Accepted: true})
	assert.Equal(t, true, a.Data.(map[string]any)["INSTALL"])
	a = frame(t, p, frameRequest{SID: sid, Command: "setInstallFinish", Params: "{}", Accepted: true})
	assert.False(t, a.Reply)
	assert.Contains(t, a.Reload, "/index.html?DOMAIN=")
	assert.True(t, p.Installed())
	// A second setInstallFinish is dropped.
	frame(t, p, frameRequest{SID: sid, Command: "setInstallFinish", Accepted: true})
	ev := p.FrameEvents()
	assert.False(t, ev[len(ev)-1].Accepted)
}

func TestFrameCommands(t *testing.T) {
	p := start(t, Config{TokenTTL: 1800e9})
	sid, _ := openPage(t, p, "")
	a := frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "cb1", Accepted: true})
	require.True(t, a.Reply)
	d := a.Data.(map[string]any)
	assert.Equal(t, "en", d["LANG"])
	assert.Equal(t, strings.TrimPrefix(p.PortalURL(), "http://"), d["DOMAIN"])
	assert.Equal(t, float64(0), d["PROTOCOL"])
	assert.Equal(t, "/rest", d["PATH"])
	assert.Equal(t, "1800", d["AUTH_EXPIRES"])
	assert.Equal(t, "DEFAULT", d["PLACEMENT"])
	assert.Equal(t, "", d["PLACEMENT_OPTIONS"])
	assert.Equal(t, false, d["INSTALL"])
	assert.Equal(t, true, d["IS_ADMIN"])
	for _, k := range []string{"AUTH_ID", "REFRESH_ID", "MEMBER_ID", "FIRST_RUN", "USER_OPTIONS", "APP_OPTIONS"} {
		assert.Contains(t, d, k)
	}
	tok := d["AUTH_ID"].(string)
	assert.Equal(t, 200, call(t, p, "imopenlines.session.mode.pinAll", authed(tok)).Status)

	// refreshAuth issues a new token; the old one stays valid.
	a = frame(t, p, frameRequest{SID: sid, Command: "refreshAuth", Params: "{}", Callback: "cb2", Accepted: true})
	fresh := a.Data.(map[string]any)["AUTH_ID"].(string)
	assert.NotEqual(t, tok, fresh)
	assert.Equal(t, 200, call(t, p, "server.time", authed(fresh)).Status)
	assert.Equal(t, 200, call(t, p, "server.time", authed(tok)).Status)
	p.SetRefreshSilent(true)
	a = frame(t, p, frameRequest{SID: sid, Command: "refreshAuth", Callback: "cb3", Accepted: true})
	assert.False(t, a.Reply)

	a = frame(t, p, frameRequest{SID: sid, Command: "resizeWindow", Params: `{"width":"100%","height":640}`, Callback: "cb4", Accepted: true})
	assert.Equal(t, map[string]any{"width": "100%", "height": float64(640)}, a.Data)
	a = frame(t, p, frameRequest{SID: sid, Command: "setTitle", Params: `{"title":"Pinned: 8"}`, Callback: "cb5", Accepted: true})
	assert.Equal(t, "Pinned: 8", a.Title)
	frame(t, p, frameRequest{SID: sid, Command: "imOpenMessenger", Params: `{"dialogId":"chat1364"}`, Callback: "cb6", Accepted: true})
	a = frame(t, p, frameRequest{SID: sid, Command: "getInterface", Callback: "cb7", Accepted: true})
	assert.Contains(t, a.Data.(map[string]any)["command"], "getInitData")
	a = frame(t, p, frameRequest{SID: sid, Command: "evalSomething", Callback: "cb8", Accepted: true})
	assert.False(t, a.Reply)
	frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "cb9", Origin: "http://evil.example", Accepted: false, Reason: "origin http://evil.example"})

	ev := p.FrameEvents()
	require.Len(t, ev, 9)
	assert.False(t, ev[2].Accepted, "silent refresh")
	assert.Equal(t, "refresh silent", ev[2].Reason)
	assert.Equal(t, float64(640), ev[3].Height)
	assert.Equal(t, "Pinned: 8", ev[4].Title)
	assert.Equal(t, "chat1364", ev[5].DialogID)
	assert.True(t, ev[5].Accepted)
	assert.False(t, ev[5].Replied, "imOpenMessenger has no reply")
	assert.Equal(t, "unknown command", ev[7].Reason)
	assert.False(t, ev[8].Accepted)
	assert.Equal(t, "http://evil.example", ev[8].Origin)
}

func TestSidebarPlacement(t *testing.T) {
	p := start(t, Config{})
	sid, _ := openPage(t, p, "placement=IM_SIDEBAR&dialog=chat1366")
	a := frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "c", Accepted: true})
	d := a.Data.(map[string]any)
	assert.Equal(t, "IM_SIDEBAR", d["PLACEMENT"])
	assert.Equal(t, map[string]any{"dialogId": "chat1366"}, d["PLACEMENT_OPTIONS"])
	a = frame(t, p, frameRequest{SID: sid, Command: "setTitle", Params: `{"title":"x"}`, Callback: "c2", Accepted: true})
	assert.False(t, a.Reply, "setTitle is denied outside DEFAULT")
}

func TestAppServer(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("index.html", "<!doctype html><p>widget")
	write("main.wasm", "\x00asm")
	write("app.js", "console.log(1)")
	var gz strings.Builder
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\x00asm-gz"))
	zw.Close()
	write("main.wasm.gz", gz.String())
	write("main.wasm.br", "br-bytes") // served as is: the server never decodes it
	p := start(t, Config{WidgetDir: dir})

	get := func(path, accept string) (*http.Response, string) { return getEncoded(t, p.AppURL()+path, accept) }
	res, body := get("/main.wasm", "identity")
	assert.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	assert.Equal(t, "\x00asm", body)
	res, body = get("/main.wasm", "gzip, deflate, br")
	assert.Equal(t, "br", res.Header.Get("Content-Encoding"), "brotli first when both are accepted")
	assert.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
	assert.Equal(t, "br-bytes", body)
	assert.Equal(t, "Accept-Encoding", res.Header.Get("Vary"))
	res, body = get("/main.wasm", "gzip, deflate")
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
	assert.Equal(t, gz.String(), body)
	res, _ = get("/main.wasm", "br;q=0, gzip")
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"), "q=0 refuses brotli")
	res, _ = get("/app.js", "")
	assert.Contains(t, res.Header.Get("Content-Type"), "text/javascript")
	res, body = get("/", "")
	assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, body, "widget")
	res, _ = get("/main.wasm?wrongmime=1", "")
	assert.Equal(t, "application/octet-stream", res.Header.Get("Content-Type"))
	res, _ = get("/../../etc/passwd", "")
	assert.Equal(t, 404, res.StatusCode)
	// A rebuilt file makes its siblings stale; a removed one is not served by them.
	later := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "main.wasm"), later, later))
	res, body = get("/main.wasm", "gzip, br")
	assert.Equal(t, "", res.Header.Get("Content-Encoding"))
	assert.Equal(t, "\x00asm", body)
	require.NoError(t, os.Remove(filepath.Join(dir, "main.wasm")))
	res, _ = get("/main.wasm", "gzip, br")
	assert.Equal(t, 404, res.StatusCode)
}

// The widget as make build writes it: pinall.wasm holds the gzip stream and
// is served as it is (application/wasm, no Content-Encoding: loader.js
// unpacks it), its .br sibling to a browser that accepts brotli. AppWrap
// sees every request.
func TestAppServerBuiltWidget(t *testing.T) {
	dir := t.TempDir()
	var gz strings.Builder
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("\x00asm"))
	zw.Close()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pinall.wasm"), []byte(gz.String()), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pinall.wasm.br"), []byte("br-bytes"), 0o644))
	var seen []string
	p := start(t, Config{WidgetDir: dir, AppWrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.URL.Path)
			h.ServeHTTP(w, r)
		})
	}})
	get := func(accept string) (*http.Response, string) { return getEncoded(t, p.AppURL()+"/pinall.wasm", accept) }
	for _, accept := range []string{"", "gzip, deflate"} {
		res, body := get(accept)
		assert.Equal(t, "application/wasm", res.Header.Get("Content-Type"), accept)
		assert.Equal(t, "", res.Header.Get("Content-Encoding"), accept)
		assert.Equal(t, gz.String(), body, accept)
	}
	res, body := get("gzip, deflate, br")
	assert.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
	assert.Equal(t, "br", res.Header.Get("Content-Encoding"))
	assert.Equal(t, "br-bytes", body)
	assert.Equal(t, []string{"/pinall.wasm", "/pinall.wasm", "/pinall.wasm"}, seen)
}

func TestResetRestoresDemo(t *testing.T) {
	p := start(t, Config{})
	call(t, p, "imopenlines.session.mode.pinAll", authed(p.IssueToken(1)))
	p.SetScopes()
	res, err := http.Post(p.PortalURL()+"/devportal/api/reset", "", nil)
	require.NoError(t, err)
	res.Body.Close()
	assert.False(t, pinnedOf(p)[1652])
	assert.Empty(t, p.Requests())
	assert.True(t, p.hasScope("imopenlines"))
}

// Hostile-input hooks: SetInitOverride replaces getInitData's fields (and
// only those), SetFrameDomain changes the DOMAIN the page frames the app
// with, and Reset undoes both.
func TestHostileInitDataAndFrameDomain(t *testing.T) {
	p := start(t, Config{})
	payload := `"><img src=x onerror=alert(1)>`
	p.SetInitOverride(map[string]any{"LANG": payload, "PLACEMENT_OPTIONS": map[string]any{"dialogId": payload}})
	sid, _ := openPage(t, p, "")
	d := frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "cb1", Accepted: true}).Data.(map[string]any)
	assert.Equal(t, payload, d["LANG"])
	assert.Equal(t, map[string]any{"dialogId": payload}, d["PLACEMENT_OPTIONS"])
	assert.Equal(t, "DEFAULT", d["PLACEMENT"], "fields not overridden stay the portal's")
	assert.NotEmpty(t, d["AUTH_ID"])

	host := strings.TrimPrefix(p.PortalURL(), "http://")
	p.SetFrameDomain("evil.com@" + host)
	sid, page := openPage(t, p, "")
	page = html.UnescapeString(page)
	assert.Contains(t, page, `name="evil.com@`+host+`|0|`+sid+`"`)
	assert.Contains(t, page, "?DOMAIN="+url.QueryEscape("evil.com@"+host)+"&")

	p.Reset()
	sid, page = openPage(t, p, "")
	assert.Contains(t, page, `name="`+host+`|0|`+sid+`"`)
	d = frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "cb2", Accepted: true}).Data.(map[string]any)
	assert.Equal(t, "en", d["LANG"])
	assert.Equal(t, "", d["PLACEMENT_OPTIONS"])
}

// getEncoded GETs url asking for the encodings in accept, as a browser
// would, without the client decoding the reply: the body as it was sent.
func getEncoded(t *testing.T, url, accept string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", accept)
	res, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}
