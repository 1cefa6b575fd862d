package devportal

import (
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

var mimeTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
	".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
	".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml",
	".png": "image/png", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8",
	".woff2": "font/woff2", ".map": "application/json",
}

const placeholderPage = `<!doctype html><meta charset="utf-8"><title>Pin All</title>
<p>The widget is not built: the dev portal found no index.html in its widget directory.</p>`

// appServer serves the app origin: the widget's files negotiated
// (appHandler), or as a plain host serves them (plainhost.go), either paced
// when Config.Pace asks for it (pace.go).
func (p *Portal) appServer() (*http.Server, error) {
	h := p.appHandler()
	if p.cfg.AppZip != "" || p.cfg.Plain {
		var files map[string]plainFile
		if p.cfg.AppZip != "" {
			var err error
			if files, err = loadZip(p.cfg.AppZip); err != nil {
				return nil, err
			}
		}
		h = p.plainHandler(files)
	}
	if p.cfg.AppWrap != nil {
		h = p.cfg.AppWrap(h)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if p.cfg.Pace.on() {
		l := newPacer(p.cfg.Pace, p.cfg.clock)
		srv.Handler, srv.ConnContext = l.wrap(h), l.connContext
	}
	return srv, nil
}

// staticName is the app file r asks for ("/" is the entry page), or false
// once it has answered a method a static host does not take.
func (p *Portal) staticName(w http.ResponseWriter, r *http.Request) (string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return "", false
	}
	name := path.Clean("/" + r.URL.Path)
	if name == "/" {
		name = "/" + p.cfg.EntryFile
	}
	return name, true
}

// appHandler serves the widget's static files on the app origin, preferring
// a precompressed .br or .gz sibling the client accepts.
func (p *Portal) appHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := p.staticName(w, r)
		if !ok {
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		ext := strings.ToLower(path.Ext(name))
		ct, ok := mimeTypes[ext]
		if !ok {
			ct = "application/octet-stream"
		}
		if ext == ".wasm" && (p.cfg.WrongWasmMIME || r.URL.Query().Has("wrongmime")) {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		full := filepath.Join(p.cfg.WidgetDir, filepath.FromSlash(name))
		if p.cfg.WidgetDir == "" {
			full = ""
		}
		f, enc := openEncoded(full, r.Header.Get("Accept-Encoding"))
		if f == nil {
			if name == "/favicon.ico" { // the widget has none; see favicon.go
				serveFavicon(w, r)
				return
			}
			if name == "/"+p.cfg.EntryFile {
				io.WriteString(w, placeholderPage)
				return
			}
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		h.Add("Vary", "Accept-Encoding")
		if enc != "" {
			h.Set("Content-Encoding", enc)
		}
		http.ServeContent(w, r, "", st.ModTime(), f)
	})
}

// openEncoded opens name.br or name.gz when accepted, present and not older
// than name itself, else name. A sibling of a missing or rebuilt file is
// stale: serving it would hide the file's real state (the loader tests
// replace and remove pinall.wasm in a copy of widget/).
func openEncoded(name, accept string) (*os.File, string) {
	if name == "" {
		return nil, ""
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, ""
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return f, ""
	}
	for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !acceptsEncoding(accept, enc.token) {
			continue
		}
		if sib, err := os.Stat(name + enc.ext); err != nil || sib.ModTime().Before(st.ModTime()) {
			continue
		}
		if e, err := os.Open(name + enc.ext); err == nil {
			f.Close()
			return e, enc.token
		}
	}
	return f, ""
}

func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), token) {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") ||
				strings.Contains(params, "q=0.")
		}
	}
	return false
}
