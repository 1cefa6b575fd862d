//go:build !js

package main

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
		"HTTPS://x.bitrix24.ru/rest/12/abc123def456/?a=1",
		"\thttps://x.bitrix24.ru/rest/12/abc123def456/\r\n",
	} {
		h, err := parseWebhook(in)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, h.base, "%q", in)
		assert.Equal(t, "abc123def456", h.code)
		assert.Equal(t, "x.bitrix24.ru", h.host)
	}
}

func TestParseWebhookHTTPOnlyToLoopback(t *testing.T) {
	t.Parallel()
	for _, host := range []string{"localhost:8080", "LocalHost", "127.0.0.1:1", "[::1]:8080", "127.0.0.2"} {
		h, err := parseWebhook("http://" + host + "/rest/1/abcdefgh/")
		if assert.NoError(t, err, host) {
			assert.Equal(t, "http://"+host+"/rest/1/abcdefgh", h.base)
		}
	}
	for _, host := range []string{"example.com", "10.0.0.1", "[2001:db8::1]", "localhost.example.com", "127.0.0.1.nip.io"} {
		_, err := parseWebhook("http://" + host + "/rest/1/abcdefgh/")
		var ue *usageError
		assert.ErrorAs(t, err, &ue, host)
	}
}

func TestScrubHidesCodesInAnyURL(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `bad "https://h/rest/7/REDACTED/x.json"`, scrub(`bad "https://h/rest/7/zzzzzz/x.json"`))
	assert.Equal(t, "code REDACTED seen", scrub("code abcdefgh seen", "abcdefgh"))
	// A code too short to replace everywhere is still hidden inside URLs.
	assert.Equal(t, "a1 /rest/1/REDACTED", scrub("a1 /rest/1/a1", "a1"))
}
