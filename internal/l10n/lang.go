// Package l10n holds every word the widget shows, in English and Russian,
// and is the one place that turns errors into words: the widget's
// (errors.go) and the webhook CLI's (cli.go, English, not in the wasm).
package l10n

import (
	"strings"

	"github.com/pinall/pinall/internal/ascii"
)

// Lang is a language the widget speaks.
type Lang string

// The languages with a full catalogue. Anything else falls back to English.
const (
	EN Lang = "en"
	RU Lang = "ru"
)

// LangParam is the app URL's query parameter that carries the portal's
// LANG (init data carries it too, later).
const LangParam = "LANG"

// portalLangs maps a portal's LANG, lower case, to a catalogue other than
// English. Portals in Belarus and Kazakhstan use Russian as their Bitrix24
// interface language. A list, not a map: static data, where a map literal is
// code run at start-up.
var portalLangs = []struct {
	lang string
	l    Lang
}{{"ru", RU}, {"by", RU}, {"kz", RU}}

// Pick maps a portal's LANG to a catalogue: trimmed, ASCII lower case, looked
// up in portalLangs, English otherwise. widget/build.js applies the same rule
// before the wasm runs (PortalLangs).
func Pick(portalLang string) Lang {
	lang := ascii.Lower(strings.TrimSpace(portalLang))
	for _, p := range portalLangs {
		if p.lang == lang {
			return p.l
		}
	}
	return EN
}

// PortalLangs returns Pick's table, for the build's generator: every LANG
// that is not English, with its catalogue.
func PortalLangs() map[string]Lang {
	m := make(map[string]Lang, len(portalLangs))
	for _, p := range portalLangs {
		m[p.lang] = p.l
	}
	return m
}

// pick returns the text for l.
func (l Lang) pick(en, ru string) string {
	if l == RU {
		return ru
	}
	return en
}

// PluralForm is a CLDR plural category.
type PluralForm int

// The categories English and Russian need for integers.
const (
	One PluralForm = iota
	Few
	Many
)

// Plural returns n's category: Russian has one (1, 21, 101), few (2-4,
// 22-24) and many (0, 5-20, 11-14, 25...); English one (1) and many.
func (l Lang) Plural(n int) PluralForm {
	if n < 0 {
		n = -n
	}
	if l != RU {
		if n == 1 {
			return One
		}
		return Many
	}
	switch mod10, mod100 := n%10, n%100; {
	case mod10 == 1 && mod100 != 11:
		return One
	case mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14):
		return Few
	}
	return Many
}
