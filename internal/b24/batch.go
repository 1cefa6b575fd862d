package b24

import (
	"context"
	"errors"
	"strconv"

	"github.com/pinall/pinall/internal/minijson"
)

// MaxBatch is the most commands one batch call may carry.
const MaxBatch = 50

// MethodBatch is Bitrix24's batch method.
const MethodBatch = "batch"

// BatchCmd is one command of a batch: cmd[Key] = Method?Params.
type BatchCmd struct {
	Key    string // letters, digits, _ and -; unique within the batch
	Method string
	Params Params
}

// ErrNotRun is what BatchResult.Get returns for a command with neither a
// result nor an error: one skipped after an earlier failure with halt.
var ErrNotRun = errors.New("b24: batch command did not run")

// BatchResult holds each command's result or error by key.
type BatchResult struct {
	Results map[string]minijson.Value
	Errors  map[string]*APIError
}

// Get returns the result of the command key, or its *APIError, or
// ErrNotRun.
func (r BatchResult) Get(key string) (minijson.Value, error) {
	if e, ok := r.Errors[key]; ok {
		return minijson.Value{}, e
	}
	if v, ok := r.Results[key]; ok {
		return v, nil
	}
	return minijson.Value{}, ErrNotRun
}

// batch runs up to MaxBatch commands in one request. With halt the portal
// stops at the first failing command. The call's own errors (rate limit,
// token, ...) come back as the error; each command's result or error is in
// the BatchResult. More than MaxBatch commands are refused before sending.
func (c *Client) batch(ctx context.Context, cmds []BatchCmd, halt bool) (BatchResult, error) {
	if len(cmds) > MaxBatch {
		return BatchResult{}, &ParamError{Method: MethodBatch, Msg: strconv.Itoa(len(cmds)) + " commands, at most " + strconv.Itoa(MaxBatch) + " per call"}
	}
	if len(cmds) == 0 {
		return BatchResult{Results: map[string]minijson.Value{}, Errors: map[string]*APIError{}}, nil
	}
	seen := make(map[string]bool, len(cmds))
	var cmd Params
	for _, bc := range cmds {
		switch {
		case !validKey(bc.Key):
			return BatchResult{}, &ParamError{Method: MethodBatch, Msg: "invalid command key " + strconv.Quote(sanitize(bc.Key, 40))}
		case seen[bc.Key]:
			return BatchResult{}, &ParamError{Method: MethodBatch, Msg: "duplicate command key " + strconv.Quote(bc.Key)}
		case !validMethod(bc.Method) || bc.Method == MethodBatch:
			return BatchResult{}, &ParamError{Method: MethodBatch, Msg: "invalid method " + strconv.Quote(sanitize(bc.Method, 80)) + " for command " + bc.Key}
		}
		seen[bc.Key] = true
		q := bc.Method
		if len(bc.Params) > 0 {
			q += "?" + bc.Params.Encode()
		}
		cmd = cmd.Add(bc.Key, q)
	}
	haltFlag := "0"
	if halt {
		haltFlag = "1"
	}
	params := Params{}.Add("halt", haltFlag).AddNested("cmd", cmd)
	v, err := c.Call(ctx, MethodBatch, params)
	if err != nil {
		return BatchResult{}, err
	}
	r, err := decodeBatch(v, cmds)
	if err != nil {
		setMethod(err, MethodBatch)
	}
	return r, err
}

// validKey is the rule for a batch command's key and a webhook's code:
// letters, digits, - and _, which need no escaping in a form value or a
// path, so a redaction finds them verbatim in any text.
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
func decodeBatch(v minijson.Value, cmds []BatchCmd) (BatchResult, error) {
	if v.Kind() != minijson.Object {
		return BatchResult{}, unexpected("batch result is a JSON " + v.Kind().String() + ", not an object")
	}
	method := make(map[string]string, len(cmds))
	for _, bc := range cmds {
		method[bc.Key] = bc.Method
	}
	r := BatchResult{Results: map[string]minijson.Value{}, Errors: map[string]*APIError{}}
	results, ok := keyed(v.Field("result"))
	if !ok {
		return BatchResult{}, unexpected("batch result.result is not a map")
	}
	for _, m := range results {
		r.Results[m.Key] = m.Value
	}
	errs, ok := keyed(v.Field("result_error"))
	if !ok {
		return BatchResult{}, unexpected("batch result.result_error is not a map")
	}
	for _, m := range errs {
		// Each is {"error": CODE, "error_description": text}; tolerate a bare code.
		ev := m.Value
		if ev.Kind() == minijson.Object {
			ev = ev.Field("error")
		}
		code, ok := errorCode(ev)
		if !ok {
			continue
		}
		e := &APIError{Method: method[m.Key], Code: code, Description: errorDescription(m.Value)}
		r.Errors[m.Key] = e
		delete(r.Results, m.Key)
	}
	return r, nil
}

// keyed returns an object's members, or a list's items keyed "0", "1", ...;
// a missing value is an empty map.
func keyed(v minijson.Value) ([]minijson.Member, bool) {
	switch v.Kind() {
	case minijson.Invalid, minijson.Null:
		return nil, true
	case minijson.Object:
		return v.Members(), true
	case minijson.Array:
		ms := make([]minijson.Member, 0, v.Len())
		for i, item := range v.Items() {
			ms = append(ms, minijson.Member{Key: strconv.Itoa(i), Value: item})
		}
		return ms, true
	}
	return nil, false
}
