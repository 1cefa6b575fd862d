//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBatch(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodBatch, func(w http.ResponseWriter, r *http.Request) {
		testFormValues(t, r, map[string][]string{
			"auth":     {"tok-1"},
			"halt":     {"0"},
			"cmd[s1]":  {"imopenlines.dialog.get?SESSION_ID=1"},
			"cmd[s2]":  {"imopenlines.dialog.get?SESSION_ID=2"},
			"cmd[pin]": {"imopenlines.session.mode.pin?CHAT_ID=9&ACTIVATE=Y"},
			"cmd[all]": {"imopenlines.session.mode.pinAll"},
		})
		writeJSON(w, 200, `{"result":{
			"result":{"s1":`+dialogJSON+`,"pin":true,"all":[]},
			"result_error":{"s2":{"error":"ACCESS_ERROR","error_description":"You do not have access"}},
			"result_total":[],"result_next":[],"result_time":{}},"time":{}}`)
	})

	res, err := env.client.batch(context.Background(), []BatchCmd{
		{Key: "s1", Method: MethodDialogGet, Params: dialogGetParams(1)},
		{Key: "s2", Method: MethodDialogGet, Params: dialogGetParams(2)},
		{Key: "pin", Method: MethodPin, Params: pinParams(9, true)},
		{Key: "all", Method: MethodPinAll},
	}, false)

	require.NoError(t, err)
	assert.Equal(t, int32(1), n.Load())
	v, err := res.Get("s1")
	require.NoError(t, err)
	d, err := decodeDialog(v)
	require.NoError(t, err)
	assert.Equal(t, "livechat", d.Connector)

	_, err = res.Get("s2")
	assert.ErrorIs(t, err, ErrAccessError)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, MethodDialogGet, apiErr.Method)
	assert.Equal(t, "You do not have access", apiErr.Description)

	v, err = res.Get("all")
	require.NoError(t, err)
	ids, err := decodeIDs(v)
	require.NoError(t, err)
	assert.Empty(t, ids)

	_, err = res.Get("missing")
	assert.ErrorIs(t, err, ErrNotRun)
}

func TestBatchShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, result  string
		results, errs int
	}{
		{"result_error as []", `{"result":{"a":1},"result_error":[]}`, 1, 0},
		{"result as list", `{"result":[1,2],"result_error":[]}`, 2, 0},
		{"both empty lists", `{"result":[],"result_error":[]}`, 0, 0},
		{"error as bare code", `{"result":[],"result_error":{"0":"ACCESS_ERROR"}}`, 0, 1},
		{"halted", `{"result":{"0":1},"result_error":{"1":{"error":"CHAT_ID","error_description":""}}}`, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := setup(t)
			env.handle(MethodBatch, reply(200, `{"result":`+tt.result+`}`))
			res, err := env.client.batch(context.Background(), []BatchCmd{{Key: "0", Method: "a.b"}, {Key: "1", Method: "a.c"}}, true)
			require.NoError(t, err)
			assert.Len(t, res.Results, tt.results)
			assert.Len(t, res.Errors, tt.errs)
		})
	}
	for _, bad := range []string{`[]`, `"x"`, `{"result":"x"}`, `{"result":{},"result_error":5}`} {
		env := setup(t)
		env.handle(MethodBatch, reply(200, `{"result":`+bad+`}`))
		_, err := env.client.batch(context.Background(), []BatchCmd{{Key: "a", Method: "a.b"}}, false)
		assert.ErrorIs(t, err, ErrUnexpectedResult, bad)
		assert.ErrorContains(t, err, "b24: batch: ", "the error names the call, for the log")
	}
}

// A command's key may be any letters, digits, _ and -, up to 64 of them:
// nothing a form value or a path would need to escape.
func TestBatchKeys(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodBatch, reply(200, `{"result":{"result":[],"result_error":[]}}`))
	for _, key := range []string{"azAZ09_-", "z", "A", "Z", "0", "9", strings.Repeat("k", 64)} {
		_, err := env.client.batch(context.Background(), []BatchCmd{{Key: key, Method: "a.b"}}, false)
		assert.NoError(t, err, key)
	}
	assert.Equal(t, int32(7), n.Load())
	for _, key := range []string{"a`", "a{", "a@", "a[", "a/", "a:", "a b", "\u00e9", strings.Repeat("k", 65)} {
		_, err := env.client.batch(context.Background(), []BatchCmd{{Key: key, Method: "a.b"}}, false)
		var pe *ParamError
		assert.ErrorAs(t, err, &pe, key)
	}
	assert.Equal(t, int32(7), n.Load(), "a bad key is refused before sending")
}

func TestBatchHaltFlag(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.handle(MethodBatch, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "1", form(t, r).Get("halt"))
		writeJSON(w, 200, `{"result":{"result":[],"result_error":[]}}`)
	})
	_, err := env.client.batch(context.Background(), []BatchCmd{{Key: "a", Method: "a.b"}}, true)
	require.NoError(t, err)
}

func TestBatchRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodBatch, reply(200, `{"result":{"result":[],"result_error":[]}}`))
	many := make([]BatchCmd, MaxBatch+1)
	for i := range many {
		many[i] = BatchCmd{Key: "k" + strconv.Itoa(i), Method: MethodDialogGet, Params: dialogGetParams(int64(i + 1))}
	}
	tests := map[string][]BatchCmd{
		"51 commands":   many,
		"empty key":     {{Key: "", Method: "a.b"}},
		"key with [":    {{Key: "a]b", Method: "a.b"}},
		"duplicate key": {{Key: "a", Method: "a.b"}, {Key: "a", Method: "a.c"}},
		"nested batch":  {{Key: "a", Method: "batch"}},
		"bad method":    {{Key: "a", Method: "a?b=c"}},
	}
	for name, cmds := range tests {
		_, err := env.client.batch(context.Background(), cmds, false)
		var pe *ParamError
		assert.ErrorAs(t, err, &pe, name)
	}
	assert.Equal(t, int32(0), n.Load())

	res, err := env.client.batch(context.Background(), many[:MaxBatch], false)
	require.NoError(t, err, "exactly 50 is allowed")
	assert.Empty(t, res.Results)
	assert.Equal(t, int32(1), n.Load())

	res, err = env.client.batch(context.Background(), nil, false)
	require.NoError(t, err)
	assert.Equal(t, int32(1), n.Load(), "nothing to do sends nothing")
	assert.NotNil(t, res.Results)
}

func TestBatchWholeFailure(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.handle(MethodBatch, reply(400, errBody("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")))
	_, err := env.client.batch(context.Background(), []BatchCmd{{Key: "a", Method: "a.b"}}, false)
	assert.ErrorIs(t, err, &APIError{Code: "ERROR_BATCH_LENGTH_EXCEEDED"})
}
