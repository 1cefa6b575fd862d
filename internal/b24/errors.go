package b24

import (
	"github.com/pinall/pinall/internal/ascii"

	"errors"
	"strconv"
	"strings"
	"time"
)

// APIError is an error envelope from the portal:
// {"error":"CODE","error_description":"text"}, whatever the HTTP status
// (200 included). Compare it by code with errors.Is and the sentinels below;
// the status is informative only, as docs and server disagree on it.
type APIError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Method      string // REST method, set by the Client; empty until a Call names it
	Status      int    // HTTP status; 0 for a command inside a batch
	Code        string // e.g. QUERY_LIMIT_EXCEEDED, expired_token
	Description string // the portal's error_description; not meant for end users as is
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("b24: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	b.WriteString(e.Code)
	if e.Status != 0 {
		b.WriteString(" (HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(')')
	}
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	return b.String()
}

// Is matches another *APIError by code, so errors.Is(err, ErrQueryLimit)
// works and callers can match codes this package does not name.
// Case is ignored: the server spells some codes both ways across versions.
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	return ok && t.Code != "" && ascii.EqualFold(t.Code, e.Code)
}

// Sentinels for the portal's system errors (see the facts' error table) and
// the method errors of the calls this package makes. Use with errors.Is.
var (
	ErrExpiredToken       = &APIError{Code: "expired_token"}      // 401: refresh and retry once (done by the Client)
	ErrInvalidToken       = &APIError{Code: "invalid_token"}      // 401: handled like expired_token
	ErrNoAuth             = &APIError{Code: "NO_AUTH_FOUND"}      // 401: bad or missing token
	ErrInsufficientScope  = &APIError{Code: "insufficient_scope"} // 403/401: the app lacks a scope (imopenlines)
	ErrInvalidCredentials = &APIError{Code: "INVALID_CREDENTIALS"}
	ErrAccessDenied       = &APIError{Code: "ACCESS_DENIED"}     // 403: REST not on this plan, or refused; also a pin method error
	ErrUserAccess         = &APIError{Code: "user_access_error"} // 403: the app is limited to certain users
	ErrWrongAuthType      = &APIError{Code: "WRONG_AUTH_TYPE"}
	ErrInvalidRequest     = &APIError{Code: "INVALID_REQUEST"}        // 400: e.g. https required
	ErrMethodNotFound     = &APIError{Code: "ERROR_METHOD_NOT_FOUND"} // 404: module not installed
	ErrOperationTimeLimit = &APIError{Code: "OPERATION_TIME_LIMIT"}   // 429: see OperationLimitError
	ErrQueryLimit         = &APIError{Code: "QUERY_LIMIT_EXCEEDED"}   // 503: retried with backoff
	ErrOverload           = &APIError{Code: "OVERLOAD_LIMIT"}         // 503: blocked by support, never retried
	ErrInternal           = &APIError{Code: "INTERNAL_SERVER_ERROR"}
	ErrUnexpectedAnswer   = &APIError{Code: "ERROR_UNEXPECTED_ANSWER"}
	ErrPortalDeleted      = &APIError{Code: "PORTAL_DELETED"}
	ErrPaymentRequired    = &APIError{Code: "PAYMENT_REQUIRED"}
	ErrAccessError        = &APIError{Code: "ACCESS_ERROR"} // a pin method's refusal
)

// OperationLimitError is 429 OPERATION_TIME_LIMIT: the method's time budget
// on this portal is spent. It is not retried; ResetAt says when to try again.
// It matches ErrOperationTimeLimit and unwraps to its *APIError.
type OperationLimitError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	*APIError
	ResetAt   time.Time
	Estimated bool // the reply carried no operating_reset_at; ResetAt is a guess
}

func (e *OperationLimitError) Error() string {
	s := e.APIError.Error() + "; budget resets at unix " + strconv.FormatInt(e.ResetAt.Unix(), 10)
	if e.Estimated {
		s += " (estimated)"
	}
	return s
}

func (e *OperationLimitError) Unwrap() error { return e.APIError }

// Kinds of BadReplyError; match them with errors.Is.
var (
	ErrNotJSON          = errors.New("reply is not JSON")
	ErrTruncated        = errors.New("reply JSON is cut short")
	ErrTooLarge         = errors.New("reply is larger than the size cap")
	ErrUnexpectedResult = errors.New("reply has an unexpected shape")
)

// BadReplyError is a reply that is neither a result nor an error envelope:
// a proxy's HTML page, cut or oversized JSON, a result of the wrong type.
// It never carries more of the body than a short sanitized excerpt.
type BadReplyError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Method      string // set by the Client
	Kind        error  // ErrNotJSON, ErrTruncated, ErrTooLarge or ErrUnexpectedResult
	Status      int
	ContentType string
	Detail      string // what exactly was wrong
	Excerpt     string // the start of the body, sanitized; empty for JSON shape errors
	Err         error  // the parser's error, if any
}

func (e *BadReplyError) Error() string {
	var b strings.Builder
	b.WriteString("b24: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.Error())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Status != 0 {
		b.WriteString(" (HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
		if e.ContentType != "" {
			b.WriteString(", ")
			b.WriteString(e.ContentType)
		}
		b.WriteByte(')')
	}
	if e.Excerpt != "" {
		b.WriteString("; body starts ")
		b.WriteString(strconv.Quote(e.Excerpt))
	}
	return b.String()
}

func (e *BadReplyError) Is(target error) bool { return target == e.Kind }
func (e *BadReplyError) Unwrap() error        { return e.Err }

// ErrNetwork matches every *NetworkError.
var ErrNetwork = errors.New("b24: network error")

// NetworkError is a request that got no HTTP response (network down, DNS,
// CORS refusal). URL and the message are redacted; Err is the cause, with
// its message redacted too.
type NetworkError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Method string
	URL    string // redacted
	Err    error
}

func (e *NetworkError) Error() string {
	s := "b24: "
	if e.Method != "" {
		s += e.Method + ": "
	}
	s += "network error"
	if e.URL != "" {
		s += " calling " + e.URL
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *NetworkError) Is(target error) bool { return target == ErrNetwork }
func (e *NetworkError) Unwrap() error        { return e.Err }

// Sentinels for TokenError.
var (
	errNoToken       = errors.New("b24: no token")             // the TokenSource gave none
	errRefreshFailed = errors.New("b24: token refresh failed") // the portal said the token expired and Refresh failed
)

// TokenError is a failure of the TokenSource: no token to start with, or a
// failed refresh after expired_token/invalid_token. After a failed refresh it
// matches errRefreshFailed and the portal's code (errors.Is(err,
// ErrExpiredToken)), and wraps the source's error.
type TokenError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Method string
	API    *APIError // the portal's expired_token/invalid_token; nil when no token was had at all
	Err    error     // the TokenSource's error
}

func (e *TokenError) Error() string {
	s := "b24: "
	if e.Method != "" {
		s += e.Method + ": "
	}
	if e.API != nil {
		s += "the portal said " + e.API.Code + " and the token refresh failed"
	} else {
		s += "no token"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *TokenError) Is(target error) bool {
	if e.API != nil {
		return target == errRefreshFailed
	}
	return target == errNoToken
}

func (e *TokenError) Unwrap() []error {
	if e.API == nil {
		return []error{e.Err}
	}
	return []error{e.API, e.Err}
}

// ctxError is what a call returns when its context ends first: it unwraps
// to ctx.Err() only, and its text names the error that was being retried.
type ctxError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	method string
	err    error
	last   string // Error() of the previous attempt's error, already redacted
}

func (e *ctxError) Error() string {
	s := "b24: " + e.method + ": " + e.err.Error()
	if e.last != "" {
		s += " (previous attempt: " + e.last + ")"
	}
	return s
}

func (e *ctxError) Unwrap() error { return e.err }

// ParamError is a call the client refused to send: a bad method name, batch
// key, too many batch commands.
type ParamError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Method string
	Msg    string
}

func (e *ParamError) Error() string {
	if e.Method == "" {
		return "b24: " + e.Msg
	}
	return "b24: " + e.Method + ": " + e.Msg
}
