package b24

import (
	"context"
	"errors"
)

// Every failure has a kind: the key of its words in internal/l10n and of
// its row in docs/errors.md. A kind is a portal error code
// ("QUERY_LIMIT_EXCEEDED") or a class ("network", "timeout"). The errors
// say their own kind, here and in the packages that define the others
// (internal/frame, internal/install), through an ErrorKind method.

// Kinds of failure that are not a portal's error code.
const (
	KindNetwork          = "network"           // no HTTP response (*NetworkError)
	KindTimeout          = "timeout"           // the call's deadline passed
	KindNotJSON          = "not_json"          // ErrNotJSON
	KindTruncated        = "truncated"         // ErrTruncated
	KindTooLarge         = "too_large"         // ErrTooLarge
	KindUnexpectedResult = "unexpected_result" // ErrUnexpectedResult
	KindInternal         = "internal"          // a fault of the program itself, or an error of no known kind
	KindOther            = "other"             // a portal code nobody has words for
)

// Kinded is an error that says its kind.
type Kinded interface {
	error
	ErrorKind() string
}

// KindOf is err's kind: that of the outermost error in its tree that says
// one (errors.As order), KindTimeout for a context deadline, else
// KindInternal.
func KindOf(err error) string {
	if k := kinded(err); k != nil {
		if kind := k.ErrorKind(); kind != "" {
			return kind
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return KindTimeout
	}
	return KindInternal
}

// kinded is the first error in err's tree that says its kind, in
// errors.As order (depth first, Unwrap() error and Unwrap() []error), or
// nil. errors.AsType[Kinded] does the same, but its instance for an
// interface type is more code in the wasm; no error here has an As
// method, which errors.AsType would also ask.
func kinded(err error) Kinded {
	for err != nil {
		if k, ok := err.(Kinded); ok {
			return k
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if k := kinded(e); k != nil {
					return k
				}
			}
			return nil
		default:
			return nil
		}
	}
	return nil
}

// aliases are codes that mean the same as another to whoever reads about
// them (a list: static data, where a map literal is code run at start-up).
var aliases = []struct{ from, to string }{
	{"invalid_token", "expired_token"},
	{"ERROR_UNEXPECTED_ANSWER", "INTERNAL_SERVER_ERROR"},
}

// ErrorKind is the portal's code, or the code it stands for
// (invalid_token is expired_token to the user).
func (e *APIError) ErrorKind() string {
	for _, a := range aliases {
		if a.from == e.Code {
			return a.to
		}
	}
	return e.Code
}

// ErrorKind is KindNetwork.
func (e *NetworkError) ErrorKind() string { return KindNetwork }

// ErrorKind names the reply's fault.
func (e *BadReplyError) ErrorKind() string {
	switch e.Kind {
	case ErrNotJSON:
		return KindNotJSON
	case ErrTruncated:
		return KindTruncated
	case ErrTooLarge:
		return KindTooLarge
	case ErrUnexpectedResult:
		return KindUnexpectedResult
	}
	return ""
}

// ErrorKind is the token source's failure when it has a kind (a portal
// frame that did not answer refreshAuth), else the portal's expired_token
// or invalid_token that asked for the refresh, else none.
func (e *TokenError) ErrorKind() string {
	if k := kinded(e.Err); k != nil && k.ErrorKind() != "" {
		return k.ErrorKind()
	}
	if e.API != nil {
		return e.API.ErrorKind()
	}
	return ""
}

// ErrorKind is KindTimeout when the deadline passed; a cancelled call has
// no kind of its own.
func (e *ctxError) ErrorKind() string {
	if errors.Is(e.err, context.DeadlineExceeded) {
		return KindTimeout
	}
	return ""
}

// Aliases returns the codes that stand for code's kind (for the error
// table).
func Aliases(kind string) []string {
	var out []string
	for _, a := range aliases {
		if a.to == kind {
			out = append(out, a.from)
		}
	}
	return out
}

// Behaviour says what is done about a kind of failure before the widget
// gives up and shows its words; docs/errors.md prints it beside
// them. Method, when set, is a method or a family (a prefix ending in ".")
// where the kind means something else than elsewhere.
type Behaviour struct {
	Kind, Method string
	Does         string
}

// Behaviours is what this client does about each kind it returns.
var Behaviours = []Behaviour{
	{Kind: "expired_token", Does: "asks the portal for a new token (refreshAuth) and retries once"},
	{Kind: "NO_AUTH_FOUND", Does: "no retry"},
	{Kind: "insufficient_scope", Does: "no retry"},
	{Kind: "INVALID_CREDENTIALS", Does: "no retry"},
	{Kind: "ACCESS_DENIED", Does: "no retry"},
	{Kind: "user_access_error", Does: "no retry"},
	{Kind: "WRONG_AUTH_TYPE", Does: "no retry"},
	{Kind: "INVALID_REQUEST", Does: "no retry"},
	{Kind: "ERROR_METHOD_NOT_FOUND", Does: "no retry"},
	{Kind: "OPERATION_TIME_LIMIT", Does: "no retry; the message says when the budget resets"},
	{Kind: "QUERY_LIMIT_EXCEEDED", Does: "the widget's click keeps trying, after 3-4 s and then every 18-24 s, counting down with a Stop button, and its name lookups back off; the CLI retries 3 times within its 30 s budget"},
	{Kind: "OVERLOAD_LIMIT", Does: "never retries"},
	{Kind: "INTERNAL_SERVER_ERROR", Does: "no retry"},
	{Kind: "PORTAL_DELETED", Does: "no retry"},
	{Kind: "PAYMENT_REQUIRED", Does: "no retry"},
	{Kind: KindNetwork, Does: "retries once (the methods are idempotent)"},
	{Kind: KindTimeout, Does: "gives up after 30 s in all"},
	{Kind: KindNotJSON, Does: "no retry"},
	{Kind: KindTruncated, Does: "no retry"},
	{Kind: KindTooLarge, Does: "reads at most the size cap, then stops; a reply announced over it is not downloaded"},
	{Kind: KindUnexpectedResult, Does: "no retry"},
	{Kind: KindInternal, Does: "recovers, keeps the buttons working"},
	{Kind: KindOther, Does: "no retry"},
	{Kind: "CHAT_ID_EMPTY", Method: MethodPin, Does: "no retry"},
	{Kind: "CHAT_ID", Method: MethodPin, Does: "no retry"},
	{Kind: "CHAT_TYPE", Method: MethodPin, Does: "no retry"},
	{Kind: "ACCESS_DENIED", Method: MethodPin, Does: "no retry"},
	{Kind: "USER_ID", Method: MethodPin, Does: "no retry"},
}
