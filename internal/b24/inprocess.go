//go:build !js

package b24

import (
	"bytes"
	"io"
	"net/http"
)

// InProcess returns a transport that hands each request to h in the
// caller's goroutine, as if it came from remoteAddr ("10.0.0.1:1"): no
// socket. The office simulation (bench/load) runs hundreds of clients on one
// dev portal this way, and tests run the widget in a testing/synctest
// bubble with it, where a real socket would stop the bubble's clock.
func InProcess(h http.Handler, remoteAddr string) *HTTPTransport {
	return &HTTPTransport{Client: &http.Client{
		Transport:     inProcess{h: h, remote: remoteAddr},
		CheckRedirect: noRedirects.CheckRedirect,
	}}
}

type inProcess struct {
	h      http.Handler
	remote string
}

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	r.RemoteAddr = t.remote
	w := &recorder{header: http.Header{}}
	t.h.ServeHTTP(w, r)
	if w.status == 0 && w.body.Len() == 0 {
		// The handler dropped the request without answering.
		return nil, io.ErrUnexpectedEOF
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return &http.Response{
		Status: http.StatusText(w.status), StatusCode: w.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: w.header, Body: io.NopCloser(&w.body), ContentLength: int64(w.body.Len()), Request: r,
	}, nil
}

// recorder is the http.ResponseWriter an in-process handler writes to.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}
