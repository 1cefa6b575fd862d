package b24

import (
	"strings"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/urlpart"
)

// Webhook is an inbound webhook URL reduced to the base New takes.
type Webhook struct {
	Base string // scheme://host[:port]/rest/{user}/{code}: holds the secret code
	Host string // host[:port], safe to show
	Code string // the secret part of the path
}

// WebhookReason says which rule a webhook URL broke.
type WebhookReason int

// The reasons ParseWebhook refuses a URL.
const (
	WebhookMissing   WebhookReason = iota + 1 // nothing given
	WebhookScheme                             // a scheme other than https:// or http://
	WebhookUserinfo                           // a user name or password before the host
	WebhookHost                               // no host, or not a plain host[:port]
	WebhookPlainHTTP                          // http:// to a host that is not this machine
	WebhookPath                               // the path is not /rest/USER_ID/CODE/
	WebhookUser                               // no numeric user id after /rest/
	WebhookCode                               // no code (letters, digits, - and _) after the user id
	WebhookMore                               // more after the code than a method name
)

var webhookReasons = [...]string{
	WebhookMissing:   "missing",
	WebhookScheme:    "scheme",
	WebhookUserinfo:  "userinfo",
	WebhookHost:      "host",
	WebhookPlainHTTP: "plain_http",
	WebhookPath:      "path",
	WebhookUser:      "user",
	WebhookCode:      "code",
	WebhookMore:      "more",
}

func (r WebhookReason) String() string {
	if r > 0 && int(r) < len(webhookReasons) {
		return webhookReasons[r]
	}
	return "unknown"
}

// WebhookError is a webhook URL ParseWebhook refused. It never holds the
// URL, whose path carries the secret: only the host, for WebhookPlainHTTP.
// internal/l10n puts it into words.
type WebhookError struct {
	Reason WebhookReason
	Host   string // the host refused plain http://, safe to show
}

func (e *WebhookError) Error() string { return "b24: webhook URL refused: " + e.Reason.String() }

// ParseWebhook accepts what users paste: the base with or without a
// trailing slash, a method with or without .json after it
// (.../profile.json), surrounding blanks, a query or fragment, and no
// scheme (https is assumed). It refuses plain http except to this machine,
// because the secret code travels in the path. The host is urlpart's rule,
// the method name and the code this package's, so New takes every base it
// returns.
func ParseWebhook(raw string) (Webhook, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Webhook{}, &WebhookError{Reason: WebhookMissing}
	}
	scheme, rest, found := strings.Cut(s, "://")
	if !found {
		scheme, rest = "https", s
	}
	scheme = ascii.Lower(scheme)
	if scheme != "https" && scheme != "http" {
		return Webhook{}, &WebhookError{Reason: WebhookScheme}
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	authority, path, _ := strings.Cut(rest, "/")
	if strings.Contains(authority, "@") {
		return Webhook{}, &WebhookError{Reason: WebhookUserinfo}
	}
	host, err := urlpart.Host(authority)
	if err != nil {
		return Webhook{}, &WebhookError{Reason: WebhookHost}
	}
	if scheme == "http" && !isLoopback(host) {
		return Webhook{}, &WebhookError{Reason: WebhookPlainHTTP, Host: host}
	}

	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(segs) < 3 || segs[0] != "rest":
		return Webhook{}, &WebhookError{Reason: WebhookPath}
	case len(segs[1]) > 18 || !ascii.IsDigits(segs[1]) || strings.TrimLeft(segs[1], "0") == "":
		return Webhook{}, &WebhookError{Reason: WebhookUser}
	case !validKey(segs[2]):
		return Webhook{}, &WebhookError{Reason: WebhookCode}
	case len(segs) > 4, len(segs) == 4 && !validMethod(strings.TrimSuffix(segs[3], ".json")):
		return Webhook{}, &WebhookError{Reason: WebhookMore}
	}
	return Webhook{
		Base: scheme + "://" + host + "/rest/" + segs[1] + "/" + segs[2],
		Host: host,
		Code: segs[2],
	}, nil
}

// isLoopback reports whether host (urlpart.Host's form, a port allowed) is
// this machine: localhost, 127.0.0.0/8 or [::1].
func isLoopback(host string) bool {
	if strings.HasPrefix(host, "[") {
		// ::1 however it is spelt (urlpart.Host took a valid IPv6 address):
		// every group zero but the last, which is 1.
		addr := host[1:strings.IndexByte(host, ']')]
		i := strings.LastIndexByte(addr, ':')
		return strings.Trim(addr[:i], "0:") == "" && strings.TrimLeft(addr[i+1:], "0") == "1"
	}
	name, _, _ := strings.Cut(host, ":")
	if name == "localhost" {
		return true
	}
	// urlpart.Host took a name ending in digits only as a valid IPv4 address.
	last := name[strings.LastIndexByte(name, '.')+1:]
	return strings.HasPrefix(name, "127.") && ascii.IsDigits(last)
}

// Redact replaces the webhook's code in s, and the code of any
// /rest/{user}/{code} path (a URL the CLI did not parse: a flag's error
// quoting a misplaced one), with REDACTED. A zero Webhook redacts paths only.
func (w Webhook) Redact(s string) string {
	// A very short code would garble every message; the path rule below
	// still catches it inside a URL.
	if len(w.Code) >= 6 {
		s = strings.ReplaceAll(s, w.Code, redacted)
	}
	return redactSpans(s, func(from int) (start, end int, ok bool) {
		for {
			j := strings.Index(s[from:], "/rest/")
			if j < 0 {
				return 0, 0, false
			}
			k := from + j + len("/rest/")
			from = k
			for k < len(s) && '0' <= s[k] && s[k] <= '9' {
				k++
			}
			if k > from && k < len(s) && s[k] == '/' {
				return k + 1, spanEnd(s, k+1, "/ \t\r\n\"'<>?#"), true
			}
		}
	})
}
