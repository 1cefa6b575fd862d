//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pinall/pinall/internal/minijson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// basePath is where the fake portal mounts its REST API: a request built
// from a wrong absolute URL misses it and fails the test loudly.
const basePath = "/rest"

type testEnv struct {
	client *Client
	mux    *http.ServeMux // REST handlers, paths relative to basePath: "/method.json"
	server *httptest.Server
	tokens *fakeTokens
	clock  *fakeClock
}

// setup starts a fake portal and a client pointed at it with token
// "tok-1", a clock that advances only when the client sleeps, and no
// jitter. Extra options override these.
func setup(t *testing.T, opts ...Option) *testEnv {
	t.Helper()
	env := &testEnv{
		mux:    http.NewServeMux(),
		tokens: &fakeTokens{tok: "tok-1"},
		clock:  newFakeClock(),
	}
	top := http.NewServeMux()
	top.Handle(basePath+"/", http.StripPrefix(basePath, env.mux))
	top.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside %s: %s %s", basePath, r.Method, r.URL)
		http.Error(w, "wrong path", http.StatusBadGateway)
	})
	env.server = httptest.NewServer(top)
	t.Cleanup(env.server.Close)

	base := []Option{
		WithTransport(&HTTPTransport{Client: env.server.Client()}),
		WithTokenSource(env.tokens),
		withClock(env.clock),
		withRand(func() float64 { return 0.5 }),
	}
	c, err := New(env.server.URL+basePath, append(base, opts...)...)
	require.NoError(t, err)
	env.client = c
	return env
}

// handle registers a handler for method and counts its requests.
func (env *testEnv) handle(method string, h http.HandlerFunc) *atomic.Int32 {
	var n atomic.Int32
	env.mux.HandleFunc("/"+method+".json", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	})
	return &n
}

// reply answers every request with status and a JSON body.
func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, status, body)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func errBody(code, desc string) string {
	return `{"error":"` + code + `","error_description":"` + desc + `"}`
}

// form reads a request's body as the portal would.
func form(t *testing.T, r *http.Request) url.Values {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	v, err := url.ParseQuery(string(b))
	require.NoError(t, err, "body %q", b)
	return v
}

// testRequest asserts what every call sends: a POST, a form body, nothing in
// the query string.
func testRequest(t *testing.T, r *http.Request) url.Values {
	t.Helper()
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	assert.Empty(t, r.URL.RawQuery, "nothing may travel in the query string")
	return form(t, r)
}

// testFormValues asserts the whole form.
func testFormValues(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	assert.Equal(t, want, testRequest(t, r))
}

// fakeTokens is a TokenSource: Refresh returns tok-2, tok-3, ...
type fakeTokens struct {
	mu        sync.Mutex
	tok       string
	lagging   bool          // Token keeps returning the first token, as a slow source might
	refreshes int           // Refresh calls
	gate      chan struct{} // if set, Refresh waits for it
	refreshFn func(ctx context.Context, stale Token) (Token, error)
	tokenErr  error
}

func (f *fakeTokens) Token(ctx context.Context) (Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tokenErr != nil {
		return Token{}, f.tokenErr
	}
	if f.lagging {
		return Token{AccessToken: "tok-1"}, nil
	}
	return Token{AccessToken: f.tok}, nil
}

func (f *fakeTokens) Refresh(ctx context.Context, stale Token) (Token, error) {
	f.mu.Lock()
	f.refreshes++
	n := f.refreshes
	gate, fn := f.gate, f.refreshFn
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return Token{}, ctx.Err()
		}
	}
	if fn != nil {
		return fn(ctx, stale)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tok = "tok-" + string(rune('1'+n))
	return Token{AccessToken: f.tok}, nil
}

func (f *fakeTokens) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refreshes
}

// fakeClock is real time plus whatever the client has "slept", so waits
// take no real time but deadlines still mean something.
type fakeClock struct {
	mu     sync.Mutex
	offset time.Duration
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.offset += d
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// transportFunc adapts a function to Transport.
type transportFunc func(ctx context.Context, req *Request) (*Response, error)

func (f transportFunc) Do(ctx context.Context, req *Request) (*Response, error) { return f(ctx, req) }

// isTyped reports whether err is one of the package's error types.
func isTyped(err error) bool {
	var (
		a *APIError
		o *OperationLimitError
		b *BadReplyError
		n *NetworkError
		k *TokenError
	)
	return errors.As(err, &o) || errors.As(err, &a) || errors.As(err, &b) || errors.As(err, &n) || errors.As(err, &k)
}

func assertNoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	require.Error(t, err)
	for _, s := range secrets {
		assert.NotContains(t, err.Error(), s)
	}
}

func encode(v minijson.Value) string { return minijson.Encode(v) }
