package b24

import "context"

// Request is one REST call on the wire: a POST of a form-encoded body.
// The client builds it; a Transport only carries it.
type Request struct {
	_ [0]func() // not comparable: no equality function in the wasm

	URL         string // https://portal.example/rest/imopenlines.session.mode.pinAll.json
	ContentType string // application/x-www-form-urlencoded
	Body        string // auth=...&CHAT_ID=...; holds the token, never log it
	MaxBody     int    // read at most this much of the reply; 0: DefaultMaxBody
}

// Response is what came back, whatever the status.
type Response struct {
	Status      int
	ContentType string
	Body        []byte // at most Request.MaxBody bytes
	Truncated   bool   // the body was longer than Request.MaxBody: Body is cut, or empty when its announced length was over
}

// Transport sends one request. It returns an error only when no HTTP
// response arrived (network down, CORS refusal, cancelled context): the
// cause alone, which the Client wraps in a *NetworkError naming the method
// and the redacted URL. Any status, 500 included, is a Response; its body
// is read through the Request's MaxBody. Implementations: HTTPTransport
// (net/http, native builds) and the browser's fetch (internal/jsfetch).
type Transport interface {
	Do(ctx context.Context, req *Request) (*Response, error)
}

// Token is an OAuth access token with the data the client needs.
type Token struct {
	AccessToken string
}

// TokenSource hands out the current token and, after the portal said it
// expired, a fresh one. In the widget it is the frame (refreshAuth).
type TokenSource interface {
	Token(ctx context.Context) (Token, error)
	// Refresh returns a token newer than stale. The client merges
	// concurrent calls, so implementations need not.
	Refresh(ctx context.Context, stale Token) (Token, error)
}
