package devportal

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func start(t *testing.T, cfg Config) *Portal {
	t.Helper()
	p, err := Start(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}

// fakeClock is a clock that moves only when stepped, or when the app
// files' pacer sleeps on it (the sleeps are kept for the test to read). The
// tests here run real sockets, where a testing/synctest bubble's clock
// would not move: Config.clock takes this one.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) step(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Now and Sleep make it the pacer's clock.
func (c *fakeClock) Now() time.Time { return c.now() }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.sleeps = append(c.sleeps, d)
	return ctx.Err()
}

// take returns the pacer's sleeps since the last take.
func (c *fakeClock) take() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sleeps
	c.sleeps = nil
	return s
}

// startStepped starts a portal whose limits and token expiry read a fake
// clock: time passes only when the test steps it.
func startStepped(t *testing.T, cfg Config) (*Portal, *fakeClock) {
	t.Helper()
	c := &fakeClock{t: time.Now()}
	cfg.clock = c
	return start(t, cfg), c
}

// inBubble makes a portal that listens nowhere, its portal origin served
// in process, for a test inside a testing/synctest bubble: without a
// socket, synctest.Wait returns once a request waits at the server (a held
// frame report, a report waiting for its turn, a long poll), and the
// server's timers run on the bubble's clock. The helpers below reach it
// through client(p).
func inBubble(t *testing.T, cfg Config) *Portal {
	t.Helper()
	p, err := newPortal(cfg)
	require.NoError(t, err)
	p.portalHost, p.portalURL, p.appURL = "portal.test", "http://portal.test", "http://app.test"
	h := p.portalHandler()
	inProcess.Store(p, &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Result(), nil
	})})
	t.Cleanup(func() {
		p.Close()
		inProcess.Delete(p)
	})
	return p
}

// inProcess holds the clients of the portals inBubble made.
var inProcess sync.Map // *Portal -> *http.Client

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// client reaches p: over its socket, or in process when inBubble made it.
func client(p *Portal) *http.Client {
	if c, ok := inProcess.Load(p); ok {
		return c.(*http.Client)
	}
	return http.DefaultClient
}

// answer is a decoded REST response.
type answer struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (a answer) code() string { s, _ := a.Body["error"].(string); return s }

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	a := answer{Status: res.StatusCode, Header: res.Header, Raw: string(raw)}
	_ = json.Unmarshal(raw, &a.Body)
	return a
}

// call posts a urlencoded form to /rest/{method}.json.
func call(t *testing.T, p *Portal, method string, form url.Values) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", p.PortalURL()+"/rest/"+method+".json", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

func authed(tok string, kv ...string) url.Values {
	v := url.Values{"auth": {tok}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func ids(t *testing.T, a answer) []int {
	t.Helper()
	require.Equal(t, 200, a.Status, a.Raw)
	var out []int
	for _, x := range a.Body["result"].([]any) {
		out = append(out, int(x.(float64)))
	}
	return out
}

var sidRe = regexp.MustCompile(`data-sid="([0-9a-f]+)"`)

// openPage renders the portal page and returns its APP_SID and HTML.
func openPage(t *testing.T, p *Portal, query string) (string, string) {
	t.Helper()
	res, err := client(p).Get(p.PortalURL() + "/?" + query)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := sidRe.FindStringSubmatch(string(b))
	require.NotNil(t, m, string(b))
	return m[1], string(b)
}

// frame sends one message as portal.js reports it and returns the answer.
func frame(t *testing.T, p *Portal, fr frameRequest) frameAnswer {
	t.Helper()
	if fr.Origin == "" {
		fr.Origin = p.AppURL()
	}
	if fr.AppSID == "" {
		fr.AppSID = fr.SID
	}
	b, _ := json.Marshal(fr)
	res, err := client(p).Post(p.PortalURL()+"/devportal/api/frame", "application/json", strings.NewReader(string(b)))
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	var a frameAnswer
	require.NoError(t, json.NewDecoder(res.Body).Decode(&a))
	return a
}

func pinnedOf(p *Portal) map[int]bool {
	m := map[int]bool{}
	for _, s := range p.Sessions() {
		m[s.ID] = s.Pinned
	}
	return m
}

var _ = time.Second
