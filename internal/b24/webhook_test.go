//go:build !js

package b24

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWebhookNormalisesToTheBase(t *testing.T) {
	t.Parallel()
	const want = "https://x.bitrix24.ru/rest/12/abc123def456"
	for _, in := range []string{
		"https://x.bitrix24.ru/rest/12/abc123def456",
		"https://x.bitrix24.ru/rest/12/abc123def456/",
		"https://x.bitrix24.ru/rest/12/abc123def456/profile.json",
		"https://x.bitrix24.ru/rest/12/abc123def456/imopenlines.session.mode.pinAll",
		"https://x.bitrix24.ru//rest/12/abc123def456//",
		"x.bitrix24.ru/rest/12/abc123def456/", // no scheme: https, as every webhook
		"HTTPS://X.Bitrix24.ru/rest/12/abc123def456/?a=1",
		"https://x.bitrix24.ru/rest/12/abc123def456#frag",
		"\thttps://x.bitrix24.ru/rest/12/abc123def456/\r\n",
	} {
		h, err := ParseWebhook(in)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, h.Base, "%q", in)
		assert.Equal(t, "abc123def456", h.Code)
		assert.Equal(t, "x.bitrix24.ru", h.Host)
		_, err = New(h.Base)
		assert.NoError(t, err, "New takes the base of %q", in)
	}
	// The longest user id, 18 digits, is taken (19 are refused).
	h, err := ParseWebhook("https://x.bitrix24.ru/rest/123456789012345678/abc123def456/")
	require.NoError(t, err)
	assert.Equal(t, "https://x.bitrix24.ru/rest/123456789012345678/abc123def456", h.Base)
}

func TestParseWebhookHTTPOnlyToLoopback(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"localhost:8080", "LocalHost", "127.0.0.1:1", "[::1]:8080", "[0:0:0:0:0:0:0:1]", "127.0.0.2"} {
		h, err := ParseWebhook("http://" + host + "/rest/1/abcdefgh/")
		if assert.NoError(t, err, host) {
			assert.Equal(t, "http://"+h.Host+"/rest/1/abcdefgh", h.Base)
		}
	}
	for _, host := range []string{"example.com", "10.0.0.1", "[2001:db8::1]", "[::1:1]", "[1::1]", "localhost.example.com", "127.0.0.1.nip.io"} {
		_, err := ParseWebhook("http://" + host + "/rest/1/abcdefgh/")
		var we *WebhookError
		if assert.ErrorAs(t, err, &we, host) {
			assert.Equal(t, WebhookPlainHTTP, we.Reason, host)
		}
	}
}

// Each refusal says which rule the URL broke, and never holds the URL's
// path, where the secret is.
func TestParseWebhookSaysWhy(t *testing.T) {
	t.Parallel()
	const code = "s3cr3tHookC0de42"
	for _, c := range []struct {
		in   string
		want WebhookReason
	}{
		{"", WebhookMissing},
		{"  \t", WebhookMissing},
		{"ftp://h.example/rest/1/" + code + "/", WebhookScheme},
		{"https://admin:" + code + "@h.example/rest/1/" + code + "/", WebhookUserinfo},
		{"https:///rest/1/" + code + "/", WebhookHost},
		{"https://?to=a@h.example/rest/1/" + code + "/", WebhookHost}, // the @ is in the query
		{"https://h example/rest/1/" + code + "/", WebhookHost},
		{"https://h.example:0/rest/1/" + code + "/", WebhookHost},
		{"http://h.example/rest/1/" + code + "/", WebhookPlainHTTP},
		{"https://h.example/api/1/" + code + "/", WebhookPath},
		{"https://h.example/rest/1/", WebhookPath},
		{"https://h.example/rest/me/" + code + "/", WebhookUser},
		{"https://h.example/rest/0/" + code + "/", WebhookUser},
		{"https://h.example/rest/1234567890123456789/" + code + "/", WebhookUser},
		{"https://h.example/rest/1/" + code + "%2F/", WebhookCode},
		{"https://h.example/rest/1/" + code + "/a/b.json", WebhookMore},
		{"https://h.example/rest/1/" + code + "/.profile", WebhookMore},
		{"https://h.example/rest/1/" + code + "/pro$file", WebhookMore},
	} {
		_, err := ParseWebhook(c.in)
		var we *WebhookError
		if assert.ErrorAs(t, err, &we, "%q", c.in) {
			assert.Equal(t, c.want, we.Reason, "%q", c.in)
			assert.NotContains(t, err.Error(), code, "%q", c.in)
		}
	}
	// The reason's name is what the log shows; a value of no reason says so.
	assert.Equal(t, "b24: webhook URL refused: missing", (&WebhookError{Reason: WebhookMissing}).Error())
	assert.Equal(t, "more", WebhookMore.String())
	for _, r := range []WebhookReason{0, -1, WebhookMore + 1} {
		assert.Equal(t, "unknown", r.String(), int(r))
	}
}

func TestWebhookRedactHidesCodesInAnyURL(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `bad "https://h/rest/7/REDACTED/x.json"`, Webhook{}.Redact(`bad "https://h/rest/7/zzzzzz/x.json"`))
	assert.Equal(t, "code REDACTED seen", Webhook{Code: "abcdefgh"}.Redact("code abcdefgh seen"))
	// A code too short to replace everywhere is still hidden inside URLs.
	assert.Equal(t, "a1 /rest/1/REDACTED", Webhook{Code: "a1"}.Redact("a1 /rest/1/a1"))
	assert.Equal(t, "/rest/ and /rest/x/y and /rest/1/", Webhook{}.Redact("/rest/ and /rest/x/y and /rest/1/"))
	// Six characters are long enough to hide everywhere; five only in URLs.
	assert.Equal(t, "code REDACTED seen", Webhook{Code: "abc123"}.Redact("code abc123 seen"))
	assert.Equal(t, "code abc12 seen", Webhook{Code: "abc12"}.Redact("code abc12 seen"))
	// No user id, or a text that ends in one: no code to hide.
	assert.Equal(t, "/rest//x and /rest/12", Webhook{}.Redact("/rest//x and /rest/12"))
	// Any digits make a user id.
	assert.Equal(t, "/rest/1029384756/REDACTED", Webhook{}.Redact("/rest/1029384756/zzzzzz"))
	// A path at the very start of the text.
	assert.Equal(t, "/rest/1/REDACTED/profile", Webhook{}.Redact("/rest/1/zzzzzz/profile"))
}
