package devportal

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBatch(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	body := `{"auth":"` + tok + `","halt":0,"cmd":{
		"s10":"imopenlines.dialog.get?SESSION_ID=1652",
		"s2":"imopenlines.session.mode.pin?CHAT_ID=$result[s10][id]",
		"bad":"imopenlines.dialog.get?CHAT_ID=99",
		"nest":"batch?cmd[x]=server.time"}}`
	req, _ := http.NewRequest("POST", p.PortalURL()+"/rest/batch", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	a := do(t, req)
	require.Equal(t, 200, a.Status, a.Raw)
	r := a.Body["result"].(map[string]any)
	res := r["result"].(map[string]any)
	assert.Equal(t, "Eugene P. - Priority Support", res["s10"].(map[string]any)["name"])
	assert.Equal(t, true, res["s2"], "$result[s10][id] was substituted")
	assert.True(t, pinnedOf(p)[1652])
	errs := r["result_error"].(map[string]any)
	assert.Equal(t, "ACCESS_ERROR", errs["bad"].(map[string]any)["error"])
	assert.Equal(t, "ERROR_BATCH_METHOD_NOT_ALLOWED", errs["nest"].(map[string]any)["error"])
	assert.Contains(t, r["result_time"], "s10")
	assert.Contains(t, a.Raw, `"result_total":[]`)
	assert.Less(t, strings.Index(a.Raw, `"s10"`), strings.Index(a.Raw, `"s2"`), "order kept")
	assert.Equal(t, []string{"imopenlines.dialog.get", "imopenlines.session.mode.pin", "imopenlines.dialog.get", "batch"}, p.Requests()[0].BatchCmds)
	assert.Equal(t, []string{"ACCESS_ERROR", "ERROR_BATCH_METHOD_NOT_ALLOWED"}, p.Requests()[0].BatchErrors)

	// No errors: result_error is [].
	a = call(t, p, "batch", authed(tok, "cmd[a]", "server.time"))
	assert.Contains(t, a.Raw, `"result_error":[]`)

	// halt=1 stops at the first error; form-encoded array cmd works.
	a = call(t, p, "batch", authed(tok, "halt", "1", "cmd[]", "imopenlines.dialog.get?CHAT_ID=99", "cmd[]", "server.time"))
	r = a.Body["result"].(map[string]any)
	assert.Contains(t, r["result_error"], "0")
	assert.Contains(t, a.Raw, `"result":{"result":[]`)
}

func TestBatchLimits(t *testing.T) {
	p := start(t, Config{RateLimit: RateLimit{PerSecond: 0.001, Burst: 10}})
	tok := p.IssueToken(1)
	form := authed(tok)
	for i := 0; i < 51; i++ {
		form.Add(fmt.Sprintf("cmd[c%02d]", i), "server.time")
	}
	a := call(t, p, "batch", form)
	assert.Equal(t, 400, a.Status)
	assert.Equal(t, "ERROR_BATCH_LENGTH_EXCEEDED", a.code())

	// Each inner command counts against the bucket.
	form = authed(tok)
	for i := 0; i < 12; i++ {
		form.Add(fmt.Sprintf("cmd[c%02d]", i), "server.time")
	}
	a = call(t, p, "batch", form)
	require.Equal(t, 200, a.Status)
	r := a.Body["result"].(map[string]any)
	assert.Len(t, r["result"], 10)
	assert.Equal(t, "QUERY_LIMIT_EXCEEDED", r["result_error"].(map[string]any)["c11"].(map[string]any)["error"])
	assert.Equal(t, 503, call(t, p, "server.time", authed(tok)).Status)
}

func TestPlacements(t *testing.T) {
	p := start(t, Config{})
	tok := p.IssueToken(1)
	bind := func(tok string) answer {
		return call(t, p, "placement.bind", url.Values{"auth": {tok}, "PLACEMENT": {"IM_SIDEBAR"}, "HANDLER": {p.AppURL() + "/index.html"},
			"TITLE": {"Pin All"}, "OPTIONS[context]": {"LINES"}, "OPTIONS[iconName]": {"fa-thumbtack"}, "LANG_ALL[ru][TITLE]": {"Закрепить всё"}})
	}
	a := bind(tok)
	require.Equal(t, 200, a.Status, a.Raw)
	assert.Equal(t, true, a.Body["result"])
	a = bind(tok)
	assert.Equal(t, 400, a.Status)
	assert.Equal(t, "ERROR_CORE", a.code())
	a = bind(p.IssueToken(2))
	assert.Equal(t, 403, a.Status, "admin only")

	a = call(t, p, "placement.get", authed(tok))
	list := a.Body["result"].([]any)
	require.Len(t, list, 1)
	got := list[0].(map[string]any)
	assert.Equal(t, "IM_SIDEBAR", got["placement"])
	assert.Equal(t, "LINES", got["options"].(map[string]any)["context"])
	assert.Equal(t, "Закрепить всё", got["langAll"].(map[string]any)["ru"].(map[string]any)["TITLE"])

	a = call(t, p, "placement.bind", authed(tok, "HANDLER", "x"))
	assert.Equal(t, "ERROR_ARGUMENT", a.code())
	assert.Equal(t, "PLACEMENT", a.Body["argument"])

	a = call(t, p, "placement.unbind", authed(tok, "PLACEMENT", "IM_SIDEBAR"))
	assert.Equal(t, float64(1), a.Body["result"].(map[string]any)["count"])
	assert.Empty(t, p.Placements())

	p.SetScopes("imopenlines")
	assert.Equal(t, "insufficient_scope", call(t, p, "placement.get", authed(tok)).code())
}
