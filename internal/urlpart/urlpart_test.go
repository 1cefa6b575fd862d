package urlpart

import (
	"strings"
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
		// Every letter and digit at both ends of its range.
		"b24-90az.bitrix24.kz": "b24-90az.bitrix24.kz",
		"10.0.0.9:9090":        "10.0.0.9:9090",
		"[fe80::a9:f0]":        "[fe80::a9:f0]",
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
		"[1:2:3:4::5:6:7:8]", "[::1g]", "[g::1]", "[fe80::1:/]", "x:1/", "x:9a",
	} {
		_, err := Host(in)
		assert.Error(t, err, "%q must be refused", in)
	}
}

// The longest host of each kind passes, and one byte more does not: a
// portal's name may use all 253 bytes DNS allows.
func TestHostLengthLimits(t *testing.T) {
	t.Parallel()
	label := func(n int) string { return strings.Repeat("a", n) }
	name := label(63) + "." + label(63) + "." + label(63) + "." + label(61) // 253 bytes
	ipv6 := "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]"               // 45 bytes inside the brackets
	for _, in := range []string{name, name + ":65535", label(63) + ".com", ipv6, ipv6 + ":65535"} {
		got, err := Host(in)
		if assert.NoError(t, err, "%d bytes", len(in)) {
			assert.Equal(t, in, got)
		}
	}
	for _, in := range []string{
		name + "a", name + "a:1", label(64) + ".com", "[0" + ipv6[1:], name + ":65535" + strings.Repeat("0", 1000),
	} {
		_, err := Host(in)
		assert.Error(t, err, "%d bytes must be refused", len(in))
	}
}

func TestPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "/rest", "/": "/rest", "/rest": "/rest", "/rest/": "/rest",
		"/api/rest": "/api/rest", "/rest/1/Ab_c-d.e~f": "/rest/1/Ab_c-d.e~f",
		// A webhook's path: the user's ID and a code of any letters and digits.
		"/rest/90/azAZ09": "/rest/90/azAZ09",
		// 200 bytes, the longest path.
		"/rest/" + strings.Repeat("x", 194): "/rest/" + strings.Repeat("x", 194),
	} {
		got, err := Path(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{
		"rest", "/rest?x", "/re st", "/../x", "/rest/./x", "//evil.com", "/rest#x", "/rest@x",
		"/a//b", "/a/..", "/a\\b", "/a%2fb", "/rest\x00",
		"/rest/" + strings.Repeat("x", 195), "/rest/a:b", "/rest/a@b", "/rest/[", "/rest/{",
	} {
		_, err := Path(in)
		assert.Error(t, err, "%q must be refused", in)
	}
}
