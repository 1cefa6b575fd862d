//go:build !js

package l10n

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pinall/pinall/internal/b24"
)

func methodErr(method, code string) error {
	return &b24.APIError{Method: method, Status: 400, Code: code, Description: "desc of " + code}
}

// A code that means something else for one method gets that method's words;
// the same code from any other method keeps the general row.
func TestMethodRowsWinForTheirMethod(t *testing.T) {
	pin := Explain(EN, methodErr(b24.MethodPin, "ACCESS_DENIED"))
	assert.Equal(t, "ACCESS_DENIED", pin.Key)
	assert.Contains(t, pin.Message, "not the agent of this conversation")
	general := Explain(EN, methodErr(b24.MethodPinAll, "ACCESS_DENIED"))
	assert.Contains(t, general.Message, "REST may not be available")

	for code, want := range map[string]string{
		"CHAT_ID_EMPTY": "did not say which conversation",
		"CHAT_ID":       "not found",
		"CHAT_TYPE":     "not an Open Channel conversation",
		"USER_ID":       "which agent you are",
	} {
		for _, l := range []Lang{EN, RU} {
			p := Explain(l, methodErr(b24.MethodPin, code))
			assert.Equal(t, code, p.Key, code)
			assert.NotContains(t, p.Message, "desc of", code)
			if l == EN {
				assert.Contains(t, p.Message, want, code)
			} else {
				assert.Regexp(t, `[а-я]`, p.Message, code)
			}
		}
	}
}

func TestPlacementFamilyRows(t *testing.T) {
	for _, m := range []string{"placement.bind", "placement.get", "placement.unbind"} {
		scope := Explain(EN, methodErr(m, "insufficient_scope"))
		assert.Contains(t, scope.Message, `"placement"`, m)
		assert.NotContains(t, scope.Message, "imopenlines", m)
		ru := Explain(RU, methodErr(m, "insufficient_scope"))
		assert.Contains(t, ru.Message, "«placement»", m)
		denied := Explain(EN, methodErr(m, "ACCESS_DENIED"))
		assert.Contains(t, denied.Message, "only administrators", m)
	}
	// Not a prefix match by accident: placementX is another family.
	assert.Contains(t, Explain(EN, methodErr("placements.x", "insufficient_scope")).Message, "imopenlines")
	// The pin words never leak to another method.
	assert.Equal(t, "other", Explain(EN, methodErr(b24.MethodPinAll, "FOO")).Key)
}

func TestInstallTextsAreComplete(t *testing.T) {
	for _, l := range []Lang{EN, RU} {
		x := InstallTextsFor(l)
		for n, s := range map[string]string{"Title": x.Title, "Hint": x.Hint, "ListTitle": x.ListTitle,
			"Finish": x.Finish, "Busy": x.Busy, "AllDone": x.AllDone, "SomeFailed": x.SomeFailed,
			"Finishing": x.Finishing, "Bound": x.Bound, "Already": x.Already, "Rebound": x.Rebound,
			"Failed": x.Failed, "NotInstalling": x.NotInstalling} {
			assert.NotEmpty(t, s, "%s %s", name(l), n)
		}
		for _, p := range []string{"IM_NAVIGATION", "IM_SIDEBAR"} {
			assert.NotEmpty(t, x.PlacementName(p), p)
			assert.Equal(t, l.Text("install.placement."+p), x.PlacementName(p), p)
			assert.NotEqual(t, "install.placement."+p, x.PlacementName(p), p)
		}
		assert.Equal(t, "IM_TEXTAREA", x.PlacementName("IM_TEXTAREA"), "a placement without words shows its code")
		d := DialogTextsFor(l)
		for n, s := range map[string]string{"Title": d.Title, "Pin": d.Pin, "Unpin": d.Unpin,
			"PinBusy": d.PinBusy, "UnpinBusy": d.UnpinBusy, "Pinned": d.Pinned, "Unpinned": d.Unpinned} {
			assert.NotEmpty(t, s, "%s %s", name(l), n)
		}
	}
	assert.Equal(t, "This conversation: Eugene P. - Priority Support, Live chat", EN.ThisDialog("Eugene P. - Priority Support", "Live chat"))
	assert.Equal(t, "Этот диалог: Евгений П. - Поддержка, Онлайн-чат", RU.ThisDialog("Евгений П. - Поддержка", "Онлайн-чат"))
	assert.Equal(t, "This conversation: Eugene P.", EN.ThisDialog("Eugene P.", ""), "no channel, no comma")
	assert.Equal(t, "Pin All", WidgetTitle(EN))
	assert.NotEqual(t, WidgetTitle(EN), WidgetTitle(RU))
}
