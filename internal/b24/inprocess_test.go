//go:build !js

package b24

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The in-process transport carries what a socket would: the form body, the
// status, the content type, the reply; and the remote address it was given.
func TestInProcess(t *testing.T) {
	var remote, auth string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		remote = r.RemoteAddr
		require.NoError(t, r.ParseForm())
		auth = r.PostForm.Get("auth")
		if r.URL.Path == "/rest/imopenlines.session.mode.pinAll.json" {
			writeJSON(w, 200, `{"result":[5,6]}`)
			return
		}
		writeJSON(w, 503, errBody("QUERY_LIMIT_EXCEEDED", "Too many requests"))
	})
	c, err := New("https://portal.example/rest", WithTransport(InProcess(h, "10.0.0.1:1")),
		WithTokenSource(&fakeTokens{tok: "tok-1"}), WithRetryPolicy(RetryPolicy{MaxRetries: -1}))
	require.NoError(t, err)

	ids, err := c.PinAll(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []int64{5, 6}, ids.List)
	assert.Equal(t, "10.0.0.1:1", remote)
	assert.Equal(t, "tok-1", auth, "the token in the body")

	_, err = c.UnpinAll(context.Background())
	assert.ErrorIs(t, err, ErrQueryLimit)

	// The status the handler wrote first is the reply's, as on a socket.
	for _, tt := range []struct {
		h    http.HandlerFunc
		want int
	}{
		{func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 503, `{}`) }, 503},
		{func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401); w.WriteHeader(500) }, 401},
		{func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{}`)) }, 200},
	} {
		resp, err := InProcess(tt.h, "10.0.0.1:1").Do(context.Background(), &Request{URL: "https://portal.example/rest/x.json"})
		require.NoError(t, err)
		assert.Equal(t, tt.want, resp.Status)
	}

	dropped := InProcess(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), "10.0.0.1:1")
	_, err = dropped.Do(context.Background(), &Request{URL: "https://portal.example/rest/x.json"})
	assert.Error(t, err, "no answer at all is no response")
}
