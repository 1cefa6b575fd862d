package b24

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzCheckResponse: whatever the status, content type and body,
// checkResponse never panics and gives either a value or one of the typed
// errors, with a bounded, printable message. Seeds are in f.Add and
// testdata/fuzz/FuzzCheckResponse.
func FuzzCheckResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", `{"result":[1652,1653],"time":{"start":1}}`},
		{200, "application/json", `{"result":null}`},
		{401, "application/json", `{"error":"expired_token","error_description":"The access token provided has expired."}`},
		{429, "application/json", `{"error":"OPERATION_TIME_LIMIT","time":{"operating_reset_at":1893553445.25}}`},
		{503, "application/json", `{"error":"QUERY_LIMIT_EXCEEDED"}`},
		{502, "text/html", "<html><head><title>502 Bad Gateway</title></head></html>"},
		{200, "application/json", `{"result":[1,2,`},
		{200, "application/json", `{"error":{"code":5,"message":"\u0000"}}`},
		{200, "", ""},
		{500, "text/plain", "\xff\xfe auth=secret"},
		{200, "application/json", `{"result":{"result":{"a":1},"result_error":[]}}`},
	} {
		f.Add(s.status, s.ct, []byte(s.body), false)
	}
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte, truncated bool) {
		resp := &Response{Status: status, ContentType: ct, Body: body, Truncated: truncated}
		v, err := checkResponse(resp, func() time.Time { return time.Unix(1700000000, 0) })
		if err == nil {
			if !v.Exists() {
				t.Fatalf("no error and no value for %q", body)
			}
			// Decoders on top of the value must not panic either.
			_, _ = decodeIDs(v)
			_, _ = decodeDialog(v)
			_, _ = decodeBatch(v)
			return
		}
		var (
			a *APIError
			o *OperationLimitError
			b *BadReplyError
		)
		if !errors.As(err, &a) && !errors.As(err, &o) && !errors.As(err, &b) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
		if b != nil && b.Kind != ErrNotJSON && b.Kind != ErrTruncated && b.Kind != ErrTooLarge && b.Kind != ErrUnexpectedResult {
			t.Fatalf("unknown kind %v", b.Kind)
		}
		msg := err.Error()
		if !utf8.ValidString(msg) || len(msg) > 1000 {
			t.Fatalf("message not printable or too long (%d bytes): %q", len(msg), msg)
		}
	})
}
