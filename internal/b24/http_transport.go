//go:build !js

package b24

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
)

// HTTPTransport sends requests with net/http, for native builds (tests,
// tools). It is not built for js/wasm.
type HTTPTransport struct {
	Client  *http.Client // nil: a client that does not follow redirects
	MaxBody int64        // bodies are cut here and marked Truncated; <= 0: DefaultMaxBody
}

func defaultTransport(maxBody int64) Transport { return &HTTPTransport{MaxBody: maxBody} }

// noRedirects returns a 3xx as the response: following one would turn the
// POST into a GET without its body, hiding what happened.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do posts req and reads the reply through the size cap. An error means no
// HTTP response arrived.
func (t *HTTPTransport) Do(ctx context.Context, req *Request) (*Response, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, req.URL, strings.NewReader(req.Body))
	if err != nil {
		return nil, err
	}
	if req.ContentType != "" {
		hreq.Header.Set("Content-Type", req.ContentType)
	}
	client := t.Client
	if client == nil {
		client = noRedirects
	}
	hresp, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer hresp.Body.Close()
	limit := t.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(hresp.Body, limit+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	resp := &Response{Status: hresp.StatusCode, ContentType: hresp.Header.Get("Content-Type"), Body: body}
	if int64(len(body)) > limit {
		resp.Body, resp.Truncated = body[:limit], true
	}
	return resp, nil
}
