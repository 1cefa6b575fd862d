package l10n

import (
	"strings"

	"github.com/pinall/pinall/internal/ascii"
)

// channels are the families of open-line connectors with a name of their
// own: the catalogues' channel.<family> messages.
var channels = []string{
	"livechat", "telegram", "whatsapp", "vk", "imessage", "facebook", "instagram", "viber", "avito",
	"email", "ok", "olx", "network", "notifications", "wechat", "yandex",
}

// connectors maps Bitrix24 connector ids (the first field of a chat's
// entity_id) to their channel. Portals add connectors of their own (and
// marketplace apps add more): those are shown as they are. A list, not a
// map: it is static data, where a map literal is code run at start-up.
var connectors = []struct {
	id, ch string
}{
	{"livechat", "livechat"},
	{"telegrambot", "telegram"},
	{"telegram", "telegram"},
	{"whatsappbytwilio", "whatsapp"},
	{"whatsappbyedna", "whatsapp"},
	{"whatsapp", "whatsapp"},
	{"vkgroup", "vk"},
	{"imessage", "imessage"},
	{"imessagebotconnector", "imessage"},
	{"facebook", "facebook"},
	{"facebookcomments", "facebook"},
	{"fbinstagram", "instagram"},
	{"fbinstagramdirect", "instagram"},
	{"instagram", "instagram"},
	{"viber", "viber"},
	{"avito", "avito"},
	{"email", "email"},
	{"mail", "email"},
	{"ok", "ok"},
	{"olx", "olx"},
	{"network", "network"},
	{"notifications", "notifications"},
	{"wechat", "wechat"},
	{"yandex", "yandex"},
}

// prefixes catch the families whose ids carry a suffix of their own, such
// as the WhatsApp connectors of marketplace apps (wz_whatsapp_<hash>).
var prefixes = []struct {
	prefix, ch string
}{
	{"wz_whatsapp", "whatsapp"},
	{"whatsapp", "whatsapp"},
	{"wz_telegram", "telegram"},
	{"telegram", "telegram"},
	{"fbinstagram", "instagram"},
	{"olx", "olx"},
	{"avito", "avito"},
	{"viber", "viber"},
	{"vkgroup", "vk"},
	{"imessage", "imessage"},
}

// Channel is the readable name of an open line's connector, e.g.
// "livechat" -> "Live chat". An unknown connector is returned
// as is; an empty one gives "".
func (l Lang) Channel(connector string) string {
	c := ascii.Lower(ascii.TrimSpace(connector))
	for _, k := range connectors {
		if k.id == c {
			return l.Text("channel." + k.ch)
		}
	}
	for _, p := range prefixes {
		if strings.HasPrefix(c, p.prefix) {
			return l.Text("channel." + p.ch)
		}
	}
	return ascii.TrimSpace(connector)
}

// RowTexts are the words of an enriched row of the session list.
type RowTexts struct {
	Open     string // the button's visible text
	ShowMore string // the button that looks up the next page of names
}

// RowTextsFor returns the list's words in l.
func RowTextsFor(l Lang) RowTexts {
	return RowTexts{Open: l.Text("row.open"), ShowMore: l.Text("row.showMore")}
}

// OpenLabel is the open button's accessible name: it says which dialog.
func (l Lang) OpenLabel(dialogName string) string {
	return Fill(l.Text("row.openLabel"), "name", dialogName)
}
