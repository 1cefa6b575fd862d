package devportal

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// The plain host serves the app's files the way Bitrix24 serves the files of
// an uploaded zip, and the way a plain static host does: the bytes as they
// are, whatever they hold (a gzip'd file goes out gzip'd, with no
// Content-Encoding, and .br/.gz siblings are ordinary files), the
// Content-Type from the extension, a strong ETag and Cache-Control: no-cache,
// so a warm open revalidates and gets 304. With Config.NoCacheHeaders it sends
// no validator and no cache header at all: every open downloads every file
// again, unless the app keeps its own copy.

// plainTypes adds the types a static host gives the compressed files a zip
// may hold to the app server's table.
var plainTypes = map[string]string{".gz": "application/gzip", ".br": "application/octet-stream"}

// plainFile is one file the plain host serves.
type plainFile struct {
	body []byte
	etag string // strong: a hash of body, quoted
}

func newPlainFile(body []byte) plainFile {
	sum := sha256.Sum256(body)
	return plainFile{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// loadZip reads every file of the zip at name into memory, by its path in
// the zip ("index.html", "sub/x.js").
func loadZip(name string) (map[string]plainFile, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("devportal: app zip: %w", err)
	}
	defer zr.Close()
	files := map[string]plainFile{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		clean := path.Clean("/" + f.Name)
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("devportal: app zip %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("devportal: app zip %s: %w", f.Name, err)
		}
		files[clean] = newPlainFile(b)
	}
	if _, ok := files["/index.html"]; !ok {
		return nil, fmt.Errorf("devportal: app zip %s has no index.html at its root (Bitrix24 needs it there)", name)
	}
	return files, nil
}

// plainHandler serves zipFiles when the portal was given a zip, else
// WidgetDir's files read at each request (a test may change them).
func (p *Portal) plainHandler(zipFiles map[string]plainFile) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := p.staticName(w, r)
		if !ok {
			return
		}
		var f plainFile
		if zipFiles != nil {
			f, ok = zipFiles[name]
		} else if p.cfg.WidgetDir != "" {
			if b, err := os.ReadFile(filepath.Join(p.cfg.WidgetDir, filepath.FromSlash(name))); err == nil {
				f, ok = newPlainFile(b), true
			}
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		ext := strings.ToLower(path.Ext(name))
		ct, known := mimeTypes[ext]
		if !known {
			if ct, known = plainTypes[ext]; !known {
				ct = "application/octet-stream"
			}
		}
		if ext == ".wasm" && (p.cfg.WrongWasmMIME || r.URL.Query().Has("wrongmime")) {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		h.Set("X-Content-Type-Options", "nosniff")
		if !p.cfg.NoCacheHeaders {
			h.Set("ETag", f.etag)
			h.Set("Cache-Control", "no-cache")
		}
		// ServeContent answers If-None-Match with 304 and Range requests;
		// the zero time sends no Last-Modified.
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	})
}
