package urlpart

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// FuzzHostPath compares Host and Path with net/url and net/netip. What Host
// and Path accept, net/url must parse back to the same host, port and path
// with nothing else (no userinfo, query or fragment), and a bracketed host
// must be an IPv6 address to net/netip. Conversely every address net/netip
// reads (IPv4, or IPv6 without a zone) Host must accept. Seeds are in f.Add
// and testdata/fuzz/FuzzHostPath.
func FuzzHostPath(f *testing.F) {
	for _, s := range [][2]string{
		{"portal.bitrix24.ru", "/rest"},
		{"localhost:8080", ""},
		{"[::1]:443", "/rest/"},
		{"[2001:db8::1.2.3.4]", "/rest/1/code"},
		{"1.2.3.4", "/a/b"},
		{"[1::2::3]", "/"},
		{"host.", "//evil.com"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, host, path string) {
		h, herr := Host(host)
		p, perr := Path(path)
		if herr == nil && perr == nil {
			u, err := url.Parse("http://" + h + p)
			if err != nil {
				t.Fatalf("Host(%q)=%q Path(%q)=%q, but net/url refuses: %v", host, h, path, p, err)
			}
			if u.Host != h || u.Path != p || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
				t.Fatalf("Host(%q)=%q Path(%q)=%q, net/url reads host %q path %q user %v query %q fragment %q",
					host, h, path, p, u.Host, u.Path, u.User, u.RawQuery, u.Fragment)
			}
			if port := u.Port(); port != "" && strings.HasPrefix(port, "0") {
				t.Fatalf("Host(%q) kept a port with a leading zero", host)
			}
			if strings.HasPrefix(h, "[") {
				a, err := netip.ParseAddr(u.Hostname())
				if err != nil || !a.Is6() || a.Zone() != "" {
					t.Fatalf("Host(%q)=%q, but net/netip reads %v, %v", host, h, a, err)
				}
			} else if a, err := netip.ParseAddr(u.Hostname()); err == nil && !a.Is4() {
				t.Fatalf("Host(%q)=%q: an unbracketed IPv6 address", host, h)
			}
		}
		if a, err := netip.ParseAddr(host); err == nil && a.Zone() == "" && len(host) <= 45 {
			in := host
			if a.Is6() {
				in = "[" + host + "]"
			}
			if _, err := Host(in); err != nil {
				t.Fatalf("net/netip reads %q as %v, but Host refuses it: %v", in, a, err)
			}
		}
	})
}
