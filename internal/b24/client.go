// Package b24 is a small Bitrix24 REST client for the Pin All widget: it
// builds form-encoded POSTs, maps replies to typed errors, refreshes expired
// tokens and backs off when rate limited. It is plain Go: the transport is
// an interface (net/http natively, the browser's fetch in the wasm build).
package b24

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/pinall/pinall/internal/clock"
	"github.com/pinall/pinall/internal/minijson"
)

// Defaults.
const (
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBody caps a reply: the transports read no more. A
	// 10,000-id result is about 70 KB, a 50-command batch of dialogs a few
	// dozen KB.
	DefaultMaxBody = 1 << 20

	formContentType = "application/x-www-form-urlencoded"
)

// Client calls one portal's REST API. It is safe for concurrent use.
type Client struct {
	ep        endpoint
	transport Transport
	tokens    TokenSource // nil: webhook mode, no auth parameter
	refresher *refresher
	timeout   time.Duration
	maxBody   int
	policy    RetryPolicy
	clock     clock.Clock
	rand      func() float64
}

// Option configures a Client.
type Option func(*Client)

// WithTransport sets how requests travel. Native builds default to an
// HTTPTransport; the wasm build has no default and needs this.
func WithTransport(t Transport) Option { return func(c *Client) { c.transport = t } }

// WithTokenSource sets where OAuth tokens come from. Without one (or with
// nil) the client sends no auth parameter: a webhook endpoint.
func WithTokenSource(ts TokenSource) Option { return func(c *Client) { c.tokens = ts } }

// WithTimeout bounds each call, retries and refresh included (default
// 30 s). Zero or less: only the caller's context bounds it.
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithRetryPolicy sets the retry limits and backoff; zero fields keep
// their defaults.
func WithRetryPolicy(p RetryPolicy) Option { return func(c *Client) { c.policy = p.withDefaults() } }

// withMaxBody caps the size of a reply (default 1 MiB); a larger one is a
// *BadReplyError of kind ErrTooLarge.
func withMaxBody(n int) Option {
	return func(c *Client) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// withClock replaces the clock the client waits on between retries, keeps
// its waits inside the deadline with, and estimates when an operating-time
// budget resets by. For this package's tests, which run against a real
// socket, where testing/synctest's clock does not move.
func withClock(c clock.Clock) Option {
	return func(cl *Client) {
		if c != nil {
			cl.clock = c
		}
	}
}

// withRand replaces the jitter source; it must return values in [0, 1).
// For tests.
func withRand(r func() float64) Option {
	return func(c *Client) {
		if r != nil {
			c.rand = r
		}
	}
}

// New returns a client for endpoint: https://{DOMAIN}{PATH} (PATH defaults
// to /rest) or a webhook base https://{DOMAIN}/rest/{user}/{code}.
func New(endpointURL string, opts ...Option) (*Client, error) {
	ep, err := parseEndpoint(endpointURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		ep:      ep,
		timeout: DefaultTimeout,
		maxBody: DefaultMaxBody,
		policy:  defaultRetryPolicy,
		clock:   clock.Real,
		rand:    rand.Float64,
	}
	for _, opt := range opts {
		opt(c)
	}
	if c.transport == nil {
		c.transport = defaultTransport()
	}
	if c.transport == nil {
		return nil, &ParamError{Msg: "no transport: use WithTransport"}
	}
	if c.tokens != nil {
		rt := c.timeout
		if rt <= 0 {
			rt = DefaultTimeout
		}
		c.refresher = &refresher{src: c.tokens, timeout: rt}
	}
	return c, nil
}

// Call invokes a REST method and returns its `result`. It retries as the
// package documentation says; errors are the types in errors.go, or the
// context's error (errors.Is(err, context.Canceled)) when ctx ends first.
//
// The steps, each below: take a token (call.start), send one request and
// read its reply (call.send, then checkResponse), and after a failure let
// the retry policy decide whether to go again (call.retry).
func (c *Client) Call(ctx context.Context, method string, params Params) (minijson.Value, error) {
	if !validMethod(method) {
		return minijson.Value{}, &ParamError{Msg: "invalid method name " + strconv.Quote(sanitize(method, 80))}
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	cl := &call{
		c:       c,
		method:  method,
		params:  params,
		url:     c.ep.base + "/" + method + ".json",
		safeURL: c.ep.safe + "/" + method + ".json",
		red:     &redactor{},
	}
	cl.red.add(c.ep.webhook)
	v, err := cl.run(ctx)
	if err != nil {
		return minijson.Value{}, cl.finish(err)
	}
	return v, nil
}

// call is one Call in progress: its token and what it has tried so far.
type call struct {
	c            *Client
	method       string
	params       Params
	url, safeURL string    // safeURL has a webhook code redacted
	red          *redactor // the secrets this call has seen
	tok          Token
	refreshed    bool  // the token was refreshed once already
	rateRetries  int   // QUERY_LIMIT_EXCEEDED retries so far
	netRetries   int   // retries after no response so far
	last         error // the previous attempt's error
}

func (cl *call) run(ctx context.Context) (minijson.Value, error) {
	if err := cl.start(ctx); err != nil {
		return minijson.Value{}, err
	}
	for {
		if ctx.Err() != nil {
			return minijson.Value{}, cl.stopped(ctx)
		}
		resp, err := cl.send(ctx)
		if ctx.Err() != nil {
			// A cancelled context wins over whatever the transport made of it.
			return minijson.Value{}, cl.stopped(ctx)
		}
		if err == nil {
			var v minijson.Value
			if v, err = checkResponse(resp, cl.c.clock.Now); err == nil {
				return v, nil
			}
		}
		cl.last = err
		again, err := cl.retry(ctx, err)
		if !again {
			return minijson.Value{}, err
		}
	}
}

// start takes the token to send (none for a webhook).
func (cl *call) start(ctx context.Context) error {
	if cl.c.tokens == nil {
		return nil
	}
	tok, err := cl.c.tokens.Token(ctx)
	if err == nil && tok.AccessToken == "" {
		err = errEmptyToken
	}
	cl.red.add(tok.AccessToken)
	if err != nil {
		if ctx.Err() != nil {
			return cl.stopped(ctx)
		}
		return &TokenError{Err: err}
	}
	cl.tok = tok
	return nil
}

// send makes one request. No response at all is a *NetworkError; any
// reply is returned, cut to the body cap.
func (cl *call) send(ctx context.Context) (*Response, error) {
	var form Params
	if cl.c.tokens != nil {
		form = Params{{Key: "auth", Value: cl.tok.AccessToken}}
	}
	req := &Request{URL: cl.url, ContentType: formContentType, Body: append(form, cl.params...).Encode(), MaxBody: cl.c.maxBody}
	resp, err := cl.c.transport.Do(ctx, req)
	if err == nil && resp == nil {
		err = errors.New("the transport returned no response")
	}
	if err != nil {
		return nil, &NetworkError{Method: cl.method, URL: cl.safeURL, Err: err}
	}
	if len(resp.Body) > cl.c.maxBody {
		// The transport did not cap the body: apply the cap here.
		capped := *resp
		capped.Body, capped.Truncated = resp.Body[:cl.c.maxBody], true
		resp = &capped
	}
	return resp, nil
}

// retry applies the retry policy to a failed attempt: after no response it
// waits and goes again (NetworkRetries); after expired_token or
// invalid_token it refreshes the token once; after QUERY_LIMIT_EXCEEDED it
// backs off (MaxRetries). again is false when the call ends with err:
// malformed replies and other codes are not retried, and no wait runs past
// the deadline.
func (cl *call) retry(ctx context.Context, err error) (again bool, _ error) {
	if _, ok := err.(*NetworkError); ok {
		if cl.netRetries >= cl.c.policy.NetworkRetries {
			return false, err
		}
		cl.netRetries++
		return cl.wait(ctx, cl.c.policy.NetworkDelay)
	}
	apiErr, ok := errors.AsType[*APIError](err)
	switch {
	case !ok:
		return false, err
	case cl.c.tokens != nil && !cl.refreshed && (apiErr.Is(ErrExpiredToken) || apiErr.Is(ErrInvalidToken)):
		cl.refreshed = true
		fresh, rerr := cl.c.refresher.refresh(ctx, cl.tok)
		if rerr != nil {
			if ctx.Err() != nil {
				return false, cl.stopped(ctx)
			}
			return false, &TokenError{API: apiErr, Err: rerr}
		}
		cl.tok = fresh
		cl.red.add(fresh.AccessToken)
		return true, nil
	case apiErr.Is(ErrQueryLimit) && cl.rateRetries < cl.c.policy.MaxRetries:
		d := cl.c.policy.backoff(cl.rateRetries, cl.c.rand())
		cl.rateRetries++
		return cl.wait(ctx, d)
	}
	return false, err
}

// wait sleeps d before the next attempt; when d would pass the deadline
// the call ends with the last error instead.
func (cl *call) wait(ctx context.Context, d time.Duration) (again bool, _ error) {
	ok, err := cl.c.wait(ctx, d)
	switch {
	case err != nil:
		return false, cl.stopped(ctx)
	case !ok:
		return false, cl.last
	}
	return true, nil
}

// stopped is the error of a call whose context ended: ctx.Err(), with the
// last attempt's error named in its text.
func (cl *call) stopped(ctx context.Context) error {
	e := &ctxError{method: cl.method, err: ctx.Err()}
	if cl.last != nil {
		e.last = cl.finish(cl.last).Error()
	}
	return e
}

// finish names the method in err and redacts the call's secrets from it.
func (cl *call) finish(err error) error {
	setMethod(err, cl.method)
	return cl.red.scrub(err)
}

// validMethod keeps method names to what Bitrix24 uses, so nothing can
// reach the URL's path or query through them.
func validMethod(m string) bool {
	if m == "" || len(m) > 100 || m[0] == '.' {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

func setMethod(err error, method string) {
	switch e := err.(type) {
	case *APIError:
		e.Method = method
	case *OperationLimitError:
		e.Method = method
	case *BadReplyError:
		e.Method = method
	case *NetworkError:
		e.Method = method
	case *TokenError:
		e.Method = method
	}
}
