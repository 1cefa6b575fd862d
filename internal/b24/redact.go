package b24

import (
	"strings"

	"github.com/pinall/pinall/internal/ascii"
)

const redacted = "REDACTED"

// redactAuth replaces the value of every auth= parameter in s, so a request
// body or URL echoed by a server or a transport never shows the token.
func redactAuth(s string) string {
	lower := ascii.Lower(s)
	return redactSpans(s, func(from int) (start, end int, ok bool) {
		j := strings.Index(lower[from:], "auth=")
		if j < 0 {
			return 0, 0, false
		}
		start = from + j + len("auth=")
		return start, spanEnd(s, start, "&\"' \t\r\n<>;,)"), true
	})
}

// redactSpans replaces each non-empty span of s that next finds with
// REDACTED. next(from) returns the first span at or after from, or ok false.
func redactSpans(s string, next func(from int) (start, end int, ok bool)) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		start, end, ok := next(i)
		if !ok {
			break
		}
		if end > start {
			b.WriteString(s[last:start])
			b.WriteString(redacted)
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// spanEnd is where the span from start ends: at the first byte of stop
// (ASCII), or at the end of s.
func spanEnd(s string, start int, stop string) int {
	end := start
	for end < len(s) && strings.IndexByte(stop, s[end]) < 0 {
		end++
	}
	return end
}

// redactor scrubs the secrets one call has used (tokens, a webhook code)
// from the errors it returns.
type redactor struct {
	secrets []string
}

func (r *redactor) add(secret string) {
	if secret == "" {
		return
	}
	r.secrets = append(r.secrets, secret)
	if esc := queryEscape(secret); esc != secret {
		r.secrets = append(r.secrets, esc)
	}
}

func (r *redactor) str(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return redactAuth(s)
}

// scrub redacts the text fields of this package's errors in place (they
// are fresh per call) and wraps foreign causes so their message is
// redacted while errors.Is/As still reach them.
func (r *redactor) scrub(err error) error {
	switch e := err.(type) {
	case *APIError:
		e.Code, e.Description = r.str(e.Code), r.str(e.Description)
	case *OperationLimitError:
		r.scrub(e.APIError)
	case *BadReplyError:
		e.Detail, e.Excerpt = r.str(e.Detail), r.str(e.Excerpt)
	case *NetworkError:
		e.Err = r.wrap(e.Err)
	case *TokenError:
		if e.API != nil {
			r.scrub(e.API)
		}
		e.Err = r.wrap(e.Err)
	}
	return err
}

func (r *redactor) wrap(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := r.str(msg); clean != msg {
		return &redactedError{msg: clean, err: err}
	}
	return err
}

// redactedError shows a cleaned message and unwraps to the original.
type redactedError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
