package l10n

// portals are the interface languages of Bitrix24 Cloud, as the official JS
// SDK lists them (B24LangList and B24LocaleMap, @bitrix24/b24jssdk 2.2.0):
// the portal's LANG, the catalogue whose words it gets
// (internal/l10n/catalog/<catalog>.json) and the locale its numbers and
// plurals follow. The India portal speaks English with Indian grouping;
// Belarus is not in the SDK's list and gets Russian. A list, not a map:
// static data, where a map literal is code run at start-up.
var portals = []struct {
	lang, catalog, locale string
}{
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
