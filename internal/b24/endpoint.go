package b24

import (
	"strconv"
	"strings"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/urlpart"
)

// endpoint is a validated REST base URL.
type endpoint struct {
	_ [0]func() // not comparable: no equality function in the wasm

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
	var segs []string
	for rest, more := path[1:], true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		segs = append(segs, seg)
	}
	for i := 1; i+2 < len(segs); i++ {
		if ascii.IsDigits(segs[i]) {
			// /rest/{user}/{code}/more: a method URL pasted as the base
			// would send the code to the wrong place, unredacted.
			return endpoint{}, &ParamError{Msg: "endpoint looks like a webhook method URL: give its base, /rest/{user}/{code}"}
		}
	}
	if n := len(segs); n >= 3 && ascii.IsDigits(segs[n-2]) {
		ep.webhook = segs[n-1]
		ep.safe = scheme + host + path[:strings.LastIndexByte(path, '/')+1] + redacted
	}
	return ep, nil
}

// checkHost and checkPath are urlpart's rules, the ones internal/frame
// applies to init data, with the refusal as a *ParamError.
func checkHost(s string) (string, error) {
	h, err := urlpart.Host(s)
	if err != nil {
		return "", &ParamError{Msg: err.Error()}
	}
	return h, nil
}

func checkPath(p string) (string, error) {
	p, err := urlpart.Path(p)
	if err != nil {
		return "", &ParamError{Msg: err.Error()}
	}
	return p, nil
}
