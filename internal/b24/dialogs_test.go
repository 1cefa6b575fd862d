//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dialogPortal answers batches of imopenlines.dialog.get?SESSION_ID=N: chat
// 1000+N named "Customer N", ACCESS_ERROR for the sessions in refused. It
// records how many commands each call carried.
func dialogPortal(t *testing.T, env *testEnv, refused ...int64) (sizes *[]int, calls *atomic.Int32) {
	t.Helper()
	var got []int
	n := env.handle(MethodBatch, func(w http.ResponseWriter, r *http.Request) {
		f := testRequest(t, r)
		assert.Equal(t, "0", f.Get("halt"), "lookups never halt")
		var res, errs []string
		cmds := 0
		for k, v := range f {
			if !strings.HasPrefix(k, "cmd[") {
				continue
			}
			cmds++
			key := strings.TrimSuffix(strings.TrimPrefix(k, "cmd["), "]")
			method, query, _ := strings.Cut(v[0], "?")
			// assert, not require: this runs in the server's goroutine.
			assert.Equal(t, MethodDialogGet, method)
			q, _ := url.ParseQuery(query)
			id, err := strconv.ParseInt(q.Get("SESSION_ID"), 10, 64)
			assert.NoError(t, err, "command %s: %s", key, v[0])
			assert.Equal(t, "s"+q.Get("SESSION_ID"), key)
			refuse := false
			for _, r := range refused {
				refuse = refuse || r == id
			}
			if refuse {
				errs = append(errs, `"`+key+`":{"error":"ACCESS_ERROR","error_description":"You do not have access to this dialog"}`)
				continue
			}
			chat := strconv.FormatInt(1000+id, 10)
			res = append(res, `"`+key+`":{"id":`+chat+`,"name":"Customer `+strconv.FormatInt(id, 10)+`","entity_id":"telegrambot|1|5|6","dialog_id":"chat`+chat+`","type":"lines"}`)
		}
		got = append(got, cmds)
		obj := func(items []string) string {
			if len(items) == 0 {
				return "[]" // PHP's empty array
			}
			return "{" + strings.Join(items, ",") + "}"
		}
		writeJSON(w, 200, `{"result":{"result":`+obj(res)+`,"result_error":`+obj(errs)+`,"result_total":[],"result_next":[],"result_time":[]},"time":{}}`)
	})
	return &got, n
}

func seq(from, n int64) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = from + int64(i)
	}
	return ids
}

func TestDialogsBySession(t *testing.T) {
	t.Parallel()
	env := setup(t)
	sizes, _ := dialogPortal(t, env, 2)

	found, failed, err := env.client.DialogsBySession(context.Background(), []int64{1, 2, 3, 1})

	require.NoError(t, err)
	assert.Equal(t, []int{3}, *sizes, "one call, each ID once")
	require.Len(t, found, 2)
	assert.Equal(t, "Customer 1", found[1].Name)
	assert.Equal(t, int64(1003), found[3].ID)
	assert.Equal(t, "telegrambot", found[3].Connector)
	require.Len(t, failed, 1)
	assert.ErrorIs(t, failed[2], ErrAccessError)
	assert.EqualError(t, failed[2], "b24: "+MethodDialogGet+": ACCESS_ERROR: You do not have access to this dialog",
		"a command inside a batch has no HTTP status of its own")
}

func TestDialogsBySessionChunksBy50(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n     int64
		sizes []int
	}{{0, nil}, {2, []int{2}}, {50, []int{50}}, {51, []int{50, 1}}, {120, []int{50, 50, 20}}} {
		env := setup(t)
		sizes, _ := dialogPortal(t, env)
		found, failed, err := env.client.DialogsBySession(context.Background(), seq(1, c.n))
		require.NoError(t, err)
		assert.Len(t, found, int(c.n))
		assert.Empty(t, failed)
		assert.Equal(t, c.sizes, *sizes, "%d IDs", c.n)
	}
}

func TestDialogsBySessionWholeBatchFails(t *testing.T) {
	t.Parallel()
	env := setup(t)
	var calls atomic.Int32
	env.handle(MethodBatch, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 500, errBody("INTERNAL_SERVER_ERROR", "boom"))
	})

	found, failed, err := env.client.DialogsBySession(context.Background(), seq(1, 60))

	assert.ErrorIs(t, err, ErrInternal)
	assert.Equal(t, int32(1), calls.Load(), "the second batch is not sent after the first failed whole")
	assert.Empty(t, found)
	require.Len(t, failed, 60, "every ID has its reason")
	for id, e := range failed {
		assert.ErrorIs(t, e, ErrInternal, "session %d", id)
	}
}

func TestDialogsBySessionOddResults(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.handle(MethodBatch, reply(200, `{"result":{"result":{"s1":{"id":0},"s2":{"id":7,"name":"Ok"}},"result_error":[]}}`))

	found, failed, err := env.client.DialogsBySession(context.Background(), []int64{1, 2, 3})

	require.NoError(t, err)
	assert.Equal(t, "Ok", found[2].Name)
	assert.ErrorIs(t, failed[1], ErrUnexpectedResult, "a result that is not a dialog")
	assert.ErrorIs(t, failed[3], ErrNotRun, "a command the reply does not mention")
}

func TestDialogsBySessionCancelled(t *testing.T) {
	t.Parallel()
	env := setup(t)
	_, calls := dialogPortal(t, env)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, failed, err := env.client.DialogsBySession(ctx, seq(1, 3))

	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, failed, 3)
	assert.Equal(t, int32(0), calls.Load())
}
