package b24

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pinall/pinall/internal/minijson"
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
		{200, "application/json", `{"result":[1,0,123456789012345678,1234567890123456789,99999999999999999999]}`},
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
			checkIDs(t, v)
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

// checkIDs holds decodeIDs to the rule for an ID (itemIDs): its one-loop
// reading of plain integers takes and refuses what the rule does, and the
// text it keeps is the list joined.
func checkIDs(t *testing.T, v minijson.Value) {
	ids, err := decodeIDs(v)
	if v.Kind() == minijson.Array {
		want, wantErr := itemIDs(v.Items())
		if (err == nil) != (wantErr == nil) || !slices.Equal(ids.List, want) {
			t.Fatalf("decodeIDs(%s) = %v, %v; the rule says %v, %v", minijson.Encode(v), ids.List, err, want, wantErr)
		}
	}
	if err != nil {
		return
	}
	var text []string
	for _, id := range ids.List {
		text = append(text, strconv.FormatInt(id, 10))
	}
	if ids.Text != strings.Join(text, ",") {
		t.Fatalf("decodeIDs(%s): text %q for %v", minijson.Encode(v), ids.Text, ids.List)
	}
}
