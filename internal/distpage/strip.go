package distpage

import (
	"bytes"
	"slices"
)

// The inlined scripts and stylesheet go into every open of the zip's page:
// their comments, written for a reader of widget/, are dropped, and so is
// the blank space between tokens (a run of it becomes one space, or one line
// break where it held one, so JavaScript's automatic semicolons fall where
// they fell). The strippers read only what they can read for certain and
// give up on anything else (a "/" they cannot tell a division from a regular
// expression by, a line break inside a string, an unclosed comment): the
// file then goes in as it is. A licence comment stays: one starting "/*!" or
// "//!" or naming @license or @preserve, and a file's leading comments when
// they name a copyright or licence (wasm_exec.js's).

// gap is the blank space (and dropped comments) since the last token.
type gap int

const (
	noGap gap = iota
	spaceGap
	lineGap
)

// writer collects the stripped output.
type writer struct {
	out     []byte
	gap     gap
	lead    [][]byte // comments before the first token
	keepLed bool     // one of them is a licence: they stay
}

func (w *writer) blank(g gap) { w.gap = max(w.gap, g) }

// token writes t after the pending blank space.
func (w *writer) token(t []byte) {
	if w.out == nil {
		w.out = []byte{}
		if w.keepLed {
			w.out = append(bytes.Join(w.lead, []byte("\n")), '\n')
		}
		w.gap = noGap
	}
	switch w.gap {
	case spaceGap:
		w.out = append(w.out, ' ')
	case lineGap:
		w.out = append(w.out, '\n')
	}
	w.gap = noGap
	w.out = append(w.out, t...)
}

// comment drops c (a whole comment, its delimiters included) or keeps it
// when it is a licence. multiline says whether it holds a line break.
func (w *writer) comment(c []byte, multiline bool) {
	lower := bytes.ToLower(c)
	marked := bytes.HasPrefix(c, []byte("/*!")) || bytes.HasPrefix(c, []byte("//!")) ||
		bytes.Contains(c, []byte("@license")) || bytes.Contains(c, []byte("@preserve"))
	if w.out == nil {
		w.lead = append(w.lead, c)
		w.keepLed = w.keepLed || marked || bytes.Contains(lower, []byte("copyright")) || bytes.Contains(lower, []byte("licen"))
		return
	}
	if marked {
		w.token(c)
		return
	}
	if multiline {
		w.blank(lineGap)
	} else {
		w.blank(spaceGap)
	}
}

// result is the stripped text; a file of comments only keeps them when
// they are a licence.
func (w *writer) result() []byte {
	if w.out == nil {
		if w.keepLed {
			return bytes.Join(w.lead, []byte("\n"))
		}
		return []byte{}
	}
	return w.out
}

// isLine reports a JavaScript line terminator's first byte (U+2028 and
// U+2029 are refused before scanning).
func isLine(c byte) bool { return c == '\n' || c == '\r' }

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' }

func isWord(c byte) bool {
	return c == '_' || c == '$' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// What the last JavaScript token was, to tell a "/" that starts a regular
// expression from one that divides.
type tokKind int

const (
	tokNone   tokKind = iota
	tokWord           // a name, keyword or number
	tokPunct          // an operator or bracket
	tokString         // a string or template's end
	tokRegexp         // a regular expression
)

// After these keywords an expression starts: a "/" opens a regular
// expression. After any other name or number it divides.
var beforeExpr = []string{"return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case", "do", "else"}

// Names that are keywords in some places and plain names in others: a "/"
// after one cannot be told.
var ambiguous = []string{"of", "yield", "await", "let", "async", "get", "set", "static"}

// A "(" right after these opens a statement's head: a "/" after its ")"
// starts the body, a regular expression.
var heads = []string{"if", "while", "for", "with"}

// head is what a "(" opens: a statement's head (after which a "/" starts a
// regular expression), an expression, or either.
type head uint8

const (
	headNo head = iota
	headYes
	headUnknown
)

// jsScanner strips one script.
type jsScanner struct {
	src []byte
	i   int
	w   writer

	last       tokKind
	lastWord   string
	lastPunct  byte
	punctTwice bool // the last two tokens are the same punctuator, adjacent: ++ or --
	afterDot   bool // the last word follows a ".": a property name
	closedHead head // what the last ")" closed; headNo after any other token
	parens     []head
	braces     []bool // true: a template's ${ }
}

// stripJS returns src without its comments and blank space cut as said
// above; ok is false when src holds something it cannot read for certain.
func stripJS(src []byte) (out []byte, ok bool) {
	// U+2028 and U+2029 end a line comment; "<!--", and "-->" at a line's
	// start, are one (Annex B); a hashbang is a comment too.
	if bytes.Contains(src, []byte("\u2028")) || bytes.Contains(src, []byte("\u2029")) ||
		bytes.Contains(src, []byte("-->")) || bytes.Contains(src, []byte("<!--")) ||
		bytes.HasPrefix(src, []byte("#!")) {
		return nil, false
	}
	s := &jsScanner{src: src}
	if !s.run() || len(s.parens) > 0 || len(s.braces) > 0 {
		return nil, false
	}
	return s.w.result(), true
}

func (s *jsScanner) peek(n int) byte {
	if s.i+n < len(s.src) {
		return s.src[s.i+n]
	}
	return 0
}

func (s *jsScanner) run() bool {
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case isBlank(c):
			s.w.blank(spaceGap)
			s.i++
		case isLine(c):
			s.w.blank(lineGap)
			s.i++
		case c >= 0x80:
			// Outside strings and comments: a name's letter or a blank
			// this scanner does not know (U+00A0, U+FEFF).
			return false
		case c == '/' && s.peek(1) == '/':
			end := s.i
			for end < len(s.src) && !isLine(s.src[end]) {
				end++
			}
			s.w.comment(s.src[s.i:end], false)
			s.i = end
		case c == '/' && s.peek(1) == '*':
			n := bytes.Index(s.src[s.i+2:], []byte("*/"))
			if n < 0 {
				return false
			}
			end := s.i + 2 + n + 2
			c := s.src[s.i:end]
			s.w.comment(c, bytes.ContainsAny(c, "\n\r"))
			s.i = end
		case c == '/':
			re, known := s.regexpAllowed()
			if !known {
				return false
			}
			if re {
				if !s.regexp() {
					return false
				}
			} else {
				s.punct(c)
			}
		case c == '\'' || c == '"':
			if !s.str(c) {
				return false
			}
		case c == '`':
			if !s.template() {
				return false
			}
		case c == '{':
			s.braces = append(s.braces, false)
			s.punct(c)
		case c == '}':
			switch tmpl, ok := pop(&s.braces); {
			case !ok:
				return false
			case !tmpl:
				s.punct(c)
			case !s.template(): // the end of a template's ${ }: the template goes on
				return false
			}
		case c == '(':
			head := headNo
			if s.last == tokWord && !s.afterDot {
				switch {
				case slices.Contains(heads, s.lastWord):
					head = headYes
				case s.lastWord == "await": // for await (...) or await (x)
					head = headUnknown
				}
			}
			s.parens = append(s.parens, head)
			s.punct(c)
		case c == ')':
			head, ok := pop(&s.parens)
			if !ok {
				return false
			}
			s.punct(c)
			s.closedHead = head
		case isWord(c):
			end := s.i
			for end < len(s.src) && isWord(s.src[end]) {
				end++
			}
			s.afterDot = s.last == tokPunct && (s.lastPunct == '.' || s.lastPunct == '#')
			s.w.token(s.src[s.i:end])
			s.last, s.lastWord = tokWord, string(s.src[s.i:end])
			s.i = end
		case c < 0x20 || c == 0x7f || c == '\\':
			// A control character, or an escape in a name (\u0061).
			return false
		default:
			s.punct(c)
		}
	}
	return true
}

// pop takes a bracket's entry off its stack; ok is false for a bracket
// that closes none.
func pop[T any](stack *[]T) (top T, ok bool) {
	n := len(*stack)
	if n == 0 {
		return top, false
	}
	top = (*stack)[n-1]
	*stack = (*stack)[:n-1]
	return top, true
}

// punct writes one punctuator byte.
func (s *jsScanner) punct(c byte) {
	s.punctTwice = s.last == tokPunct && s.lastPunct == c && s.w.gap == noGap
	s.w.token(s.src[s.i : s.i+1])
	s.last, s.lastPunct, s.closedHead = tokPunct, c, headNo
	s.i++
}

// regexpAllowed says whether a "/" here starts a regular expression; known
// is false where it cannot tell.
func (s *jsScanner) regexpAllowed() (re, known bool) {
	switch s.last {
	case tokNone:
		return true, true
	case tokString, tokRegexp:
		return false, true
	case tokWord:
		if s.afterDot {
			return false, true
		}
		if slices.Contains(ambiguous, s.lastWord) {
			return false, false
		}
		return slices.Contains(beforeExpr, s.lastWord), true
	}
	switch s.lastPunct {
	case ')':
		return s.closedHead == headYes, s.closedHead != headUnknown
	case '.':
		// 1./2 divides; ... spreads what follows, a regular expression too.
		return false, false
	case ']':
		return false, true
	case '}':
		// The end of a block (an expression follows) or of an object
		// literal (a division follows).
		return false, false
	case '+', '-':
		if s.punctTwice {
			return false, false // ++ or --: a postfix or a prefix
		}
	}
	return true, true
}

// regexp copies a regular expression literal with its flags.
func (s *jsScanner) regexp() bool {
	start := s.i
	i, class := s.i+1, false
	for ; ; i++ {
		if i >= len(s.src) || isLine(s.src[i]) {
			return false
		}
		switch c := s.src[i]; {
		case c == '\\':
			i++
			if i >= len(s.src) || isLine(s.src[i]) {
				return false
			}
		case c == '[':
			class = true
		case c == ']':
			class = false
		case c == '/' && !class:
			i++
			for i < len(s.src) && isWord(s.src[i]) {
				i++
			}
			s.w.token(s.src[start:i])
			s.last, s.closedHead = tokRegexp, headNo
			s.i = i
			return true
		}
	}
}

// str copies a string literal quoted by q.
func (s *jsScanner) str(q byte) bool {
	start := s.i
	for i := s.i + 1; i < len(s.src); i++ {
		switch c := s.src[i]; {
		case c == '\\':
			i++
			if i < len(s.src) && s.src[i] == '\r' && i+1 < len(s.src) && s.src[i+1] == '\n' {
				i++ // a line continuation: \ CR LF
			}
		case isLine(c):
			return false
		case c == q:
			s.w.token(s.src[start : i+1])
			s.last, s.closedHead = tokString, headNo
			s.i = i + 1
			return true
		}
	}
	return false
}

// template copies a template literal's text from its "`", or the "}" that
// ends a substitution, to its end or its next "${", whose expression the
// scanner then reads as code.
func (s *jsScanner) template() bool {
	start := s.i
	for i := s.i + 1; i < len(s.src); i++ {
		switch s.src[i] {
		case '\\':
			i++
		case '`':
			s.w.token(s.src[start : i+1])
			s.last, s.closedHead = tokString, headNo
			s.i = i + 1
			return true
		case '$':
			if i+1 < len(s.src) && s.src[i+1] == '{' {
				s.w.token(s.src[start : i+2])
				s.braces = append(s.braces, true)
				s.last, s.lastPunct, s.closedHead = tokPunct, '{', headNo
				s.i = i + 2
				return true
			}
		}
	}
	return false
}

// stripCSS returns a stylesheet without its comments and blank space cut
// as said above; ok is false when it holds something it cannot read for
// certain.
func stripCSS(src []byte) (out []byte, ok bool) {
	var w writer
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case isSpace(c):
			if c == ' ' || c == '\t' {
				w.blank(spaceGap)
			} else {
				w.blank(lineGap)
			}
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			n := bytes.Index(src[i+2:], []byte("*/"))
			if n < 0 {
				return nil, false
			}
			end := i + 2 + n + 2
			// A comment between two tokens with no blank beside it
			// separates them: dropped, they would run together.
			if w.out != nil && w.gap == noGap && end < len(src) && !isSpace(src[end]) {
				return nil, false
			}
			w.comment(src[i:end], bytes.ContainsAny(src[i:end], "\n\r\f"))
			i = end
		case c == '"' || c == '\'':
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' {
					j++
				} else if isSpace(src[j]) && src[j] != ' ' && src[j] != '\t' {
					return nil, false // a line break ends a CSS string: a bad string
				}
			}
			if j >= len(src) {
				return nil, false
			}
			w.token(src[i : j+1])
			i = j + 1
		case c == '\\':
			// A hex escape (\31) ends at a blank of its own, which the
			// blank's squeezing would take for a separator.
			if i+1 >= len(src) || isSpace(src[i+1]) && src[i+1] != ' ' && src[i+1] != '\t' || isHex(src[i+1]) {
				return nil, false
			}
			w.token(src[i : i+2])
			i += 2
		default:
			j := i
			for j < len(src) {
				d := src[j]
				if isSpace(d) || d == '"' || d == '\'' || d == '\\' || d == '/' && j+1 < len(src) && src[j+1] == '*' {
					break
				}
				// An unquoted url( is one token up to its ")", a "/*"
				// in it included: copied as it is.
				if d == '(' && j-i >= 3 && bytes.EqualFold(src[j-3:j], []byte("url")) {
					k := j + 1
					for k < len(src) && isSpace(src[k]) {
						k++
					}
					if k < len(src) && src[k] != '"' && src[k] != '\'' {
						end := bytes.IndexByte(src[j:], ')')
						if end < 0 {
							return nil, false
						}
						j += end + 1
						continue
					}
				}
				j++
			}
			w.token(src[i:j])
			i = j
		}
	}
	return w.result(), true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
