package l10n

import (
	"github.com/pinall/pinall/internal/ascii"
)

// LangParam is the app URL's query parameter that carries the portal's
// LANG.
const LangParam = "LANG"

// Portal is what a portal's LANG means for the app.
type Portal struct {
	Lang    string // the portal's LANG, e.g. "de"
	Catalog string // the catalogue whose words it gets: internal/l10n/catalog/<Catalog>.json
	Locale  string // the locale its numbers follow (BCP 47, the SDK's)
}

// portals are the interface languages of Bitrix24 Cloud, as the official JS
// SDK lists them (B24LangList and B24LocaleMap, @bitrix24/b24jssdk 2.2.0).
// The India portal speaks English with Indian grouping; Belarus is not in
// the SDK's list and gets Russian. A list, not a map: static data, where a
// map literal is code run at start-up.
var portals = []Portal{
	{"en", "en", "en"},
	{"ru", "ru", "ru-RU"},
	{"de", "de", "de-DE"},
	{"la", "la", "es-ES"},
	{"fr", "fr", "fr-FR"},
	{"it", "it", "it-IT"},
	{"pl", "pl", "pl-PL"},
	{"id", "id", "id-ID"},
	{"ms", "ms", "ms-MY"},
	{"ja", "ja", "ja-JP"},
	{"br", "br", "pt-BR"},
	{"vn", "vn", "vi-VN"},
	{"tr", "tr", "tr-TR"},
	{"kz", "kz", "kk"},
	{"ua", "ua", "uk-UA"},
	{"ar", "ar", "ar-SA"},
	{"th", "th", "th-TH"},
	{"sc", "sc", "zh-CN"},
	{"tc", "tc", "zh-TW"},
	{"in", "en", "hi-IN"},
	{"by", "ru", "ru-RU"},
}

// english is what an unknown LANG, or one whose catalogue is not written
// yet, gets.
var english = Portal{"en", "en", "en"}

// Portals are the LANGs the app knows.
func Portals() []Portal { return portals }

// PortalOf maps a portal's LANG (trimmed, ASCII lower case) to its words and
// locale. have says which catalogues exist: a LANG whose catalogue does not
// gets English, numbers included. widget/build.js applies the same rule
// before the wasm runs (internal/buildjs).
func PortalOf(lang string, have func(catalog string) bool) Portal {
	lang = ascii.Lower(ascii.TrimSpace(lang))
	for _, p := range portals {
		if p.Lang == lang && have(p.Catalog) {
			return p
		}
	}
	return english
}
