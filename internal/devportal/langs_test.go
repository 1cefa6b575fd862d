package devportal

import (
	"html"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every language but en, ru and in names the whole demo in its own script:
// a German portal has German customers, an Arabic one Arabic names.
func TestDemoDataForEveryLanguage(t *testing.T) {
	base := DemoData()
	m, err := parseDemoLangs()
	require.NoError(t, err)
	script := map[string]*unicode.RangeTable{"ja": unicode.Han, "sc": unicode.Han, "tc": unicode.Han,
		"ar": unicode.Arabic, "th": unicode.Thai, "ua": unicode.Cyrillic, "kz": unicode.Cyrillic}
	for _, l := range PortalLangs {
		t.Run(l.Code, func(t *testing.T) {
			d := DemoDataFor(l.Code)
			require.NoError(t, d.validate())
			require.Len(t, d.Sessions, len(base.Sessions))
			assert.Equal(t, base.Sessions, d.Sessions, "the same sessions in the same states")
			if _, ok := m[l.Code]; !ok {
				assert.Contains(t, []string{"en", "ru"}, l.Code, "only en and ru keep demo.json's names")
				assert.Equal(t, base, d)
				return
			}
			seen := map[string]bool{}
			for i, c := range d.Chats {
				assert.Equal(t, base.Chats[i].ID, c.ID)
				assert.False(t, seen[c.Name], "chat name %q twice", c.Name)
				seen[c.Name] = true
				if c.LineID != 0 {
					assert.NotEqual(t, base.Chats[i].Name, c.Name, "chat %d keeps its demo.json name", c.ID)
					assert.True(t, strings.HasSuffix(c.Name, " - "+d.Lines[c.LineID-1].Name), "%q: customer - line", c.Name)
					if l.Code != "kz" { // VK is a messenger of Russian and Kazakh speakers
						assert.NotContains(t, c.EntityID, "vkgroup|")
					}
				}
			}
			if rt := script[l.Code]; rt != nil {
				for _, u := range d.Users {
					assert.True(t, strings.IndexFunc(u.Name, func(r rune) bool { return unicode.Is(rt, r) }) >= 0,
						"%s: user %q is not in the language's script", l.Code, u.Name)
				}
			}
		})
	}
	assert.Len(t, m, len(PortalLangs)-2, "names for every LANG but en and ru")
}

// The page's LANG switch: every one of the twenty is offered, the chosen one
// selected; opening the page in a LANG carries it into the app URL and the
// init data, as the real portal does, and the demo's names follow while
// every session keeps its state.
func TestLangSwitch(t *testing.T) {
	p := start(t, Config{})
	_, page := openPage(t, p, "")
	for _, l := range PortalLangs {
		assert.Contains(t, page, `<option value="`+l.Code+`"`, "the switch offers %s", l.Code)
	}
	assert.Contains(t, page, `<option value="en" selected>`)

	// Pin something in English first: the switch keeps it.
	sid, _ := openPage(t, p, "")
	tok := frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "c", Accepted: true}).Data.(map[string]any)["AUTH_ID"].(string)
	require.Equal(t, 200, call(t, p, "imopenlines.session.mode.pinAll", authed(tok)).Status)
	pinned := pinnedOf(p)

	sid, page = openPage(t, p, "lang=de&placement=IM_SIDEBAR&dialog=chat1364")
	assert.Contains(t, page, `<option value="de" selected>`)
	assert.Contains(t, html.UnescapeString(page), "&LANG=de&APP_SID="+sid, "the app URL's LANG")
	assert.Contains(t, page, "Anna Schmidt", "the operator's name in German")
	d := frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "c", Accepted: true}).Data.(map[string]any)
	assert.Equal(t, "de", d["LANG"], "the init data's LANG")
	a := call(t, p, "imopenlines.dialog.get", authed(d["AUTH_ID"].(string), "DIALOG_ID", "chat1364"))
	require.Equal(t, 200, a.Status)
	assert.Equal(t, "Jürgen Müller - Premium-Support", a.Body["result"].(map[string]any)["name"])
	assert.Equal(t, pinned, pinnedOf(p), "the switch keeps every session's state")
	assert.Equal(t, "de", p.Lang())

	// The portal stays in German for the next page without a LANG.
	sid, _ = openPage(t, p, "")
	d = frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "c", Accepted: true}).Data.(map[string]any)
	assert.Equal(t, "de", d["LANG"])

	// Reset restores the German demo, not the English one.
	p.Reset()
	assert.Equal(t, "Jürgen Müller - Premium-Support", p.Sessions()[0].ChatName)

	// An unknown or hostile LANG reaches the app as it is and changes nothing.
	sid, page = openPage(t, p, "lang="+url.QueryEscape(`x"><b>`))
	assert.NotContains(t, page, `"><b>`)
	assert.Equal(t, `x"><b>`, frame(t, p, frameRequest{SID: sid, Command: "getInitData", Callback: "c", Accepted: true}).Data.(map[string]any)["LANG"])
	assert.Equal(t, "de", p.Lang())
	require.Error(t, p.setLang("xx"))

	// Data of one's own keeps its names in every language.
	own := DemoData()
	own.Chats[0].Name = "Mine - Priority Support"
	q := start(t, Config{Data: &own})
	require.NoError(t, q.setLang("ja"))
	assert.Equal(t, "Mine - Priority Support", q.Sessions()[0].ChatName)
}

// Config.Lang starts the portal in that language, names included.
func TestConfigLangNamesTheDemo(t *testing.T) {
	p := start(t, Config{Lang: "ar"})
	assert.Equal(t, "ar", p.Lang())
	assert.Equal(t, "عبدالله الغامدي - الدعم ذو الأولوية", p.Sessions()[0].ChatName)
}
