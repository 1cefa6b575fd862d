// Package minijson reads and writes the small JSON documents the widget
// exchanges with Bitrix24: REST replies and frame-protocol messages.
//
// It exists because encoding/json would add much to the wasm download
// (bench/results.md) for work that needs no reflection. It is strict RFC 8259, keeps
// numbers as their literal text, and never panics on any input.
package minijson

import (
	"strconv"
	"strings"

	"github.com/pinall/pinall/internal/ascii"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON kinds. The zero Value is Invalid: what Get returns for a missing key.
const (
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"invalid", "null", "bool", "number", "string", "array", "object"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Member is one key and value of an object, in document order.
type Member struct {
	Key   string
	Value Value
}

// Value is a parsed JSON value. Accessors report false (or a zero) instead of
// panicking when the value is of another kind.
type Value struct {
	kind    Kind
	b       bool
	s       string // string contents, the number's literal text, or a plain-integer array's text (PlainInts)
	items   []Value
	members []Member
}

// Kind reports the value's JSON type.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is JSON null.
func (v Value) IsNull() bool { return v.kind == Null }

// Exists reports whether v holds a value (false for a missing key).
func (v Value) Exists() bool { return v.kind != Invalid }

// Get returns the value of key in an object. Duplicate keys: the last wins,
// as in JavaScript's JSON.parse.
func (v Value) Get(key string) (Value, bool) {
	if v.kind != Object {
		return Value{}, false
	}
	for i := len(v.members) - 1; i >= 0; i-- {
		if v.members[i].Key == key {
			return v.members[i].Value, true
		}
	}
	return Value{}, false
}

// Field is Get without the flag: a missing key gives the Invalid value.
func (v Value) Field(key string) Value {
	f, _ := v.Get(key)
	return f
}

// Members returns an object's members in document order (nil otherwise).
func (v Value) Members() []Member {
	if v.kind != Object {
		return nil
	}
	return v.members
}

// Items returns an array's elements (nil otherwise). An array of plain
// integers is kept as its text (PlainInts), and its elements are made on
// each call: read a list of IDs through PlainInts.
func (v Value) Items() []Value {
	if v.kind != Array {
		return nil
	}
	if v.s == "" {
		return v.items
	}
	items := make([]Value, 0, v.Len())
	for rest, more := v.s, true; more; {
		var item string
		item, rest, more = strings.Cut(rest, ",")
		items = append(items, Value{kind: Number, s: item})
	}
	return items
}

// PlainInts returns an array written as plain integers only (digits: no
// sign, fraction, exponent, or white space after the first), as a portal
// writes a list of IDs, as the text of its items: "1652,1653". It reports
// false for any other value, the empty array included.
func (v Value) PlainInts() (string, bool) {
	if v.kind != Array || v.s == "" {
		return "", false
	}
	return v.s, true
}

// Len is the number of elements or members, or 0.
func (v Value) Len() int {
	switch v.kind {
	case Array:
		if v.s == "" {
			return len(v.items)
		}
		return strings.Count(v.s, ",") + 1
	case Object:
		return len(v.members)
	}
	return 0
}

// Str returns a string's contents.
func (v Value) Str() (string, bool) {
	if v.kind != String {
		return "", false
	}
	return v.s, true
}

// Bool returns a boolean's value.
func (v Value) Bool() (bool, bool) {
	if v.kind != Bool {
		return false, false
	}
	return v.b, true
}

// Literal returns a number's text as written in the document.
func (v Value) Literal() (string, bool) {
	if v.kind != Number {
		return "", false
	}
	return v.s, true
}

// Int returns an integral number that fits in int64. 12.0 and 1e3 are
// integral; 1.5 is not.
func (v Value) Int() (int64, bool) {
	if v.kind != Number {
		return 0, false
	}
	if n, ok := ascii.ParseInt(v.s); ok {
		return n, true
	}
	neg, digits, exp, ok := v.Decimal()
	if !ok || exp < 0 || len(digits)+exp > 19 {
		return 0, false
	}
	var n uint64 // 19 digits fit
	for i := range len(digits) + exp {
		n *= 10
		if i < len(digits) {
			n += uint64(digits[i] - '0')
		}
	}
	if n > 1<<62 {
		return 0, false
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

// Decimal returns a number exactly: ±digits × 10^exp, digits without
// leading or trailing zeros ("" for zero). Int and the b24 client read
// numbers through it, so the wasm carries no float parser.
func (v Value) Decimal() (neg bool, digits string, exp int, ok bool) {
	if v.kind != Number {
		return false, "", 0, false
	}
	s := v.s // valid: the parser or IntValue wrote it
	if neg = s != "" && s[0] == '-'; neg {
		s = s[1:]
	}
	end := len(s)
	for i := range len(s) {
		if s[i] == 'e' || s[i] == 'E' {
			end = i
			e, sign := 0, 1
			for _, c := range s[i+1:] {
				switch {
				case c == '-':
					sign = -1
				case c >= '0' && c <= '9' && e < 1e8: // beyond: a zero or an overflow either way
					e = e*10 + int(c-'0')
				}
			}
			exp = sign * e
			break
		}
	}
	whole, frac := s[:end], ""
	for i := range end {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:end]
			break
		}
	}
	digits, exp = whole+frac, exp-len(frac)
	for digits != "" && digits[0] == '0' {
		digits = digits[1:]
	}
	for digits != "" && digits[len(digits)-1] == '0' {
		digits, exp = digits[:len(digits)-1], exp+1
	}
	if digits == "" {
		exp = 0
	}
	return neg, digits, exp, true
}

// IntOrString accepts an integer written as a number or as a decimal string
// ("42"), as PHP back ends often send IDs.
func (v Value) IntOrString() (int64, bool) {
	if s, ok := v.Str(); ok {
		return ascii.ParseInt(s)
	}
	return v.Int()
}

// Constructors, for the documents the frame sends (Encode); any other
// value comes from Parse.

// StringValue returns a JSON string.
func StringValue(s string) Value { return Value{kind: String, s: s} }

// IntValue returns a JSON number.
func IntValue(n int64) Value { return Value{kind: Number, s: strconv.FormatInt(n, 10)} }

// ObjectValue returns a JSON object with the members in the order given.
func ObjectValue(members ...Member) Value { return Value{kind: Object, members: members} }
