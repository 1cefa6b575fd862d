package urlpart

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHost(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"portal.bitrix24.ru":    "portal.bitrix24.ru",
		"Portal.Example.COM":    "portal.example.com",
		"localhost:8080":        "localhost:8080",
		"127.0.0.1:3000":        "127.0.0.1:3000",
		"x:65535":               "x:65535",
		"xn--e1afmkfd.xn--p1ai": "xn--e1afmkfd.xn--p1ai",
		"[::1]:80":              "[::1]:80",
		"[2001:DB8::1]":         "[2001:db8::1]",
		"[::]":                  "[::]",
		"[1:2:3:4:5:6:7:8]":     "[1:2:3:4:5:6:7:8]",
		"[1:2:3:4:5:6:7::]":     "[1:2:3:4:5:6:7::]",
		"[::ffff:10.0.0.1]":     "[::ffff:10.0.0.1]",
		"[1:2:3:4:5:6:1.2.3.4]": "[1:2:3:4:5:6:1.2.3.4]",
	} {
		got, err := Host(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{
		"", "evil.com@portal", "portal/evil", "portal?x", "portal#x", "https://x", "//evil.com",
		" x", "x ", "x\n", "x\x00", "x:99999", "x:0", "x:", "x:80:80", "x:8o", "x:+80", "x:080",
		"portal\\evil", "[::1", "[::1]x", "[::1]:99999", "[fe80::1%25eth0]", "[evil.com]",
		"-x.com", "x..com", ".x", "x.", "host.", "xn--пример", "portal.com%2f", "a_b.com",
		"evil.com:80@portal", "portal:80/x",
		"[1::2::3]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7:8::]", "[12345::]", "[:1]", "[1:]",
		"[::1.2.3.256]", "[::1.2.3.04]", "[1.2.3.4::]", "[::1.2.3.4:5]", "[:::]",
		"1.2.3.256", "1.2.3", "x.123", "01.2.3.4",
	} {
		_, err := Host(in)
		assert.Error(t, err, "%q must be refused", in)
	}
}

func TestPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "/rest", "/": "/rest", "/rest": "/rest", "/rest/": "/rest",
		"/api/rest": "/api/rest", "/rest/1/Ab_c-d.e~f": "/rest/1/Ab_c-d.e~f",
	} {
		got, err := Path(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{
		"rest", "/rest?x", "/re st", "/../x", "/rest/./x", "//evil.com", "/rest#x", "/rest@x",
		"/a//b", "/a/..", "/a\\b", "/a%2fb", "/rest\x00",
	} {
		_, err := Path(in)
		assert.Error(t, err, "%q must be refused", in)
	}
}
