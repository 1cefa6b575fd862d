package l10n

import (
	"strings"

	"github.com/pinall/pinall/internal/ascii"
)

// channel is a readable name for a family of open-line connectors.
type channel struct{ en, ru string }

var (
	chLiveChat = channel{"Live chat", "Онлайн-чат"}
	chTelegram = channel{"Telegram", "Telegram"}
	chWhatsApp = channel{"WhatsApp", "WhatsApp"}
	chVK       = channel{"VK", "ВКонтакте"}
	chApple    = channel{"Apple Messages", "Apple Messages"}
	chFacebook = channel{"Facebook", "Facebook"}
	chInstagr  = channel{"Instagram", "Instagram"}
	chViber    = channel{"Viber", "Viber"}
	chAvito    = channel{"Avito", "Авито"}
	chEmail    = channel{"Email", "Эл. почта"}
	chOK       = channel{"Odnoklassniki", "Одноклассники"}
	chOLX      = channel{"OLX", "OLX"}
	chNetwork  = channel{"Bitrix24.Network", "Битрикс24.Network"}
	chNotify   = channel{"SMS and WhatsApp (Bitrix24)", "СМС и WhatsApp (Битрикс24)"}
	chWeChat   = channel{"WeChat", "WeChat"}
	chYandex   = channel{"Yandex Chats", "Яндекс Чаты"}
)

// connectors maps Bitrix24 connector ids (the first field of a chat's
// entity_id) to their channel. Portals add connectors of their own (and
// marketplace apps add more): those are shown as they are. A table, not a
// map: a map literal is code run at start (~9 KB of wasm), a table is data.
var connectors = []struct {
	id string
	ch channel
}{
	{"livechat", chLiveChat},
	{"telegrambot", chTelegram},
	{"telegram", chTelegram},
	{"whatsappbytwilio", chWhatsApp},
	{"whatsappbyedna", chWhatsApp},
	{"whatsapp", chWhatsApp},
	{"vkgroup", chVK},
	{"imessage", chApple},
	{"imessagebotconnector", chApple},
	{"facebook", chFacebook},
	{"facebookcomments", chFacebook},
	{"fbinstagram", chInstagr},
	{"fbinstagramdirect", chInstagr},
	{"instagram", chInstagr},
	{"viber", chViber},
	{"avito", chAvito},
	{"email", chEmail},
	{"mail", chEmail},
	{"ok", chOK},
	{"olx", chOLX},
	{"network", chNetwork},
	{"notifications", chNotify},
	{"wechat", chWeChat},
	{"yandex", chYandex},
}

// prefixes catch the families whose ids carry a suffix of their own, such
// as the WhatsApp connectors of marketplace apps (wz_whatsapp_<hash>).
var prefixes = []struct {
	prefix string
	ch     channel
}{
	{"wz_whatsapp", chWhatsApp},
	{"whatsapp", chWhatsApp},
	{"wz_telegram", chTelegram},
	{"telegram", chTelegram},
	{"fbinstagram", chInstagr},
	{"olx", chOLX},
	{"avito", chAvito},
	{"viber", chViber},
	{"vkgroup", chVK},
	{"imessage", chApple},
}

// Channel is the readable name of an open line's connector, e.g.
// "livechat" -> "Live chat" (Онлайн-чат). An unknown connector is returned
// as is; an empty one gives "".
func (l Lang) Channel(connector string) string {
	c := ascii.Lower(strings.TrimSpace(connector))
	for _, k := range connectors {
		if k.id == c {
			return l.pick(k.ch.en, k.ch.ru)
		}
	}
	for _, p := range prefixes {
		if strings.HasPrefix(c, p.prefix) {
			return l.pick(p.ch.en, p.ch.ru)
		}
	}
	return strings.TrimSpace(connector)
}

// RowTexts are the words of an enriched row of the session list.
type RowTexts struct {
	Open     string // the button's visible text
	ShowMore string // the button that looks up the next page of names
}

// RowTextsFor returns the list's words in l.
func RowTextsFor(l Lang) RowTexts {
	if l == RU {
		return RowTexts{Open: "Открыть", ShowMore: "Показать имена следующих диалогов"}
	}
	return RowTexts{Open: "Open", ShowMore: "Show names of the next dialogs"}
}

// OpenLabel is the open button's accessible name: it says which dialog.
func (l Lang) OpenLabel(dialogName string) string {
	return TextsFor(l).OpenDialog + " " + dialogName
}
