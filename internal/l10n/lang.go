// Package l10n is the one place where the app's words are looked up and
// where errors become words. The words are data: one catalogue per portal
// language, internal/l10n/catalog/<LANG>.json (docs/translating.md); a Lang
// is one of them with the CLDR plural rule of its words' language and the
// number format of the portal's locale. The webhook CLI has English words
// of its own (cli.go, not in the wasm).
package l10n

import (
	"errors"
	"strconv"
	"strings"

	"github.com/pinall/pinall/internal/minijson"
)

// Lang is one portal language: the words of its catalogue, the plural rule
// of the words' locale and the number format of the portal's locale. The
// zero Lang has no words: every message is its key.
type Lang struct{ c *catalog }

type catalog struct {
	locale, dir string // the portal's locale (numbers), the words' direction
	msgs        map[string]message
	plural      *cldrLocale // the words' locale: which form a count takes
	numbers     *cldrLocale // the portal's locale: how a count is written
}

// message is a plain text, or the forms of a sentence with a count.
type message struct {
	text  string
	forms []form
}

type form struct {
	_ [0]func() // not comparable: no equality function in the wasm

	key  string // a CLDR category ("one") or an exact count ("=1")
	text string
}

// Parse reads a catalogue (a file of internal/l10n/catalog, or the page's
// compact copy of one: make build's widget/words-<LANG>.json) for a portal
// whose numbers follow locale ("": the words' own). It fails on what would
// leave the app without words: bad JSON, a locale CLDR data was not
// generated for, a message the app needs that is missing or has no "other"
// form.
func Parse(data []byte, locale string) (Lang, error) {
	doc, err := minijson.Parse(data)
	if err != nil {
		return Lang{}, errors.New("l10n: the words are not JSON: " + err.Error())
	}
	if doc.Kind() != minijson.Object {
		return Lang{}, errors.New("l10n: the words are not a JSON object")
	}
	about := doc.Field("_about")
	wordsLocale, _ := about.Field("locale").Str()
	dir, _ := about.Field("dir").Str()
	if dir != "ltr" && dir != "rtl" {
		return Lang{}, errors.New(`l10n: the words' _about.dir is neither "ltr" nor "rtl"`)
	}
	c := &catalog{dir: dir, msgs: make(map[string]message, doc.Len())}
	var ok bool
	if c.plural, ok = findLocale(wordsLocale); !ok {
		return Lang{}, errors.New("l10n: no CLDR data for the words' locale " + strconv.Quote(wordsLocale))
	}
	if locale == "" {
		locale = wordsLocale
	}
	c.locale = locale
	if c.numbers, ok = findLocale(locale); !ok {
		return Lang{}, errors.New("l10n: no CLDR data for the locale " + strconv.Quote(locale))
	}
	for _, m := range doc.Members() {
		if strings.HasPrefix(m.Key, "_") {
			continue
		}
		if s, ok := m.Value.Str(); ok {
			c.msgs[m.Key] = message{text: s}
			continue
		}
		if m.Value.Kind() != minijson.Object {
			return Lang{}, errors.New("l10n: " + m.Key + " is neither a text nor plural forms")
		}
		var msg message
		for _, f := range m.Value.Members() {
			s, ok := f.Value.Str()
			if !ok {
				return Lang{}, errors.New("l10n: " + m.Key + "[" + f.Key + "] is not a text")
			}
			msg.forms = append(msg.forms, form{key: f.Key, text: s})
		}
		if _, ok := msg.form("other"); !ok {
			return Lang{}, errors.New("l10n: " + m.Key + " has no \"other\" form")
		}
		c.msgs[m.Key] = msg
	}
	for _, k := range Keys() {
		msg, ok := c.msgs[k.Name]
		switch {
		case !ok:
			return Lang{}, errors.New("l10n: the words lack " + k.Name)
		case k.Count != (msg.forms != nil):
			return Lang{}, errors.New("l10n: " + k.Name + " has the wrong shape (a text, or forms for a count)")
		}
	}
	return Lang{c}, nil
}

func (m message) form(key string) (string, bool) {
	for _, f := range m.forms {
		if f.key == key {
			return f.text, true
		}
	}
	return "", false
}

// Locale is the portal's locale (BCP 47), for <html lang> and numbers.
func (l Lang) Locale() string {
	if l.c == nil {
		return ""
	}
	return l.c.locale
}

// Dir is the words' direction: "ltr" or "rtl".
func (l Lang) Dir() string {
	if l.c == nil {
		return "ltr"
	}
	return l.c.dir
}

// Text is the message key; a message the words lack is its key.
func (l Lang) Text(key string) string {
	if l.c == nil {
		return key
	}
	m, ok := l.c.msgs[key]
	if !ok {
		return key
	}
	if m.forms != nil {
		s, _ := m.form("other")
		return s
	}
	return m.text
}

// Count is the sentence key for the count n: the form for exactly n ("=1")
// if the words have one, else the form of n's plural category, else
// "other"; {n} is n written as the portal's locale writes numbers.
func (l Lang) Count(key string, n int) string {
	if l.c == nil {
		return key
	}
	m, ok := l.c.msgs[key]
	if !ok {
		return key
	}
	if m.forms == nil {
		return strings.ReplaceAll(m.text, "{n}", l.Number(n))
	}
	s, ok := m.form("=" + strconv.Itoa(n))
	if !ok {
		if s, ok = m.form(l.Plural(n).String()); !ok {
			s, _ = m.form("other")
		}
	}
	return strings.ReplaceAll(s, "{n}", l.Number(n))
}

// Fill replaces each {name} in s with its value: pairs of name, value.
func Fill(s string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}

// Plural is n's CLDR category in the words' language.
func (l Lang) Plural(n int) Plural {
	if l.c == nil {
		return Other
	}
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	return l.c.plural.plural(u)
}

// Number writes n as the portal's locale does (grouping, digits). Every
// count the app shows goes through it.
func (l Lang) Number(n int) string {
	if l.c == nil {
		return strconv.Itoa(n)
	}
	return l.c.numbers.number(n)
}
