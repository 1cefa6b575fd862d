//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/pinall/pinall/internal/minijson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The dialog lookup's batch: one command per session, keyed s{ID}, never
// halting; each command's result or error reaches its session.
func TestDialogBatchForm(t *testing.T) {
	t.Parallel()
	env := setup(t)
	n := env.handle(MethodBatch, func(w http.ResponseWriter, r *http.Request) {
		testFormValues(t, r, map[string][]string{
			"auth":    {"tok-1"},
			"halt":    {"0"},
			"cmd[s1]": {"imopenlines.dialog.get?SESSION_ID=1"},
			"cmd[s2]": {"imopenlines.dialog.get?SESSION_ID=2"},
		})
		writeJSON(w, 200, `{"result":{
			"result":{"s1":`+dialogJSON+`},
			"result_error":{"s2":{"error":"ACCESS_ERROR","error_description":"You do not have access"}},
			"result_total":[],"result_next":[],"result_time":{}},"time":{}}`)
	})

	found, failed, err := env.client.DialogsBySession(context.Background(), []int64{1, 2})

	require.NoError(t, err)
	assert.Equal(t, int32(1), n.Load())
	require.Contains(t, found, int64(1))
	assert.Equal(t, "livechat", found[1].Connector)
	assert.ErrorIs(t, failed[2], ErrAccessError)
	var apiErr *APIError
	require.ErrorAs(t, failed[2], &apiErr)
	assert.Equal(t, MethodDialogGet, apiErr.Method)
	assert.Equal(t, "You do not have access", apiErr.Description)
}

// The shapes PHP gives a batch's maps: [] for an empty one, a list for keys
// 0..n-1 (none of the lookup's, which are s{ID}), a bare code for an error;
// an error wins over a result of the same key, and a key in neither did not
// run.
func TestBatchShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, result string
		want         map[string]string // key: "result" or the error's code; absent keys did not run
	}{
		{"result_error as []", `{"result":{"a":1},"result_error":[]}`, map[string]string{"a": "result"}},
		{"result as a list: keys 0, 1, never ours", `{"result":[1,2],"result_error":[]}`, map[string]string{}},
		{"both empty lists", `{"result":[],"result_error":[]}`, map[string]string{}},
		{"error as bare code", `{"result":[],"result_error":{"0":"ACCESS_ERROR"}}`, map[string]string{"0": "ACCESS_ERROR"}},
		{"halted", `{"result":{"0":1},"result_error":{"1":{"error":"CHAT_ID","error_description":""}}}`, map[string]string{"0": "result", "1": "CHAT_ID"}},
		{"error over result", `{"result":{"0":1},"result_error":{"0":{"error":"CHAT_ID"}}}`, map[string]string{"0": "CHAT_ID"}},
		{"error without a code", `{"result":{"0":1},"result_error":{"0":{"error":""}}}`, map[string]string{"0": "result"}},
		{"no maps at all", `{}`, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := minijson.Parse([]byte(tt.result))
			require.NoError(t, err)
			r, err := decodeBatch(v)
			require.NoError(t, err)
			for _, key := range []string{"a", "0", "1"} {
				_, err := r.get(key, "a.b")
				switch want, ok := tt.want[key]; {
				case !ok:
					assert.ErrorIs(t, err, ErrNotRun, key)
				case want == "result":
					assert.NoError(t, err, key)
				default:
					var apiErr *APIError
					require.ErrorAs(t, err, &apiErr, key)
					assert.Equal(t, want, apiErr.Code, key)
					assert.Equal(t, "a.b", apiErr.Method, key)
				}
			}
		})
	}
	for _, bad := range []string{`[]`, `"x"`, `{"result":"x"}`, `{"result":{},"result_error":5}`} {
		env := setup(t)
		env.handle(MethodBatch, reply(200, `{"result":`+bad+`}`))
		found, failed, err := env.client.DialogsBySession(context.Background(), []int64{1})
		assert.ErrorIs(t, err, ErrUnexpectedResult, bad)
		assert.ErrorContains(t, err, "b24: batch: ", "the error names the call, for the log")
		assert.Empty(t, found, bad)
		assert.ErrorIs(t, failed[1], ErrUnexpectedResult, bad)
	}
}

// A webhook's code may be any letters, digits, _ and -, up to 64 of them:
// nothing a form value or a path would need to escape.
func TestValidKey(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"azAZ09_-", "z", "A", "Z", "0", "9", strings.Repeat("k", 64)} {
		assert.True(t, validKey(key), key)
	}
	for _, key := range []string{"", "a`", "a{", "a@", "a[", "a/", "a:", "a b", "\u00e9", strings.Repeat("k", 65)} {
		assert.False(t, validKey(key), key)
	}
}
