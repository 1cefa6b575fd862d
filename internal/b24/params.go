package b24

import (
	"strconv"
	"strings"
)

// Param is one form field.
type Param struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Key, Value string
}

// Params are a call's parameters in order, encoded the way PHP reads them:
// nested keys as a[b][c]=v.
type Params []Param

// Add appends key=value.
func (p Params) Add(key, value string) Params { return append(p, Param{Key: key, Value: value}) }

// addInt appends key=n.
func (p Params) addInt(key string, n int64) Params {
	return append(p, Param{Key: key, Value: strconv.FormatInt(n, 10)})
}

// addBool appends key=Y or key=N, Bitrix24's booleans.
func (p Params) addBool(key string, b bool) Params {
	if b {
		return p.Add(key, "Y")
	}
	return p.Add(key, "N")
}

// AddNested appends sub under prefix: {a: 1, b[c]: 2} becomes
// prefix[a]=1, prefix[b][c]=2.
func (p Params) AddNested(prefix string, sub Params) Params {
	for _, s := range sub {
		head, rest := s.Key, ""
		if i := strings.IndexByte(s.Key, '['); i >= 0 {
			head, rest = s.Key[:i], s.Key[i:]
		}
		p = append(p, Param{Key: prefix + "[" + head + "]" + rest, Value: s.Value})
	}
	return p
}

// Encode returns the form encoding, keys and values escaped as
// url.QueryEscape does (space as +), in order.
func (p Params) Encode() string {
	var b []byte
	for i, kv := range p {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendEscaped(b, kv.Key)
		b = append(b, '=')
		b = appendEscaped(b, kv.Value)
	}
	return string(b)
}

// appendEscaped is url.QueryEscape without pulling net/url into the wasm.
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

func queryEscape(s string) string { return string(appendEscaped(nil, s)) }
