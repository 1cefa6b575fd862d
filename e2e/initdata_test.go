//go:build !js

package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/devportal"
)

// The portal page answers getInitData from the init data it holds, as the
// real parent does, and reports the command afterwards: with the server
// sitting on that report the widget still gets ready, and the report
// reaches the frame log only once let through. A page that asked its server
// first would leave the widget unanswered (the "not in Bitrix24" error after
// 5 s), whatever the machine's speed.
func TestGetInitDataAnsweredByThePage(t *testing.T) {
	t.Parallel()
	p := startPortal(t, devportal.Config{})
	release := p.HoldFrameReports("getInitData")
	defer release()
	a := openPortalApp(t, newTab(t), p, "")
	require.Equal(t, stateReady, a.waitState(stateReady, stateError), "page: %+v", a.dom())
	assert.Empty(t, frameEvents(p, "getInitData"), "the reply came before the report was let through")

	release()
	eventually(t, waitTimeout, "the getInitData report", func() bool { return len(frameEvents(p, "getInitData")) > 0 })
	ev := frameEvents(p, "getInitData")
	require.Len(t, ev, 1)
	assert.True(t, ev[0].Accepted, "%+v", ev[0])
	assert.True(t, ev[0].Replied, "%+v", ev[0])
	assert.Equal(t, p.AppURL(), ev[0].Origin)
	assert.NotEmpty(t, ev[0].Callback)
}

// Init data changed after the page loaded reaches the app's next
// getInitData: the page's long poll brings it (the test waits for that, so
// the order is certain), and the reloaded app starts in the new placement,
// the chat sidebar's. (Its words stay the page's: the app URL's LANG.)
func TestInitDataChangeReachesTheReloadedApp(t *testing.T) {
	t.Parallel()
	p, tb, a := openReady(t, devportal.Config{}, "")
	require.True(t, a.dialogBlock().Hidden, "no sidebar block on the app's own page")
	heldGen := func() string {
		return portalEvalAs[string](a, `document.getElementById("app-frame").dataset.initGen || ""`)
	}
	before := heldGen()
	require.NotEmpty(t, before, "the page holds no init data")
	p.SetInitOverride(map[string]any{"PLACEMENT": "IM_SIDEBAR", "PLACEMENT_OPTIONS": map[string]any{"dialogId": "chat1364"}})
	eventually(t, waitTimeout, "the page to hold the new init data", func() bool { return heldGen() != before })
	reloadWatched(t, tb, a, cspWatch)
	assert.Equal(t, "chat1364", a.dialogBlock().DialogID, "the reloaded app got the new init data")
	eventually(t, waitTimeout, "both getInitData reports", func() bool { return len(frameEvents(p, "getInitData")) == 2 })
}
