//go:build !js

package b24

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// HTTPTransport sends requests with net/http, for native builds (tests,
// tools). It is not built for js/wasm.
type HTTPTransport struct {
	Client *http.Client // nil: a client that does not follow redirects
}

func defaultTransport() Transport { return &HTTPTransport{} }

// noRedirects returns a 3xx as the response: following one would turn the
// POST into a GET without its body, hiding what happened.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do posts req and reads the reply through req.MaxBody. An error means no
// HTTP response arrived; it is net/http's cause without its *url.Error,
// whose "Post URL" the client's NetworkError already says.
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
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, err
	}
	defer hresp.Body.Close()
	limit := int64(req.MaxBody)
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
