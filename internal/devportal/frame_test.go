package devportal

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// postFrame posts a report without the test helpers' require (for goroutines).
func postFrame(p *Portal, fr frameRequest) error {
	fr.Origin, fr.AppSID = p.AppURL(), fr.SID
	b, _ := json.Marshal(fr)
	res, err := client(p).Post(p.PortalURL()+"/devportal/api/frame", "application/json", strings.NewReader(string(b)))
	if err == nil {
		res.Body.Close()
	}
	return err
}

// The frame log keeps the order the page received the messages in, though
// the page reports getInitData after replying and a later report can
// overtake it; a report that never comes holds the rest up only briefly.
func TestFrameLogKeepsThePageOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := inBubble(t, Config{})
		sid, _ := openPage(t, p, "")
		done := make(chan error, 1)
		go func() {
			done <- postFrame(p, frameRequest{SID: sid, Seq: 2, Command: "resizeWindow", Params: `{"width":"100%","height":300}`, Callback: "c2", Accepted: true})
		}()
		synctest.Wait() // the overtaking report is at the server
		select {
		case err := <-done:
			t.Fatalf("resizeWindow was logged without waiting for getInitData (%v)", err)
		default:
		}
		assert.Empty(t, p.FrameEvents(), "resizeWindow waits for getInitData")
		frame(t, p, frameRequest{SID: sid, Seq: 1, Command: "getInitData", Callback: "c1", Accepted: true, Answered: true})
		require.NoError(t, <-done)
		ev := p.FrameEvents()
		require.Len(t, ev, 2)
		assert.Equal(t, "getInitData", ev[0].Command)
		assert.Equal(t, "resizeWindow", ev[1].Command)

		// Seq 3 is lost: seq 4 waits frameOrderWait, then goes on.
		start := time.Now()
		frame(t, p, frameRequest{SID: sid, Seq: 4, Command: "getInterface", Callback: "c4", Accepted: true})
		assert.Equal(t, frameOrderWait, time.Since(start))
		require.Len(t, p.FrameEvents(), 3)
		frame(t, p, frameRequest{SID: sid, Seq: 3, Command: "setScroll", Accepted: true}) // late: logged at once
		require.Len(t, p.FrameEvents(), 4)
	})
}
