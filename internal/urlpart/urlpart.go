// Package urlpart checks the parts of a REST URL that come from outside: the
// portal's host[:port] (window.name, init data, a webhook URL) and its path.
// One copy of these rules serves internal/frame and internal/b24, so what one
// accepts the other accepts too. It is plain string code: the wasm build must
// not carry net/url or net/netip (wasm/deps_test.go).
package urlpart

import (
	"strings"

	"github.com/pinall/pinall/internal/ascii"
)

// Error says which rule a host or path broke. It never repeats the input:
// a host may carry userinfo, a webhook path its secret code.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func badHost(why string) error { return &Error{"invalid host: " + why} }

// maxHost is the longest host[:port] Host can accept: a 253-byte name and a
// five-digit port. Anything longer is refused before it is read.
const maxHost = 253 + len(":65535")

// Host checks that s is a plain host[:port] and returns it in lower case: a
// DNS name (letters, digits, hyphens; no trailing dot), an IPv4 address, or
// a bracketed IPv6 address without a zone; a port 1-65535 without a leading
// zero (a browser would drop it, and the origin check would then fail). No
// scheme, userinfo, path, query, fragment, space or control character.
func Host(s string) (string, error) {
	if s == "" {
		return "", badHost("empty")
	}
	if len(s) > maxHost {
		return "", badHost("too long")
	}
	s = ascii.Lower(s)
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", badHost("unclosed [")
		}
		host, port = s[:end+1], s[end+1:]
		if !isIPv6(host[1:end]) {
			return "", badHost("not an IPv6 address")
		}
		if port != "" && port[0] != ':' {
			return "", badHost("junk after ]")
		}
	} else {
		if i := strings.IndexByte(s, ':'); i >= 0 {
			host, port = s[:i], s[i:]
		}
		if !isDNSName(host) {
			return "", badHost("not a plain host name")
		}
	}
	if port != "" && !validPort(port[1:]) {
		return "", badHost("bad port")
	}
	return s, nil
}

// validPort takes 1-65535 in decimal, without a sign or a leading zero.
func validPort(p string) bool {
	n, ok := decimal(p, 65535)
	return ok && n > 0
}

// decimal reads a number of at most max (< 100000) in decimal digits, with
// no sign and no leading zero ("0" itself is 0).
func decimal(s string, max int) (int, bool) {
	if s == "" || len(s) > 5 || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= max
}

// The loops below walk the parts of a string with strings.Cut rather than
// strings.Split or strings.SplitSeq: no allocation, and in the wasm build
// less code than a range-over-func iterator.

// isDNSName takes lower-case labels of letters, digits and inner hyphens,
// 1-63 bytes each, 253 in all. A name whose last label is all digits is an
// IPv4 address to a browser, so it must be a valid one.
func isDNSName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	if i := strings.LastIndexByte(s, '.'); ascii.IsDigits(s[i+1:]) {
		return isIPv4(s)
	}
	for rest, more := s, true; more; {
		var label string
		label, rest, more = strings.Cut(rest, ".")
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// isIPv6 parses a lower-case IPv6 address as RFC 4291 writes it: eight
// groups of 1-4 hex digits, a single "::" standing for one or more zero
// groups, and optionally a dotted IPv4 address as the last two groups.
func isIPv6(s string) bool {
	if len(s) < 2 || len(s) > 45 {
		return false
	}
	head, tail, compressed := strings.Cut(s, "::")
	if compressed && strings.Contains(tail, "::") {
		return false
	}
	nh, okh := groups(head, !compressed)
	nt, okt := groups(tail, true)
	if !okh || !okt {
		return false
	}
	if !compressed {
		return nh == 8
	}
	return nh+nt <= 7
}

// groups counts the 16-bit groups of a colon-separated run ("" has none);
// last says the run ends the address, so an IPv4 part may close it.
func groups(s string, last bool) (int, bool) {
	if s == "" {
		return 0, true
	}
	n := 0
	for rest, more := s, true; more; n++ {
		var g string
		g, rest, more = strings.Cut(rest, ":")
		if last && !more && strings.Contains(g, ".") {
			return n + 2, isIPv4(g)
		}
		if g == "" || len(g) > 4 {
			return 0, false
		}
		for j := 0; j < len(g); j++ {
			c := g[j]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return 0, false
			}
		}
	}
	return n, true
}

// isIPv4 takes four decimal octets 0-255 without leading zeros.
func isIPv4(s string) bool {
	n := 0
	for rest, more := s, true; more; n++ {
		var octet string
		octet, rest, more = strings.Cut(rest, ".")
		if _, ok := decimal(octet, 255); !ok {
			return false
		}
	}
	return n == 4
}

// DefaultPath is the REST path when the portal names none.
const DefaultPath = "/rest"

// Path checks a REST path and returns it without a trailing slash; "" and
// "/" give DefaultPath. Otherwise it is /seg[/seg...] of letters, digits
// and - _ . ~, no segment empty, "." or "..", 200 bytes at most: nothing
// that could leave the path (a "//host" start, a query, a fragment).
func Path(p string) (string, error) {
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return DefaultPath, nil
	}
	bad := &Error{"invalid path: want /rest or /seg/seg of letters, digits, - _ . ~"}
	if p[0] != '/' || len(p) > 200 {
		return "", bad
	}
	for rest, more := p[1:], true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		if seg == "" || seg == "." || seg == ".." {
			return "", bad
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
				return "", bad
			}
		}
	}
	return p, nil
}
