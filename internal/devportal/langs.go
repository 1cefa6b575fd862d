package devportal

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// PortalLang is one of the interface languages a Bitrix24 Cloud portal runs
// in: its LANG code and the name its own speakers call it by (for the portal
// page's switch).
type PortalLang struct {
	Code string
	Name string
}

// PortalLangs are the twenty LANG codes of Bitrix24 Cloud, in the order of
// the official JS SDK's list (B24LangList, @bitrix24/b24jssdk 2.2.0).
var PortalLangs = []PortalLang{
	{"en", "English"}, {"ru", "Русский"}, {"de", "Deutsch"}, {"la", "Español"},
	{"fr", "Français"}, {"it", "Italiano"}, {"pl", "Polski"}, {"id", "Bahasa Indonesia"},
	{"ms", "Bahasa Melayu"}, {"ja", "日本語"}, {"br", "Português (Brasil)"}, {"vn", "Tiếng Việt"},
	{"tr", "Türkçe"}, {"kz", "Қазақша"}, {"ua", "Українська"}, {"ar", "العربية"},
	{"th", "ไทย"}, {"sc", "中文（简体）"}, {"tc", "中文（繁體）"}, {"in", "English (India)"},
}

// isPortalLang reports whether code is one of PortalLangs.
func isPortalLang(code string) bool {
	for _, l := range PortalLangs {
		if l.Code == code {
			return true
		}
	}
	return false
}

// demoLangsJSON holds, per LANG, the demo's names as a portal of that
// country would have them: its operators, its open lines, its customers, and
// the messenger a customer there writes from in place of VK. en and ru (and
// by) keep demo.json's own mix of names.
//
//go:embed demo_langs.json
var demoLangsJSON []byte

// demoNames is one language's entry of demo_langs.json. Each list follows
// demo.json's order: users, lines, and the open-line chats.
type demoNames struct {
	Users     []string `json:"users"`
	Lines     []string `json:"lines"`
	TeamChat  string   `json:"team_chat"` // the ordinary (not open-line) chat
	VKGroup   string   `json:"vkgroup"`   // connector replacing vkgroup in entity_id
	Customers []string `json:"customers"`
}

func parseDemoLangs() (map[string]demoNames, error) {
	var m map[string]demoNames
	if err := json.Unmarshal(demoLangsJSON, &m); err != nil {
		return nil, fmt.Errorf("devportal: demo_langs.json: %w", err)
	}
	return m, nil
}

// DemoDataFor returns the demo data as a portal in LANG lang has it: the same
// users, lines, chats and sessions (same IDs and states) under names that
// suit the language. A code without names of its own gets DemoData.
func DemoDataFor(lang string) Data {
	d := DemoData()
	m, err := parseDemoLangs()
	if err != nil {
		panic(err.Error())
	}
	n, ok := m[strings.ToLower(lang)]
	if !ok {
		return d
	}
	d, err = n.apply(d)
	if err != nil {
		panic("devportal: demo_langs.json: " + lang + ": " + err.Error())
	}
	return d
}

// apply renames d's users, lines and chats. A chat is named as Bitrix24
// names an open-line dialog: "customer - line".
func (n demoNames) apply(d Data) (Data, error) {
	if len(n.Users) != len(d.Users) || len(n.Lines) != len(d.Lines) {
		return d, fmt.Errorf("%d users and %d lines for demo.json's %d and %d", len(n.Users), len(n.Lines), len(d.Users), len(d.Lines))
	}
	lineName := map[int]string{}
	for i := range d.Users {
		d.Users[i].Name = n.Users[i]
	}
	for i := range d.Lines {
		d.Lines[i].Name = n.Lines[i]
		lineName[d.Lines[i].ID] = n.Lines[i]
	}
	c := 0
	for i := range d.Chats {
		ch := &d.Chats[i]
		if ch.LineID == 0 {
			ch.Name = n.TeamChat
			continue
		}
		if c == len(n.Customers) {
			return d, fmt.Errorf("%d customers for more open-line chats", len(n.Customers))
		}
		ch.Name = n.Customers[c] + " - " + lineName[ch.LineID]
		c++
		if conn, rest, ok := strings.Cut(ch.EntityID, "|"); ok && conn == "vkgroup" && n.VKGroup != "" {
			ch.EntityID = n.VKGroup + "|" + rest
		}
	}
	if c != len(n.Customers) {
		return d, fmt.Errorf("%d customers for %d open-line chats", len(n.Customers), c)
	}
	return d, nil
}
