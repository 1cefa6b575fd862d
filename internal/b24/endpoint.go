package b24

import (
	"strconv"
	"strings"

	"github.com/pinall/pinall/internal/ascii"
)

// endpoint is a validated REST base URL.
type endpoint struct {
	base    string // https://host[:port]/rest or .../rest/{user}/{code}
	safe    string // base with a webhook code replaced by REDACTED
	webhook string // the webhook code, a secret; empty for OAuth endpoints
}

// EndpointFromFrame builds the REST base URL from the frame's DOMAIN,
// PROTOCOL (1 = https, 0 = http) and PATH (default /rest). DOMAIN comes from
// window.name, which any page can set: it must be a plain host[:port].
func EndpointFromFrame(domain string, protocol int, path string) (string, error) {
	var scheme string
	switch protocol {
	case 1:
		scheme = "https://"
	case 0:
		scheme = "http://"
	default:
		return "", &ParamError{Msg: "PROTOCOL must be 0 or 1, got " + strconv.Itoa(protocol)}
	}
	host, err := checkHost(domain)
	if err != nil {
		return "", err
	}
	p, err := checkPath(path)
	if err != nil {
		return "", err
	}
	return scheme + host + p, nil
}

// parseEndpoint validates {http|https}://host[:port][/path]: no userinfo,
// query or fragment, a path of plain segments (default /rest).
func parseEndpoint(raw string) (endpoint, error) {
	var scheme string
	lower := ascii.Lower(raw)
	switch {
	case strings.HasPrefix(lower, "https://"):
		scheme = "https://"
	case strings.HasPrefix(lower, "http://"):
		scheme = "http://"
	default:
		return endpoint{}, &ParamError{Msg: "endpoint must start with https:// or http://"}
	}
	rest := raw[len(scheme):]
	hostPart, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		hostPart, path = rest[:i], rest[i:]
	}
	host, err := checkHost(hostPart)
	if err != nil {
		return endpoint{}, err
	}
	path, err = checkPath(path)
	if err != nil {
		return endpoint{}, err
	}
	ep := endpoint{base: scheme + host + path, safe: scheme + host + path}
	// A webhook base is /rest/{user_id}/{code}: the code is a password.
	segs := strings.Split(path[1:], "/")
	for i := 1; i+2 < len(segs); i++ {
		if isDigits(segs[i]) {
			// /rest/{user}/{code}/more: a method URL pasted as the base
			// would send the code to the wrong place, unredacted.
			return endpoint{}, &ParamError{Msg: "endpoint looks like a webhook method URL: give its base, /rest/{user}/{code}"}
		}
	}
	if n := len(segs); n >= 3 && isDigits(segs[n-2]) {
		ep.webhook = segs[n-1]
		ep.safe = scheme + host + "/" + strings.Join(segs[:n-1], "/") + "/" + redacted
	}
	return ep, nil
}

// checkHost accepts a DNS name, an IPv4 address or a bracketed IPv6
// address, with an optional port, and returns it in lower case.
func checkHost(s string) (string, error) {
	bad := func(why string) error {
		// The host is not echoed: it may carry userinfo (user:password@).
		return &ParamError{Msg: "invalid host: " + why}
	}
	if s == "" {
		return "", bad("empty")
	}
	if len(s) > 260 {
		return "", bad("too long")
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", bad("unclosed [")
		}
		host, port = s[:end+1], s[end+1:]
		if !isIPv6(host[1:end]) {
			return "", bad("not an IPv6 address")
		}
		if port != "" && port[0] != ':' {
			return "", bad("junk after ]")
		}
	} else if i := strings.IndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i:]
		if !isDNSName(host) {
			return "", bad("not a plain host name")
		}
	} else if !isDNSName(host) {
		return "", bad("not a plain host name")
	}
	if port != "" {
		p := port[1:]
		n, err := strconv.Atoi(p)
		if !isDigits(p) || len(p) > 5 || err != nil || n < 1 || n > 65535 {
			return "", bad("bad port")
		}
	}
	return ascii.Lower(host) + port, nil
}

func isDNSName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// isIPv6 is a shape check (hex groups, one ::, an optional IPv4 tail; no
// zone), enough to keep anything else out of the URL's authority.
func isIPv6(s string) bool {
	if len(s) < 2 || len(s) > 45 || strings.Count(s, "::") > 1 {
		return false
	}
	groups := strings.Split(s, ":")
	if len(groups) < 3 || len(groups) > 8 {
		return false
	}
	for i, g := range groups {
		if g == "" {
			continue // part of ::
		}
		if i == len(groups)-1 && strings.Contains(g, ".") {
			if strings.Count(g, ".") != 3 || !isDNSName(g) || !isDigits(strings.ReplaceAll(g, ".", "")) {
				return false
			}
			continue
		}
		if len(g) > 4 {
			return false
		}
		for j := 0; j < len(g); j++ {
			c := g[j]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// checkPath accepts "" or "/" (meaning /rest) or /seg/seg of unreserved
// characters, and drops a trailing slash.
func checkPath(p string) (string, error) {
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return "/rest", nil
	}
	// The path is not echoed: a webhook path holds its secret code.
	bad := &ParamError{Msg: "invalid path: want /rest or /seg/seg of letters, digits, - _ . ~"}
	if p[0] != '/' || len(p) > 200 {
		return "", bad
	}
	for _, seg := range strings.Split(p[1:], "/") {
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

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
