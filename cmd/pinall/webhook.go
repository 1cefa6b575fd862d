//go:build !js

package main

import (
	"net"
	"net/url"
	"regexp"
	"strings"
)

// webhook is an inbound webhook URL reduced to the base b24.New takes.
type webhook struct {
	base string // scheme://host[:port]/rest/{user}/{code}; holds the secret
	host string // host[:port], safe to show
	code string // the secret part of the path
}

// urlShape is how a webhook URL looks; messages show it instead of the
// user's URL, which must never be printed.
const urlShape = "https://your-portal.bitrix24.com/rest/USER_ID/CODE/"

// usageError is a problem with the command line (exit 2). Its text never
// contains the webhook URL.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func badURL(why string) error {
	return &usageError{msg: "the webhook URL " + why + "; it should look like " + urlShape}
}

// parseWebhook accepts what users paste: the base with or without a
// trailing slash, a method with or without .json after it
// (.../profile.json), surrounding blanks, a query or fragment, and no
// scheme (https is assumed). It refuses plain http except to loopback,
// because the secret code travels in the path.
func parseWebhook(raw string) (webhook, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return webhook{}, &usageError{msg: "no webhook URL: set PINALL_WEBHOOK or pass -webhook URL"}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	// url.Parse's error quotes the input: drop it.
	u, err := url.Parse(s)
	if err != nil {
		return webhook{}, badURL("is not a valid URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return webhook{}, badURL("must start with https://")
	}
	if u.User != nil {
		return webhook{}, badURL("must not contain a user name or password before the host")
	}
	if u.Host == "" || u.Hostname() == "" {
		return webhook{}, badURL("has no host")
	}
	if scheme == "http" && !isLoopback(u.Hostname()) {
		return webhook{}, &usageError{msg: "refusing plain http:// to " + u.Host +
			": the webhook's secret code travels in the URL, so Bitrix24 webhooks use https://; " +
			"http:// is allowed only to a local dev portal (localhost, 127.0.0.1, [::1])"}
	}

	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case len(segs) < 3 || segs[0] != "rest":
		return webhook{}, badURL("path must be /rest/USER_ID/CODE/")
	case !isDigits(segs[1]) || strings.TrimLeft(segs[1], "0") == "":
		return webhook{}, badURL("needs the user's numeric id after /rest/")
	case !isCode(segs[2]):
		return webhook{}, badURL("needs the webhook code (letters and digits) after the user id")
	case len(segs) > 4:
		return webhook{}, badURL("has more path after the code than a method name")
	case len(segs) == 4 && !isMethod(strings.TrimSuffix(segs[3], ".json")):
		return webhook{}, badURL("has something other than a method name after the code")
	}
	return webhook{
		base: scheme + "://" + u.Host + "/rest/" + segs[1] + "/" + segs[2],
		host: u.Host,
		code: segs[2],
	}, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isCode keeps the code to characters that need no escaping in a path, so
// the redaction below finds it verbatim in any text.
func isCode(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isMethod(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

const redacted = "REDACTED"

// webhookPath matches /rest/{user}/{code} in any text: a second guard
// for URLs we did not parse (a flag parse error quoting a misplaced URL).
var webhookPath = regexp.MustCompile(`(/rest/[0-9]+/)[^/\s"'<>?#]+`)

// scrub removes the webhook code from text about to be printed. b24
// already redacts its errors; this is the last gate before the terminal.
func scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		// A very short code would garble every message; the path pattern
		// below still catches it inside a URL.
		if len(sec) >= 6 {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return webhookPath.ReplaceAllString(s, "${1}"+redacted)
}
