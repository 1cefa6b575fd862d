package l10n

import (
	"errors"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/b24"
)

// Problem is an error put into words.
type Problem struct {
	Key     string // the catalogue row: the error's kind (b24.KindOf), or "other"
	Message string // for the user: what happened and what to do about it
	Log     string // for the console: the error's own (token-free) text
}

// entry is one row of the catalogue: a kind of failure (b24.KindOf; the
// kinds are declared with the errors) whose words are the message
// error.<kind>.
type entry struct {
	key   string
	count bool // a sentence with a count of minutes ({n})
}

func (e entry) name() string { return "error." + e.key }

// catalogue is the single place where errors become words. docs/errors.md
// prints them beside what the widget does (errortable_test.go).
var catalogue = []entry{
	{key: "not_in_bitrix24"}, {key: "no_answer"}, {key: "expired_token"}, {key: "NO_AUTH_FOUND"},
	{key: "insufficient_scope"}, {key: "INVALID_CREDENTIALS"}, {key: "ACCESS_DENIED"},
	{key: "user_access_error"}, {key: "WRONG_AUTH_TYPE"}, {key: "INVALID_REQUEST"},
	{key: "ERROR_METHOD_NOT_FOUND"}, {key: "OPERATION_TIME_LIMIT", count: true},
	{key: "QUERY_LIMIT_EXCEEDED"}, {key: "OVERLOAD_LIMIT"}, {key: "INTERNAL_SERVER_ERROR"},
	{key: "PORTAL_DELETED"}, {key: "PAYMENT_REQUIRED"}, {key: "network"}, {key: "timeout"},
	{key: "not_json"}, {key: "truncated"}, {key: "too_large"}, {key: "unexpected_result"},
	{key: "internal"}, {key: "not_admin"}, {key: "other"},
}

// methodEntry is a row for one method or family (a prefix ending in "."):
// there the same code means something else than in the general rows. Its
// words are error.<method or family without the dot>.<code>.
type methodEntry struct {
	method string
	entry
}

func (r methodEntry) name() string { return "error." + strings.TrimSuffix(r.method, ".") + "." + r.key }

// methodRows come before the catalogue's rows for their methods.
var methodRows = []methodEntry{
	{"imopenlines.session.mode.pin", entry{key: "CHAT_ID_EMPTY"}},
	{"imopenlines.session.mode.pin", entry{key: "CHAT_ID"}},
	{"imopenlines.session.mode.pin", entry{key: "CHAT_TYPE"}},
	{"imopenlines.session.mode.pin", entry{key: "ACCESS_DENIED"}},
	{"imopenlines.session.mode.pin", entry{key: "USER_ID"}},
	{"placement.", entry{key: "insufficient_scope"}},
	{"placement.", entry{key: "ACCESS_DENIED"}},
	{"placement.", entry{key: "WRONG_AUTH_TYPE"}},
}

// Explain puts err into words in l: the words of its kind (b24.KindOf),
// those of its method's row where the portal's code means something else
// there. A portal code with no words of its own gets the "other" row, any
// other kind without words the "internal" one.
func Explain(l Lang, err error) Problem {
	key := b24.KindOf(err)
	var method, code string
	api, isAPI := errors.AsType[*b24.APIError](err)
	if isAPI {
		method, code = api.Method, api.Code
	}
	name, count, ok := lookup(key, method)
	if !ok {
		key = b24.KindInternal
		if isAPI {
			key = b24.KindOther
		}
		name, count, _ = lookup(key, "")
	}
	var msg string
	if count {
		msg = l.Count(name, minutes(resetIn(err)))
	} else {
		msg = Fill(l.Text(name), "code", code)
	}
	if key == b24.KindOther && isAPI && api.Description != "" {
		// The portal's own words go after ours, never alone.
		msg += "\n" + Fill(l.Text("error.portalSaid"), "description", clip(api.Description, 200))
	}
	log := "<nil>"
	if err != nil {
		log = err.Error()
	}
	return Problem{Key: key, Message: msg, Log: log}
}

// Words are the words for a kind of failure from method (a method, a
// family such as "placement.", or "" for any), before {code} is filled in
// (a sentence with a count: its "other" form, {n} left in); ok is false
// when the catalogue has none.
func Words(l Lang, kind, method string) (words string, ok bool) {
	name, _, ok := lookup(kind, method)
	if !ok {
		return "", false
	}
	return l.Text(name), true
}

// lookup finds key's message: the one for method's family first, else the
// general one, else a method row of that key.
func lookup(key, method string) (name string, count, ok bool) {
	for _, r := range methodRows {
		if r.key == key && method != "" && (r.method == method || strings.HasSuffix(r.method, ".") && strings.HasPrefix(method, r.method)) {
			return r.name(), r.count, true
		}
	}
	for _, e := range catalogue {
		if e.key == key {
			return e.name(), e.count, true
		}
	}
	for _, r := range methodRows {
		if r.key == key {
			return r.name(), r.count, true
		}
	}
	return "", false, false
}

// resetIn is how long until the operating-time budget resets.
func resetIn(err error) time.Duration {
	if ol, ok := errors.AsType[*b24.OperationLimitError](err); ok && !ol.ResetAt.IsZero() {
		return time.Until(ol.ResetAt)
	}
	return 10 * time.Minute // the budget spans ten one-minute buckets
}

// minutes is a duration in whole minutes, rounded up, at least one.
func minutes(d time.Duration) int {
	m := int((d + time.Minute - 1) / time.Minute)
	if m < 1 {
		m = 1
	}
	return m
}

// clip keeps the first n characters of s (valid UTF-8: b24 sanitizes what
// the portal says).
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// LookupNote is the quiet note of a session row whose dialog could not be
// looked up (imopenlines.dialog.get, alone or in a batch): the row keeps its
// session ID, the action itself succeeded, so this is a remark, not an alert.
func LookupNote(l Lang, err error) string {
	if errors.Is(err, b24.ErrAccessError) || errors.Is(err, b24.ErrAccessDenied) {
		return l.Text("lookup.noAccess")
	}
	return l.Text("lookup.notLoaded")
}
