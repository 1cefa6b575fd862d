//go:build !js

package l10n

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pinall/pinall/internal/b24"
)

func TestChannel(t *testing.T) {
	for connector, want := range map[string][2]string{
		"livechat":                   {"Live chat", "Онлайн-чат"},
		"LiveChat":                   {"Live chat", "Онлайн-чат"},
		"telegrambot":                {"Telegram", "Telegram"},
		"whatsappbytwilio":           {"WhatsApp", "WhatsApp"},
		"whatsappbyedna":             {"WhatsApp", "WhatsApp"},
		"wz_whatsapp_0c1d2e3f4a5b6c": {"WhatsApp", "WhatsApp"},
		"vkgroup":                    {"VK", "ВКонтакте"},
		"imessage":                   {"Apple Messages", "Apple Messages"},
		"imessagebotconnector":       {"Apple Messages", "Apple Messages"},
		"facebook":                   {"Facebook", "Facebook"},
		"facebookcomments":           {"Facebook", "Facebook"},
		"fbinstagramdirect":          {"Instagram", "Instagram"},
		"fbinstagram":                {"Instagram", "Instagram"},
		"viber":                      {"Viber", "Viber"},
		"avito":                      {"Avito", "Авито"},
		"olx":                        {"OLX", "OLX"},
		"email":                      {"Email", "Эл. почта"},
		"mail":                       {"Email", "Эл. почта"},
		"ok":                         {"Odnoklassniki", "Одноклассники"},
		"network":                    {"Bitrix24.Network", "Битрикс24.Network"},
		"notifications":              {"SMS and WhatsApp (Bitrix24)", "СМС и WhatsApp (Битрикс24)"},
		"my_own_connector":           {"my_own_connector", "my_own_connector"},
		" odd ":                      {"odd", "odd"},
		"":                           {"", ""},
	} {
		assert.Equal(t, want[0], EN.Channel(connector), "en %q", connector)
		assert.Equal(t, want[1], RU.Channel(connector), "ru %q", connector)
	}
}

func TestEveryConnectorHasAChannel(t *testing.T) {
	for _, k := range connectors {
		assert.Contains(t, channels, k.ch, k.id)
	}
	for _, p := range prefixes {
		assert.Contains(t, channels, p.ch, p.prefix)
	}
}

func TestRowTexts(t *testing.T) {
	for _, l := range []Lang{EN, RU} {
		r := RowTextsFor(l)
		assert.NotEmpty(t, r.Open)
		assert.NotEmpty(t, r.ShowMore)
	}
	assert.Equal(t, "Open conversation Eugene P. - Priority Support", EN.OpenLabel("Eugene P. - Priority Support"))
	assert.Equal(t, "Открыть диалог Мария Иванова - Отдел продаж", RU.OpenLabel("Мария Иванова - Отдел продаж"))
	// The visible text is part of the accessible name (WCAG 2.5.3, label in name).
	assert.Contains(t, EN.OpenLabel("x"), RowTextsFor(EN).Open)
	assert.Contains(t, RU.OpenLabel("x"), RowTextsFor(RU).Open)
}

func TestLookupNote(t *testing.T) {
	assert.Equal(t, "no access to this conversation", LookupNote(EN, errAccess))
	assert.Equal(t, "нет доступа к этому диалогу", LookupNote(RU, errAccess))
	assert.Equal(t, "name not loaded", LookupNote(EN, errOther))
	assert.Equal(t, "имя не загрузилось", LookupNote(RU, errOther))
}

var (
	errAccess = &b24.APIError{Method: b24.MethodDialogGet, Code: "ACCESS_ERROR"}
	errOther  = &b24.APIError{Method: b24.MethodBatch, Code: "INTERNAL_SERVER_ERROR", Status: 500}
)
