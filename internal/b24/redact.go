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
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.Index(lower[i:], "auth=")
		if j < 0 {
			break
		}
		j += i + len("auth=")
		end := j
		for end < len(s) && !strings.ContainsRune("&\"' \t\r\n<>;,)", rune(s[end])) {
			end++
		}
		if end > j {
			b.WriteString(s[last:j])
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
