package minijson

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting so a hostile document cannot exhaust the stack.
const maxDepth = 64

// SyntaxError says where a document stopped being JSON.
type SyntaxError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Offset int    // byte offset of the problem
	Msg    string // what was wrong
}

func (e *SyntaxError) Error() string {
	return "json: " + e.Msg + " at offset " + strconv.Itoa(e.Offset)
}

// Parse reads exactly one JSON value (surrounding white space allowed).
//
// The document is copied into one string up front: numbers, keys and
// strings without escapes are then slices of it, not an allocation each (a
// 10,000-ID reply made 10,000 allocations, and the GC runs they caused).
// A value keeps the whole copy alive; the widget's documents are small and
// short-lived.
func Parse(data []byte) (Value, error) {
	p := parser{data: string(data)}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return Value{}, p.fail("unexpected data after the value")
	}
	return v, nil
}

type parser struct {
	data string
	pos  int
}

func (p *parser) fail(msg string) error {
	if p.pos >= len(p.data) {
		return &SyntaxError{Offset: len(p.data), Msg: "unexpected end of input"}
	}
	return &SyntaxError{Offset: p.pos, Msg: msg}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (Value, error) {
	if p.pos >= len(p.data) {
		return Value{}, p.fail("")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		return Value{kind: String, s: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.word("true", Value{kind: Bool, b: true})
	case c == 'f':
		return p.word("false", Value{kind: Bool})
	case c == 'n':
		return p.word("null", Value{kind: Null})
	}
	return Value{}, p.fail("invalid character " + strconv.QuoteRune(rune(p.data[p.pos])))
}

func (p *parser) word(w string, v Value) (Value, error) {
	if len(p.data)-p.pos < len(w) || p.data[p.pos:p.pos+len(w)] != w {
		return Value{}, p.fail("invalid literal")
	}
	p.pos += len(w)
	return v, nil
}

func (p *parser) object(depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, p.fail("nesting too deep")
	}
	p.pos++ // {
	v := Value{kind: Object}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return Value{}, p.fail("expected a string key")
		}
		key, err := p.str()
		if err != nil {
			return Value{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return Value{}, p.fail("expected ':'")
		}
		p.pos++
		p.skipSpace()
		item, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		v.members = append(v.members, Member{Key: key, Value: item})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return Value{}, p.fail("")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return v, nil
		default:
			return Value{}, p.fail("expected ',' or '}'")
		}
	}
}

func (p *parser) array(depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, p.fail("nesting too deep")
	}
	p.pos++ // [
	v := Value{kind: Array}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	if end, ok := p.plainInts(); ok {
		v.s = p.data[p.pos:end]
		p.pos = end + 1
		return v, nil
	}
	if n := p.flatLen(); n > 0 {
		v.items = make([]Value, 0, n)
	}
	for {
		p.skipSpace()
		item, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		v.items = append(v.items, item)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return Value{}, p.fail("")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return v, nil
		default:
			return Value{}, p.fail("expected ',' or ']'")
		}
	}
}

// flatLen counts the elements of the array at p.pos when it is flat (no
// strings or nesting up to its ']'), so its items are allocated once:
// growing a 10,000-element array by appends copies it ~30 times. 0: not
// flat, or more commas than a valid array could hold (at most one element
// per two bytes); the array then grows as it is read.
func (p *parser) flatLen() int {
	n := 1
	for i := p.pos; i < len(p.data); i++ {
		switch p.data[i] {
		case ',':
			n++
		case ']':
			if 2*n > i-p.pos+2 {
				return 0
			}
			return n
		case '[', '{', '"':
			return 0
		}
	}
	return 0
}

// plainInts reports whether the array at p.pos (past its '[', not empty)
// holds only plain integers (digits only: no sign, fraction, exponent or
// white space), the shape of a list of IDs, and where its ']' is. Such an
// array is kept as its text: a 10,000-ID reply costs no item of its own
// until one is asked for (Items), and a reader of the whole list takes the
// text (PlainInts). One loop, no allocation: the wasm build has inlining
// off, so the general path pays calls per item and per digit.
func (p *parser) plainInts() (end int, ok bool) {
	data, i := p.data, p.pos
	for {
		start := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == start || i == len(data) || (data[start] == '0' && i-start > 1) {
			return 0, false
		}
		switch data[i] {
		case ',':
			i++
		case ']':
			return i, true
		default:
			return 0, false
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) digits() int {
	start := p.pos
	for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
		p.pos++
	}
	return p.pos - start
}

func (p *parser) number() (Value, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if p.digits() == 0 {
		return Value{}, p.fail("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			return Value{}, p.fail("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return Value{}, p.fail("invalid number")
		}
	}
	return Value{kind: Number, s: p.data[start:p.pos]}, nil
}

// str reads a string literal at p.pos (which holds the opening quote).
func (p *parser) str() (string, error) {
	p.pos++
	start := p.pos
	// Fast path: no escapes, valid ASCII or UTF-8.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			if !utf8.ValidString(s) {
				break
			}
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	p.pos = start
	var out []byte
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(out), nil
		case c < 0x20:
			return "", p.fail("control character in string")
		case c == '\\':
			p.pos++
			if p.pos >= len(p.data) {
				return "", p.fail("")
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					// A pair makes one rune; a lone half becomes U+FFFD, as in JS.
					save := p.pos
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						p.pos += 2
						if r2, ok := p.hex4(); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								out = utf8.AppendRune(out, dec)
								continue
							}
						}
					}
					p.pos = save
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
			default:
				p.pos--
				return "", p.fail("invalid escape")
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			p.pos++
		default:
			r, size := utf8.DecodeRuneInString(p.data[p.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", p.fail("invalid UTF-8 in string")
			}
			out = append(out, p.data[p.pos:p.pos+size]...)
			p.pos += size
		}
	}
	return "", p.fail("")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for i := p.pos; i < p.pos+4; i++ {
		c := p.data[i]
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}
