//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"context"
	"net/http"
	"testing"

	"github.com/pinall/pinall/internal/minijson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPinAllAndUnpinAll(t *testing.T) {
	t.Parallel()
	tests := []struct {
		result string
		want   []int64
		text   string // the IDs joined, as the rows show them
	}{
		{`[1652,1653]`, []int64{1652, 1653}, "1652,1653"},
		{`["1652","1653"]`, []int64{1652, 1653}, "1652,1653"},
		{`[1652,"1653"]`, []int64{1652, 1653}, "1652,1653"},
		{`[1e3]`, []int64{1000}, "1000"},
		{`[1652,1e3,12.0,1653]`, []int64{1652, 1000, 12, 1653}, "1652,1000,12,1653"},   // plain digits, then other forms
		{`[1652, 1653]`, []int64{1652, 1653}, "1652,1653"},                             // white space
		{`[123456789012345678]`, []int64{123456789012345678}, "123456789012345678"},    // 18 digits, the longest read in one loop
		{`[9223372036854775807]`, []int64{9223372036854775807}, "9223372036854775807"}, // longer than 18 digits
		{`[1,9223372036854775807,2]`, []int64{1, 9223372036854775807, 2}, "1,9223372036854775807,2"},
		{`{"0":1652,"2":1654}`, []int64{1652, 1654}, "1652,1654"}, // a PHP array with gaps
		{`[]`, []int64{}, ""},
		{`null`, []int64{}, ""},
		{`false`, []int64{}, ""},
		{`{}`, []int64{}, ""},
	}
	for _, tt := range tests {
		for _, method := range []string{MethodPinAll, MethodUnpinAll} {
			t.Run(method+"/"+tt.result, func(t *testing.T) {
				t.Parallel()
				env := setup(t)
				env.handle(method, func(w http.ResponseWriter, r *http.Request) {
					testFormValues(t, r, map[string][]string{"auth": {"tok-1"}})
					writeJSON(w, 200, `{"result":`+tt.result+`,"time":{"start":1,"operating":0.1}}`)
				})
				call := env.client.PinAll
				if method == MethodUnpinAll {
					call = env.client.UnpinAll
				}

				ids, err := call(context.Background())

				require.NoError(t, err)
				assert.NotNil(t, ids.List, "nothing changed is an empty slice, not nil")
				assert.Equal(t, tt.want, ids.List)
				assert.Equal(t, tt.text, ids.Text)
			})
		}
	}
}

// The portal writes a list as plain integers, and every ID it writes, up
// to 18 digits, is read in the one loop; what that loop leaves, the general
// rule reads (TestPinAllAndUnpinAll, FuzzCheckResponse).
func TestPlainIDsReadsEveryIDThePortalWrites(t *testing.T) {
	t.Parallel()
	ids, ok := plainIDs("7,1652,123456789012345678")
	assert.True(t, ok)
	assert.Equal(t, []int64{7, 1652, 123456789012345678}, ids)
	for _, text := range []string{"1234567890123456789", "0", "1,0,2", "1,99999999999999999999"} {
		_, ok := plainIDs(text)
		assert.False(t, ok, text)
	}
}

func TestPin(t *testing.T) {
	t.Parallel()
	for _, activate := range []bool{true, false} {
		env := setup(t)
		flag := map[bool]string{true: "Y", false: "N"}[activate]
		env.handle(MethodPin, func(w http.ResponseWriter, r *http.Request) {
			testFormValues(t, r, map[string][]string{"auth": {"tok-1"}, "CHAT_ID": {"1234"}, "ACTIVATE": {flag}})
			writeJSON(w, 200, `{"result":true}`)
		})
		assert.NoError(t, env.client.Pin(context.Background(), 1234, activate))
	}
}

func TestPinErrors(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.handle(MethodPin, reply(400, errBody("CHAT_ID_EMPTY", "Chat ID can't be empty")))
	err := env.client.Pin(context.Background(), 0, true)
	assert.ErrorIs(t, err, &APIError{Code: "CHAT_ID_EMPTY"})

	env = setup(t)
	env.handle(MethodPin, reply(200, `{"result":false}`))
	err = env.client.Pin(context.Background(), 5, true)
	assert.ErrorIs(t, err, ErrUnexpectedResult)
	assert.Contains(t, err.Error(), MethodPin)
}

const dialogJSON = `{"avatar":"","color":"#4ba984","date_create":"2024-04-01T12:30:00+03:00",
"dialog_id":"chat1363","entity_data_1":"","entity_id":"livechat|1|1363|203","entity_type":"LINES",
"extranet":false,"id":"1363","manager_list":[],"message_type":"L","name":"Eugene P. - Priority Support",
"owner":"1","type":"lines"}`

func TestDialogByChat(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.handle(MethodDialogGet, func(w http.ResponseWriter, r *http.Request) {
		testFormValues(t, r, map[string][]string{"auth": {"tok-1"}, "CHAT_ID": {"1363"}})
		writeJSON(w, 200, `{"result":`+dialogJSON+`}`)
	})

	d, err := env.client.DialogByChat(context.Background(), 1363)

	require.NoError(t, err)
	assert.Equal(t, Dialog{
		ID:         1363,
		DialogID:   "chat1363",
		Name:       "Eugene P. - Priority Support",
		EntityID:   "livechat|1|1363|203",
		Connector:  "livechat",
		DateCreate: "2024-04-01T12:30:00+03:00",
		Type:       "lines",
	}, Dialog{[0]func(){}, d.ID, d.DialogID, d.Name, d.EntityID, d.Connector, d.DateCreate, d.Type})
}

func TestDecodeDialog(t *testing.T) {
	t.Parallel()
	parse := func(s string) minijson.Value {
		v, err := minijson.Parse([]byte(s))
		require.NoError(t, err)
		return v
	}
	d, err := decodeDialog(parse(`{"id":5,"entity_id":"telegrambot","date_create":"yesterday"}`))
	require.NoError(t, err)
	assert.Equal(t, "telegrambot", d.Connector, "no | means the whole id is the connector")
	assert.Equal(t, "yesterday", d.DateCreate, "the date is kept as the portal wrote it")

	for _, bad := range []string{`[]`, `"x"`, `{}`, `{"id":0}`, `{"id":"x"}`} {
		_, err := decodeDialog(parse(bad))
		assert.ErrorIs(t, err, ErrUnexpectedResult, bad)
	}

	env := setup(t)
	env.handle(MethodDialogGet, reply(403, errBody("ACCESS_ERROR", "")))
	_, err = env.client.DialogByChat(context.Background(), 1)
	assert.ErrorIs(t, err, ErrAccessError)
	assert.EqualError(t, err, "b24: "+MethodDialogGet+": ACCESS_ERROR (HTTP 403)")

	// A reply that is no dialog names the method too.
	env = setup(t)
	env.handle(MethodDialogGet, reply(200, `{"result":{"id":0}}`))
	_, err = env.client.DialogByChat(context.Background(), 1)
	assert.ErrorIs(t, err, ErrUnexpectedResult)
	assert.EqualError(t, err, "b24: "+MethodDialogGet+": reply has an unexpected shape: the dialog has no positive id")
}
