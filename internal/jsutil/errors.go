//go:build js && wasm

package jsutil

import (
	"github.com/hack-pad/safejs"
)

// JSError is a JavaScript exception or Promise rejection reason, kept as its
// name and message so callers can branch on the name.
type JSError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Name    string // "TypeError", "AbortError", ...; empty when the reason was not an Error
	Message string
}

// Sentinels for errors.Is: a JSError matches one of these by Name.
var (
	ErrAbort     = &JSError{Name: "AbortError"}
	ErrTypeError = &JSError{Name: "TypeError"}
)

func (e *JSError) Error() string {
	switch {
	case e.Name == "":
		return "javascript: " + e.Message
	case e.Message == "":
		return "javascript: " + e.Name
	}
	return "javascript: " + e.Name + ": " + e.Message
}

// Is matches another *JSError by Name, so errors.Is(err, ErrAbort) works
// whatever the message.
func (e *JSError) Is(target error) bool {
	t, ok := target.(*JSError)
	return ok && t.Name != "" && t.Name == e.Name
}

// errorOf turns a thrown value or rejection reason into a *JSError. An
// Error-like object gives its name and message; anything else (a string, a
// number, undefined) is stringified with JS String(reason), which never
// throws for primitives.
func errorOf(reason safejs.Value) *JSError {
	if reason.Type() == safejs.TypeObject {
		name := stringProp(reason, "name")
		msg, hasMsg := stringPropOK(reason, "message")
		if name != "" || hasMsg {
			return &JSError{Name: name, Message: msg}
		}
	}
	return &JSError{Message: jsString(reason)}
}

func stringProp(v safejs.Value, key string) string {
	s, _ := stringPropOK(v, key)
	return s
}

func stringPropOK(v safejs.Value, key string) (string, bool) {
	p, err := v.Get(key)
	if err != nil || p.Type() != safejs.TypeString {
		return "", false
	}
	s, err := p.String()
	return s, err == nil
}

// jsString is JS String(v); an object whose toString throws gives a
// placeholder instead of an error.
func jsString(v safejs.Value) string {
	fn, err := safejs.Global().Get("String")
	if err != nil {
		return "<unprintable>"
	}
	s, err := fn.Invoke(v)
	if err != nil {
		return "<unprintable>"
	}
	str, err := s.String()
	if err != nil {
		return "<unprintable>"
	}
	return str
}
