// Package ascii maps case for ASCII letters only, tells ASCII digits and
// trims ASCII white space.
// Hosts, error codes and language tags here are ASCII; the strings package's Unicode mappings would
// link the Unicode tables into the wasm download, and could turn the Kelvin
// sign into "k" in a host name.
package ascii

// Lower returns s with A-Z mapped to a-z.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Upper returns s with a-z mapped to A-Z.
func Upper(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'a' <= c && c <= 'z' {
					b[j] = c - ('a' - 'A')
				}
			}
			return string(b)
		}
	}
	return s
}

// EqualFold reports whether a and b are equal ignoring ASCII case.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// IsDigits reports whether s is one or more of 0-9.
func IsDigits(s string) bool {
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

// TrimSpace returns s without leading and trailing ASCII white space
// (space, \t, \n, \v, \f, \r). Other spaces stay: strings.TrimSpace would
// link unicode's tables for identifiers that are ASCII.
func TrimSpace(s string) string {
	for s != "" && isSpace(s[0]) {
		s = s[1:]
	}
	for s != "" && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isSpace(c byte) bool { return c == ' ' || '\t' <= c && c <= '\r' }

// ParseInt reads a decimal int64 as strconv.ParseInt(s, 10, 64) does (an
// optional sign, then digits), without its error values: a caller here
// only asks whether s is one, and strconv's *NumError and its messages
// would ride along into the wasm.
func ParseInt(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if !IsDigits(s) {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		if n > (1<<64-1)/10 {
			return 0, false
		}
		n = n*10 + uint64(s[i]-'0')
		if n < uint64(s[i]-'0') {
			return 0, false
		}
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}
