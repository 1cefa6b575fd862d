package b24

import (
	"github.com/pinall/pinall/internal/ascii"

	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pinall/pinall/internal/minijson"
)

// operatingResetGuess is how far ahead ResetAt is put when an
// OPERATION_TIME_LIMIT reply does not say: the budget is summed over
// one-minute buckets, so the oldest one drops out within a minute.
const operatingResetGuess = time.Minute

// checkResponse maps a reply to its `result` value or to a typed error:
//   - an error envelope (any status, 200 included) -> *APIError, or
//     *OperationLimitError for OPERATION_TIME_LIMIT;
//   - a body cut by the size cap -> *BadReplyError (ErrTooLarge);
//   - a body that is not JSON, e.g. a proxy's HTML page -> ErrNotJSON;
//   - JSON that ends early -> ErrTruncated;
//   - JSON with neither result nor error, or a non-2xx status without an
//     error code -> ErrUnexpectedResult.
//
// It never panics, whatever the input. now dates an OPERATION_TIME_LIMIT
// reply that does not say when the budget is back.
func checkResponse(resp *Response, now func() time.Time) (minijson.Value, error) {
	if resp == nil {
		return minijson.Value{}, &BadReplyError{Kind: ErrUnexpectedResult, Detail: "no response"}
	}
	bad := func(kind error, detail string, excerpt bool, cause error) error {
		e := &BadReplyError{
			Kind:        kind,
			Status:      resp.Status,
			ContentType: sanitize(resp.ContentType, 60),
			Detail:      detail,
			Err:         cause,
		}
		if excerpt {
			e.Excerpt = redactAuth(sanitize(string(resp.Body[:min(len(resp.Body), 200)]), 80))
		}
		return e
	}
	if resp.Truncated {
		detail := "its announced length is over the cap; not read"
		if len(resp.Body) > 0 {
			detail = "the body was cut at " + strconv.Itoa(len(resp.Body)) + " bytes"
		}
		return minijson.Value{}, bad(ErrTooLarge, detail, false, nil)
	}
	body := trimSpace(resp.Body)
	if len(body) == 0 {
		return minijson.Value{}, bad(ErrNotJSON, "empty body", false, nil)
	}
	v, err := minijson.Parse(body)
	if err != nil {
		if se, ok := errors.AsType[*minijson.SyntaxError](err); ok && se.Offset >= len(body) && (body[0] == '{' || body[0] == '[') {
			return minijson.Value{}, bad(ErrTruncated, "it ends after "+strconv.Itoa(len(body))+" bytes", false, err)
		}
		return minijson.Value{}, bad(ErrNotJSON, "", true, err)
	}
	if v.Kind() != minijson.Object {
		return minijson.Value{}, bad(ErrUnexpectedResult, "a JSON "+v.Kind().String()+" instead of an object", false, nil)
	}
	if code, ok := errorCode(v.Field("error")); ok {
		apiErr := &APIError{
			Status:      resp.Status,
			Code:        code,
			Description: errorDescription(v),
		}
		if ascii.EqualFold(code, ErrOperationTimeLimit.Code) {
			reset, ok := operatingResetAt(v)
			if !ok {
				reset = now().Add(operatingResetGuess)
			}
			return minijson.Value{}, &OperationLimitError{APIError: apiErr, ResetAt: reset, Estimated: !ok}
		}
		return minijson.Value{}, apiErr
	}
	if resp.Status < 200 || resp.Status > 299 {
		return minijson.Value{}, bad(ErrUnexpectedResult, "HTTP error without an error code", false, nil)
	}
	result, ok := v.Get("result")
	if !ok {
		return minijson.Value{}, bad(ErrUnexpectedResult, "neither result nor error", false, nil)
	}
	return result, nil
}

// errorCode reads the `error` member. The classic envelope has a string;
// newer endpoints send {"code":..., "message":...}. null, false and ""
// mean no error.
func errorCode(e minijson.Value) (string, bool) {
	switch e.Kind() {
	case minijson.String:
		s, _ := e.Str()
		s = sanitize(s, 64)
		return s, s != ""
	case minijson.Number:
		s, _ := e.Literal()
		return sanitize(s, 64), true
	case minijson.Bool:
		if b, _ := e.Bool(); b {
			return "UNKNOWN_ERROR", true
		}
	case minijson.Object, minijson.Array:
		if c, ok := errorCode(e.Field("code")); ok {
			return c, true
		}
		return "UNKNOWN_ERROR", true
	}
	return "", false
}

func errorDescription(v minijson.Value) string {
	for _, d := range []minijson.Value{
		v.Field("error_description"),
		v.Field("error").Field("message"),
		v.Field("error").Field("description"),
	} {
		if s, ok := d.Str(); ok && s != "" {
			return sanitize(s, 300)
		}
	}
	return ""
}

// operatingResetAt finds operating_reset_at (Unix seconds, possibly
// fractional or a string; no date text: time.Parse would bring its tables
// into the wasm) in an error reply. Where it sits in an error reply is
// unconfirmed, so look at the top level and under `time`. The number is read
// exactly, as digits (minijson's Decimal): no float parser in the wasm.
func operatingResetAt(v minijson.Value) (time.Time, bool) {
	for _, f := range []minijson.Value{v.Field("operating_reset_at"), v.Field("time").Field("operating_reset_at")} {
		if s, isStr := f.Str(); isStr {
			f, _ = minijson.Parse([]byte(s))
		}
		neg, digits, exp, ok := f.Decimal()
		// Reject absurd values (before 2001, after 2286) rather than promise
		// a reset in the distant past or future: ten digits before the point,
		// above 1e9.
		if !ok || neg || len(digits)+exp != 10 || digits == "1" && exp == 9 {
			continue
		}
		var secs, nanos int64
		for i := range 19 { // ten digits of seconds, nine of nanoseconds
			d := int64(0)
			if i < len(digits) {
				d = int64(digits[i] - '0')
			}
			if i < 10 {
				secs = secs*10 + d
			} else {
				nanos = nanos*10 + d
			}
		}
		return time.Unix(secs, nanos), true
	}
	return time.Time{}, false
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// sanitize makes server text safe to put in an error string: valid UTF-8,
// no control characters, runs of white space collapsed, at most max bytes.
func sanitize(s string, max int) string {
	var b strings.Builder
	space := false
	for i, r := range s {
		if b.Len() >= max {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			if r == utf8.RuneError && strings.HasPrefix(s[i:], "\uFFFD") {
				// a real U+FFFD in the text: keep it
			} else if r == '\t' || r == '\n' || r == '\r' {
				r = ' '
			} else {
				r = '?'
			}
		}
		if r == ' ' {
			if space || b.Len() == 0 {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	for out != "" && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return out
}
