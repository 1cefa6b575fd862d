//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/minijson"
)

// Replies that are neither a result nor an error envelope, through the
// whole client: each gives a clear typed error after exactly one request.
func TestMalformedReplies(t *testing.T) {
	t.Parallel()
	htmlPage := "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>" + strings.Repeat("x", 5000) + "TAIL-MARKER</body></html>"
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		kind        error
		inMessage   []string
	}{
		{"HTML 502", 502, "text/html", htmlPage, ErrNotJSON, []string{"HTTP 502", "text/html", "502 Bad Gateway"}},
		{"HTML 200", 200, "text/html; charset=utf-8", "<!DOCTYPE html><p>Maintenance</p>", ErrNotJSON, []string{"HTTP 200", "Maintenance"}},
		{"truncated", 200, "application/json", `{"result":[1,2,`, ErrTruncated, []string{"cut short"}},
		{"truncated string", 200, "application/json", `{"result":"ab`, ErrTruncated, nil},
		{"garbage JSON", 200, "application/json", `{"result":[1,2,]}`, ErrNotJSON, nil},
		{"empty", 200, "application/json", "", ErrNotJSON, []string{"empty body"}},
		{"white space", 502, "text/plain", " \r\n", ErrNotJSON, []string{"empty body", "HTTP 502"}},
		{"wrong result type", 200, "application/json", `{"result":"x"}`, ErrUnexpectedResult, []string{"string"}},
		{"object with named keys", 200, "application/json", `{"result":{"a":1}}`, ErrUnexpectedResult, []string{`"a"`}},
		{"true", 200, "application/json", `{"result":true}`, ErrUnexpectedResult, nil},
		{"float ID", 200, "application/json", `{"result":[1.5]}`, ErrUnexpectedResult, []string{"item 0"}},
		{"negative ID", 200, "application/json", `{"result":[3,-1]}`, ErrUnexpectedResult, []string{"item 1"}},
		{"zero ID", 200, "application/json", `{"result":[3,0]}`, ErrUnexpectedResult, []string{"item 1"}},
		{"zero ID first", 200, "application/json", `{"result":[0,3]}`, ErrUnexpectedResult, []string{"item 0"}},
		{"ID over int64", 200, "application/json", `{"result":[3,9223372036854775808]}`, ErrUnexpectedResult, []string{"item 1"}},
		{"ID of 30 digits", 200, "application/json", `{"result":[3,4,123456789012345678901234567890]}`, ErrUnexpectedResult, []string{"item 2"}},
		{"exponent ID", 200, "application/json", `{"result":[3,1e-2]}`, ErrUnexpectedResult, []string{"item 1"}},
		{"leading zero", 200, "application/json", `{"result":[3,07]}`, ErrNotJSON, nil},
		{"ID past int64", 200, "application/json", `{"result":[3,18446744073709551617]}`, ErrUnexpectedResult, []string{"item 1"}}, // 2^64+1
		{"word ID", 200, "application/json", `{"result":["abc"]}`, ErrUnexpectedResult, nil},
		{"neither result nor error", 200, "application/json", `{"time":{}}`, ErrUnexpectedResult, []string{"neither"}},
		{"top-level array", 200, "application/json", `[1,2]`, ErrUnexpectedResult, []string{"array"}},
		{"5xx without code", 500, "application/json", `{"result":[1]}`, ErrUnexpectedResult, []string{"HTTP 500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := setup(t)
			n := env.handle(MethodPinAll, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})

			ids, err := env.client.PinAll(context.Background())

			assert.Nil(t, ids.List)
			assert.Equal(t, int32(1), n.Load(), "malformed replies are not retried")
			assert.ErrorIs(t, err, tt.kind)
			var bad *BadReplyError
			require.ErrorAs(t, err, &bad)
			assert.Equal(t, MethodPinAll, bad.Method)
			for _, s := range tt.inMessage {
				assert.Contains(t, err.Error(), s)
			}
			assert.NotContains(t, err.Error(), "TAIL-MARKER", "only a short excerpt of the body")
			assert.Less(t, len(err.Error()), 400)
		})
	}
}

func TestBodyOverTheCap(t *testing.T) {
	t.Parallel()
	big := `{"result":[` + strings.Repeat("1,", 2000) + `1]}`
	t.Run("capped by the transport", func(t *testing.T) {
		t.Parallel()
		env := setup(t, withMaxBody(1024)) // reaches the HTTPTransport through Request.MaxBody
		env.handle(MethodPinAll, reply(200, big))
		_, err := env.client.PinAll(context.Background())
		assert.ErrorIs(t, err, ErrTooLarge)
		assert.Contains(t, err.Error(), "1024")
	})
	t.Run("capped by the client", func(t *testing.T) {
		t.Parallel()
		tr := transportFunc(func(context.Context, *Request) (*Response, error) {
			return &Response{Status: 200, ContentType: "application/json", Body: []byte(big)}, nil
		})
		env := setup(t, WithTransport(tr), withMaxBody(1024))
		_, err := env.client.PinAll(context.Background())
		assert.ErrorIs(t, err, ErrTooLarge)
	})
	// A reply of exactly the cap is whole; one byte more is too large.
	t.Run("exactly the cap, by the transport", func(t *testing.T) {
		t.Parallel()
		env := setup(t, withMaxBody(len(big)))
		env.handle(MethodPinAll, reply(200, big))
		ids, err := env.client.PinAll(context.Background())
		require.NoError(t, err)
		assert.Len(t, ids.List, 2001)
		env = setup(t, withMaxBody(len(big)-1))
		env.handle(MethodPinAll, reply(200, big))
		_, err = env.client.PinAll(context.Background())
		assert.ErrorIs(t, err, ErrTooLarge)
	})
	t.Run("exactly the cap, by the client", func(t *testing.T) {
		t.Parallel()
		tr := transportFunc(func(context.Context, *Request) (*Response, error) {
			return &Response{Status: 200, ContentType: "application/json", Body: []byte(big)}, nil
		})
		env := setup(t, WithTransport(tr), withMaxBody(len(big)))
		ids, err := env.client.PinAll(context.Background())
		require.NoError(t, err)
		assert.Len(t, ids.List, 2001)
		env = setup(t, WithTransport(tr), withMaxBody(len(big)-1))
		_, err = env.client.PinAll(context.Background())
		assert.ErrorIs(t, err, ErrTooLarge)
	})
	t.Run("announced over the cap, not read", func(t *testing.T) {
		t.Parallel()
		tr := transportFunc(func(context.Context, *Request) (*Response, error) {
			return &Response{Status: 200, ContentType: "application/json", Truncated: true}, nil
		})
		env := setup(t, WithTransport(tr))
		_, err := env.client.PinAll(context.Background())
		assert.ErrorIs(t, err, ErrTooLarge)
		assert.Contains(t, err.Error(), "announced length is over the cap")
	})
	t.Run("under the cap", func(t *testing.T) {
		t.Parallel()
		env := setup(t)
		env.handle(MethodPinAll, reply(200, big))
		ids, err := env.client.PinAll(context.Background())
		require.NoError(t, err)
		assert.Len(t, ids.List, 2001)
	})
}

// check is checkResponse on today's clock.
func check(resp *Response) (minijson.Value, error) { return checkResponse(resp, time.Now) }

func TestCheckResponse(t *testing.T) {
	t.Parallel()
	t.Run("error envelope with 200", func(t *testing.T) {
		_, err := check(&Response{Status: 200, ContentType: "application/json", Body: []byte(errBody("ACCESS_DENIED", "no"))})
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 200, apiErr.Status)
		assert.ErrorIs(t, err, ErrAccessDenied)
	})
	t.Run("5xx JSON envelope is an API error", func(t *testing.T) {
		_, err := check(&Response{Status: 500, Body: []byte(errBody("INTERNAL_SERVER_ERROR", ""))})
		assert.ErrorIs(t, err, ErrInternal)
	})
	t.Run("JSON served as text/html still counts", func(t *testing.T) {
		v, err := check(&Response{Status: 200, ContentType: "text/html", Body: []byte(`{"result":[1]}`)})
		require.NoError(t, err)
		assert.Equal(t, "[1]", encode(v))
	})
	t.Run("empty error means none", func(t *testing.T) {
		v, err := check(&Response{Status: 200, Body: []byte(`{"result":true,"error":"","error_description":""}`)})
		require.NoError(t, err)
		assert.Equal(t, "true", encode(v))
	})
	t.Run("structured error", func(t *testing.T) {
		_, err := check(&Response{Status: 400, Body: []byte(`{"error":{"code":"CHAT_ID_EMPTY","message":"Chat ID can't be empty"}}`)})
		assert.ErrorIs(t, err, &APIError{Code: "CHAT_ID_EMPTY"})
		assert.Contains(t, err.Error(), "Chat ID can't be empty")
	})
	// PHP and proxies often end a reply with a newline.
	t.Run("white space around the JSON", func(t *testing.T) {
		v, err := check(&Response{Status: 200, Body: []byte("\r\n \t{\"result\":[1]}\n\r\n \t")})
		require.NoError(t, err)
		assert.Equal(t, "[1]", encode(v))
	})
	t.Run("null result", func(t *testing.T) {
		v, err := check(&Response{Status: 200, Body: []byte(`{"result":null}`)})
		require.NoError(t, err)
		assert.True(t, v.IsNull())
	})
	t.Run("nil response", func(t *testing.T) {
		_, err := check(nil)
		assert.ErrorIs(t, err, ErrUnexpectedResult)
	})
	t.Run("excerpt is sanitized and redacts auth", func(t *testing.T) {
		_, err := check(&Response{Status: 502, ContentType: "text/html\x00", Body: []byte("<p>\x1b[31mred\u2028 auth=abc123&x=1</p>")})
		var bad *BadReplyError
		require.ErrorAs(t, err, &bad)
		assert.NotContains(t, bad.Excerpt, "\x1b")
		assert.NotContains(t, bad.Excerpt, "\u2028")
		assert.NotContains(t, err.Error(), "abc123")
		assert.NotContains(t, bad.ContentType, "\x00")
		assert.Contains(t, bad.Excerpt, "auth=REDACTED")
	})
	// Cut short is only said of what began as JSON: an object or a list.
	t.Run("a list cut short, a word cut short", func(t *testing.T) {
		_, err := check(&Response{Status: 200, Body: []byte(`[1,2`)})
		assert.ErrorIs(t, err, ErrTruncated)
		for _, body := range []string{`tru`, `"abc`, `12e`} {
			_, err = check(&Response{Status: 200, Body: []byte(body)})
			assert.ErrorIs(t, err, ErrNotJSON, body)
		}
	})
	t.Run("every 2xx status is a success", func(t *testing.T) {
		for _, status := range []int{200, 201, 299} {
			v, err := check(&Response{Status: status, Body: []byte(`{"result":[1]}`)})
			require.NoError(t, err, status)
			assert.Equal(t, "[1]", encode(v))
		}
		for _, status := range []int{199, 300, 304} {
			_, err := check(&Response{Status: status, Body: []byte(`{"result":[1]}`)})
			assert.ErrorIs(t, err, ErrUnexpectedResult, status)
		}
	})
	// A portal's code or description is cut where it would crowd the log.
	t.Run("long code and description cut", func(t *testing.T) {
		code, desc := strings.Repeat("C", 65), strings.Repeat("d", 301)
		_, err := check(&Response{Status: 400, Body: []byte(`{"error":"` + code + `","error_description":"` + desc + `"}`)})
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, code[:64]+"…", apiErr.Code)
		assert.Equal(t, desc[:300]+"…", apiErr.Description)
		_, err = check(&Response{Status: 400, Body: []byte(`{"error":"` + code[:64] + `","error_description":"` + desc[:300] + `"}`)})
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, code[:64], apiErr.Code, "64 bytes are kept whole")
		assert.Equal(t, desc[:300], apiErr.Description, "300 bytes are kept whole")
	})
	// A portal's text reaches the log as one readable line: white space as
	// a space, control characters as '?', the rest as sent, no white space
	// at either end.
	t.Run("portal text made safe", func(t *testing.T) {
		body := `{"error":"X","error_description":" a\tb\r\nc\u0001d\u007fe\u0080f\u009fg\u00a0h\ufffdi\u2028j\u00e9 \r\n"}`
		_, err := check(&Response{Status: 400, Body: []byte(body)})
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "a b c?d?e?f?g\u00a0h\ufffdi?jé", apiErr.Description)
	})
	t.Run("syntax error kept as the cause", func(t *testing.T) {
		_, err := check(&Response{Status: 200, Body: []byte(`{"result":[1,2,`)})
		assert.NotNil(t, errors.Unwrap(err))
	})
}

func TestRedactAuth(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"auth=abc&x=1":          "auth=REDACTED&x=1",
		"x=1&AUTH=abc":          "x=1&AUTH=REDACTED",
		`"auth=a" and auth=b c`: `"auth=REDACTED" and auth=REDACTED c`,
		"auth=":                 "auth=",
		"nothing here":          "nothing here",
		"oauth=q":               "oauth=REDACTED",
		"auth=REDACTED":         "auth=REDACTED",
	}
	for in, want := range tests {
		assert.Equal(t, want, redactAuth(in), in)
	}
}
