//go:build !js

// Native only: these run against net/http/httptest.

package b24

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndpointFromFrame(t *testing.T) {
	t.Parallel()
	ok := []struct {
		domain   string
		protocol int
		path     string
		want     string
	}{
		{"portal.bitrix24.ru", 1, "/rest", "https://portal.bitrix24.ru/rest"},
		{"portal.bitrix24.ru", 1, "", "https://portal.bitrix24.ru/rest"},
		{"Portal.Example.COM", 1, "/rest/", "https://portal.example.com/rest"},
		{"localhost:8080", 0, "/rest", "http://localhost:8080/rest"},
		{"127.0.0.1:3000", 0, "/rest", "http://127.0.0.1:3000/rest"},
		{"[::1]:80", 0, "/rest", "http://[::1]:80/rest"},
		{"[2001:db8::1]", 1, "/rest", "https://[2001:db8::1]/rest"},
		{"x:65535", 1, "/api/rest", "https://x:65535/api/rest"},
	}
	for _, tt := range ok {
		got, err := EndpointFromFrame(tt.domain, tt.protocol, tt.path)
		require.NoError(t, err, tt.domain)
		assert.Equal(t, tt.want, got)
	}

	hostile := []string{
		"", "evil.com@portal", "portal/evil", "portal?x", "portal#x", "https://x", "//evil.com",
		" x", "x ", "x\n", "x\x00", "x:99999", "x:0", "x:", "x:80:80", "x:8o", "x:+80",
		"portal\\evil", "[::1", "[::1]x", "[::1]:99999", "[fe80::1%25eth0]", "[evil.com]",
		"-x.com", "x..com", ".x", "x.", "xn--пример", "portal.com%2f", "a_b.com",
		"evil.com:80@portal", "portal:80/x",
	}
	for _, d := range hostile {
		_, err := EndpointFromFrame(d, 1, "/rest")
		var pe *ParamError
		assert.ErrorAs(t, err, &pe, "DOMAIN %q must be refused", d)
	}

	for _, p := range []int{-1, 2, 443} {
		_, err := EndpointFromFrame("portal", p, "/rest")
		assert.Error(t, err, "PROTOCOL %d", p)
	}
	for _, p := range []string{"rest", "/rest?x", "/re st", "/../x", "/rest/./x", "//evil.com", "/rest#x", "/rest@x"} {
		_, err := EndpointFromFrame("portal", 1, p)
		assert.Error(t, err, "PATH %q", p)
	}
}

func TestNewValidatesEndpoint(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"", "portal.example", "ftp://portal.example/rest", "https://user:pw@portal.example/rest",
		"https://portal.example/rest?auth=x", "https://portal.example/rest#x", "https:/portal.example",
		"https://portal.example:99999/rest", "javascript:alert(1)",
	} {
		_, err := New(bad)
		assert.Error(t, err, "%q", bad)
	}
	c, err := New("HTTPS://portal.example/rest/")
	require.NoError(t, err)
	assert.Equal(t, "https://portal.example/rest", c.ep.safe)
	// A third slash leaves no host: the error says so.
	_, err = New("https:///rest")
	assert.EqualError(t, err, "b24: invalid host: empty")
}

func TestWebhookEndpoint(t *testing.T) {
	t.Parallel()
	ep, err := parseEndpoint("https://portal.example/rest/1/abc123def")
	require.NoError(t, err)
	assert.Equal(t, "https://portal.example/rest/1/abc123def", ep.base)
	assert.Equal(t, "https://portal.example/rest/1/REDACTED", ep.safe)
	assert.Equal(t, "abc123def", ep.webhook)

	ep, err = parseEndpoint("https://portal.example/rest")
	require.NoError(t, err)
	assert.Empty(t, ep.webhook)
	assert.Equal(t, ep.base, ep.safe)
}

// An endpoint error must not echo what it refused: a host may carry a
// password, a webhook path its code.
func TestEndpointErrorsDoNotEchoSecrets(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://user:pa55word@h.ru/rest",
		"https://h.ru/rest/1/sec%ret/",
		"https://h.ru:99999/rest/1/sec%ret",
	} {
		_, err := New(raw)
		require.Error(t, err, raw)
		assert.NotContains(t, err.Error(), "pa55word", raw)
		assert.NotContains(t, err.Error(), "sec%ret", raw)
	}
}

// A pasted webhook method URL is refused, not taken as a base with the code
// in the middle of the path.
func TestWebhookMethodURLRefused(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://h.ru/rest/1/secret/profile.json", "https://h.ru/rest/1/secret/a/b",
		"https://h.ru/b24/rest/1/secret/profile.json", // a portal below a path
	} {
		_, err := New(raw)
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), "webhook method URL")
		assert.NotContains(t, err.Error(), "secret")
	}
	c, err := New("https://h.ru/rest/1/secret/")
	require.NoError(t, err)
	assert.Equal(t, "https://h.ru/rest/1/REDACTED", c.ep.safe)
	// Below a path, a webhook base is still one, and a long plain path no webhook.
	c, err = New("https://h.ru/b24/rest/1/secret")
	require.NoError(t, err)
	assert.Equal(t, "https://h.ru/b24/rest/1/REDACTED", c.ep.safe)
	c, err = New("https://h.ru/a/b/c/rest")
	require.NoError(t, err)
	assert.Equal(t, "https://h.ru/a/b/c/rest", c.ep.safe)
}
