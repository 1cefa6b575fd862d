package b24

import (
	"errors"

	"github.com/pinall/pinall/internal/minijson"
)

// MaxBatch is the most commands one batch call may carry.
const MaxBatch = 50

// MethodBatch is Bitrix24's batch method.
const MethodBatch = "batch"

// ErrNotRun is a batch command the reply mentions neither among the results
// nor among the errors: one skipped after an earlier failure with halt.
var ErrNotRun = errors.New("b24: batch command did not run")

// batchReply is a batch call's result: each command's result and error by
// key, as the reply lists them. The dialog lookup is its one user, with at
// most MaxBatch keys: a search of the lists, where maps would be more
// types and code in the wasm.
type batchReply struct {
	results, errs []minijson.Member
}

// get returns the result of the command key, or its error as an *APIError
// of method, or ErrNotRun.
func (r batchReply) get(key, method string) (minijson.Value, error) {
	for _, m := range r.errs {
		if m.Key != key {
			continue
		}
		// Each is {"error": CODE, "error_description": text}; tolerate a bare code.
		ev := m.Value
		if ev.Kind() == minijson.Object {
			ev = ev.Field("error")
		}
		if code, ok := errorCode(ev); ok {
			return minijson.Value{}, &APIError{Method: method, Code: code, Description: errorDescription(m.Value)}
		}
	}
	for _, m := range r.results {
		if m.Key == key {
			return m.Value, nil
		}
	}
	return minijson.Value{}, ErrNotRun
}

// validKey is the rule for a webhook's code: letters, digits, - and _,
// which need no escaping in a form value or a path, so a redaction finds
// them verbatim in any text.
func validKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// decodeBatch reads {result: {...}, result_error: {...}}. PHP sends an empty
// map as [] and a map with keys 0..n-1 as a list, so both shapes are read.
func decodeBatch(v minijson.Value) (batchReply, error) {
	if v.Kind() != minijson.Object {
		return batchReply{}, unexpected("batch result is a JSON " + v.Kind().String() + ", not an object")
	}
	results, ok := keyed(v.Field("result"))
	if !ok {
		return batchReply{}, unexpected("batch result.result is not a map")
	}
	errs, ok := keyed(v.Field("result_error"))
	if !ok {
		return batchReply{}, unexpected("batch result.result_error is not a map")
	}
	return batchReply{results: results, errs: errs}, nil
}

// keyed returns an object's members; a missing value or a list is no
// members: PHP sends an empty map as [], and a list would key its items
// 0, 1, ..., never a command key of ours (s{ID}).
func keyed(v minijson.Value) ([]minijson.Member, bool) {
	switch v.Kind() {
	case minijson.Invalid, minijson.Null, minijson.Array:
		return nil, true
	case minijson.Object:
		return v.Members(), true
	}
	return nil, false
}
