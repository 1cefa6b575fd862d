//go:build !js

package b24

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHTTPTransport(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(strings.Repeat("a", 100)))
		case "/moved":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		default:
			assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
			assert.Empty(t, r.Header.Get("Authorization"))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(503)
			w.Write([]byte(`{"error":"x"}`))
		}
	}))
	t.Cleanup(srv.Close)
	tr := &HTTPTransport{}

	resp, err := tr.Do(context.Background(), &Request{URL: srv.URL + "/big", ContentType: formContentType, Body: "a=1", MaxBody: 10})
	require.NoError(t, err)
	assert.True(t, resp.Truncated)
	assert.Len(t, resp.Body, 10)

	resp, err = tr.Do(context.Background(), &Request{URL: srv.URL + "/ok", ContentType: formContentType, Body: "a=1"})
	require.NoError(t, err, "any status is a response")
	assert.Equal(t, 503, resp.Status)
	assert.Equal(t, "application/json", resp.ContentType)
	assert.False(t, resp.Truncated)
	assert.Equal(t, `{"error":"x"}`, string(resp.Body))

	resp, err = tr.Do(context.Background(), &Request{URL: srv.URL + "/moved", ContentType: formContentType})
	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, resp.Status, "redirects are not followed")

	srv.Close()
	_, err = tr.Do(context.Background(), &Request{URL: srv.URL + "/ok"})
	assert.Error(t, err, "no response is an error")
}
