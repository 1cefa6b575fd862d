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
	sleep     func(context.Context, time.Duration) error
	now       func() time.Time
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

// WithMaxBody caps the size of a reply (default 1 MiB); a larger one is a
// *BadReplyError of kind ErrTooLarge.
func WithMaxBody(n int) Option {
	return func(c *Client) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithSleep replaces how the client waits between retries; it must return
// ctx.Err() if ctx ends first. For tests.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) {
		if sleep != nil {
			c.sleep = sleep
		}
	}
}

// WithClock replaces time.Now, used to keep waits inside the deadline and to
// estimate when an operating-time budget resets. For tests.
func WithClock(now func() time.Time) Option {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// WithRand replaces the jitter source; it must return values in [0, 1).
// For tests.
func WithRand(r func() float64) Option {
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
		policy:  DefaultRetryPolicy,
		sleep:   Sleep,
		now:     time.Now,
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

// Endpoint returns the REST base URL with any webhook code redacted.
func (c *Client) Endpoint() string { return c.ep.safe }

// Call invokes a REST method and returns its `result`. It retries as the
// package documentation says; errors are the types in errors.go, or the
// context's error (errors.Is(err, context.Canceled)) when ctx ends first.
func (c *Client) Call(ctx context.Context, method string, params Params) (minijson.Value, error) {
	if !validMethod(method) {
		return minijson.Value{}, &ParamError{Msg: "invalid method name " + strconv.Quote(sanitize(method, 80))}
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	red := &redactor{}
	red.add(c.ep.webhook)
	fail := func(err error) (minijson.Value, error) {
		setMethod(err, method)
		return minijson.Value{}, red.scrub(err)
	}
	ctxFail := func(last error) (minijson.Value, error) {
		e := &ctxError{method: method, err: ctx.Err()}
		if last != nil {
			setMethod(last, method)
			e.last = red.scrub(last).Error()
		}
		return minijson.Value{}, e
	}

	var tok Token
	if c.tokens != nil {
		var err error
		tok, err = c.tokens.Token(ctx)
		if err == nil && tok.AccessToken == "" {
			err = errEmptyToken
		}
		red.add(tok.AccessToken)
		if err != nil {
			if ctx.Err() != nil {
				return ctxFail(nil)
			}
			return fail(&TokenError{Err: err})
		}
	}

	url := c.ep.base + "/" + method + ".json"
	safeURL := c.ep.safe + "/" + method + ".json"
	var (
		refreshed   bool
		rateRetries int
		netRetries  int
		last        error
	)
	for {
		if ctx.Err() != nil {
			return ctxFail(last)
		}
		var form Params
		if c.tokens != nil {
			form = Params{{"auth", tok.AccessToken}}
		}
		req := &Request{URL: url, ContentType: formContentType, Body: append(form, params...).Encode(), MaxBody: c.maxBody}
		resp, err := c.transport.Do(ctx, req)
		if ctx.Err() != nil {
			// A cancelled context wins over whatever the transport made of it.
			return ctxFail(last)
		}
		if err == nil && resp == nil {
			err = errors.New("the transport returned no response")
		}
		if err != nil {
			last = &NetworkError{Method: method, URL: safeURL, Err: err}
			if netRetries < c.policy.NetworkRetries {
				netRetries++
				ok, werr := c.wait(ctx, c.policy.NetworkDelay)
				if werr != nil {
					return ctxFail(last)
				}
				if ok {
					continue
				}
			}
			return fail(last)
		}

		var v minijson.Value
		if len(resp.Body) > c.maxBody {
			// The transport did not cap the body: apply the cap here.
			capped := *resp
			capped.Body, capped.Truncated = resp.Body[:c.maxBody], true
			resp = &capped
		}
		v, err = checkResponse(resp, c.now)
		if err == nil {
			return v, nil
		}
		last = err
		apiErr, ok := errors.AsType[*APIError](err)
		if !ok {
			return fail(err) // malformed replies are not retried
		}
		switch {
		case c.tokens != nil && !refreshed && (apiErr.Is(ErrExpiredToken) || apiErr.Is(ErrInvalidToken)):
			refreshed = true
			fresh, rerr := c.refresher.refresh(ctx, tok)
			if rerr != nil {
				if ctx.Err() != nil {
					return ctxFail(last)
				}
				return fail(&TokenError{API: apiErr, Err: rerr})
			}
			tok = fresh
			red.add(tok.AccessToken)
			continue
		case apiErr.Is(ErrQueryLimit) && rateRetries < c.policy.MaxRetries:
			d := c.policy.backoff(rateRetries, c.rand())
			rateRetries++
			ok, werr := c.wait(ctx, d)
			if werr != nil {
				return ctxFail(last)
			}
			if ok {
				continue
			}
		}
		return fail(err)
	}
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
