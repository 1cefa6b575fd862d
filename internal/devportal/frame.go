package devportal

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// frameRequest is what portal.js posts for every message it receives from a
// frame. The page does the origin, source and APP_SID checks (Accepted false
// with a Reason when it dropped the message); the server decides the command,
// except getInitData, which the page answers itself from the init data it
// holds (Answered) and reports afterwards, as the real parent answers it
// without asking its server.
type frameRequest struct {
	SID      string `json:"sid"` // the page's own APP_SID
	Command  string `json:"command"`
	Params   string `json:"params"`
	Callback string `json:"callback"`
	AppSID   string `json:"app_sid"` // the APP_SID the message carried
	Origin   string `json:"origin"`
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason"`
	Answered bool   `json:"answered"` // the page already replied (getInitData only)
	Seq      uint64 `json:"seq"`      // the page's count of messages, from 1 (0: unordered)
}

// frameAnswer tells portal.js what to do.
type frameAnswer struct {
	Reply  bool           `json:"reply"`            // post "CALLBACK:" + JSON(data) back
	Data   any            `json:"data,omitempty"`   // the reply's result (none: "CALLBACK:")
	Resize map[string]any `json:"resize,omitempty"` // new iframe size
	Reload string         `json:"reload,omitempty"` // load this URL into the iframe
	Title  string         `json:"title,omitempty"`  // new page title
	Dialog string         `json:"dialog,omitempty"` // opened messenger dialog
	Init   *heldInit      `json:"init,omitempty"`   // init data for the page to hold for the next getInitData

	pageReplied bool // the page answered the command itself (the log says replied)
}

// frameCommands is what getInterface announces.
var frameCommands = []string{"getInitData", "refreshAuth", "resizeWindow", "setTitle", "getInterface",
	"setInstallFinish", "setInstall", "setAppOption", "setUserOption", "imOpenMessenger", "openPath",
	"reloadWindow", "closeApplication", "setScroll"}

func (p *Portal) apiFrame(w http.ResponseWriter, r *http.Request) {
	var fr frameRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&fr); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	ps, ok := p.pages[fr.SID]
	hold := p.frameHolds[fr.Command]
	p.mu.Unlock()
	if !ok {
		http.Error(w, "unknown page", http.StatusNotFound)
		return
	}
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		case <-p.closing:
		}
	}
	p.awaitTurn(r.Context(), fr.SID, fr.Seq)
	defer p.turnDone(fr.SID, fr.Seq)
	ev := FrameEvent{Time: time.Now(), Command: fr.Command, RawParams: fr.Params, Callback: fr.Callback,
		AppSID: fr.AppSID, Origin: fr.Origin, Accepted: fr.Accepted, Reason: fr.Reason}
	if fr.Params != "" {
		_ = json.Unmarshal([]byte(fr.Params), &ev.Params)
	}
	var ans frameAnswer
	if ev.Accepted {
		ans = p.frameCommand(ps, &ev, fr.Answered)
	}
	ev.Replied = (ans.Reply || ans.pageReplied) && ev.Accepted && fr.Callback != ""
	ans.Reply = ans.Reply && ev.Accepted && fr.Callback != ""
	p.log.addFrame(ev)
	writeJSON(w, ans)
}

// frameOrderWait bounds how long a report waits for an earlier one of its
// page: one lost on the way must not stall the rest.
const frameOrderWait = 500 * time.Millisecond

// awaitTurn keeps each page's frame log in the order the page received the
// messages. The page reports getInitData after replying to it, while the app
// goes on (a resizeWindow follows within milliseconds): a report that
// overtook an earlier one of its page waits for it.
func (p *Portal) awaitTurn(ctx context.Context, sid string, seq uint64) {
	if seq == 0 {
		return
	}
	deadline := time.NewTimer(frameOrderWait)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		done, wake := p.frameSeq[sid], p.frameSeqWake
		p.mu.Unlock()
		if seq <= done+1 {
			return
		}
		select {
		case <-wake:
		case <-deadline.C:
			return
		case <-ctx.Done():
			return
		case <-p.closing:
			return
		}
	}
}

// turnDone records that the page's report seq is logged.
func (p *Portal) turnDone(sid string, seq uint64) {
	if seq == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if seq > p.frameSeq[sid] {
		p.frameSeq[sid] = seq
	}
	close(p.frameSeqWake)
	p.frameSeqWake = make(chan struct{})
}

// HoldFrameReports makes the portal sit on the page's reports of command
// (the server's side of the frame protocol) until release is called, or
// Reset or Close: tests use it to show what the page does without its server.
func (p *Portal) HoldFrameReports(command string) (release func()) {
	ch := make(chan struct{})
	p.mu.Lock()
	if old := p.frameHolds[command]; old != nil {
		close(old)
	}
	p.frameHolds[command] = ch
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.frameHolds[command] == ch {
			close(ch)
			delete(p.frameHolds, command)
		}
	}
}

// releaseFrameReportsLocked lets every held report through. Callers hold p.mu.
func (p *Portal) releaseFrameReportsLocked() {
	for c, ch := range p.frameHolds {
		close(ch)
		delete(p.frameHolds, c)
	}
}

// frameCommand runs one accepted command; it marks ev dropped when the real
// parent would drop it. answered says the page already replied to it.
func (p *Portal) frameCommand(ps pageSession, ev *FrameEvent, answered bool) frameAnswer {
	drop := func(reason string) frameAnswer {
		ev.Accepted, ev.Reason = false, reason
		return frameAnswer{}
	}
	switch ev.Command {
	case "getInitData":
		if answered {
			// The page replied with the data it held; it holds this for the
			// next ask (a reload of the app), with a token of its own.
			return frameAnswer{Init: p.heldInitFor(ps), pageReplied: true}
		}
		return frameAnswer{Reply: true, Data: p.initData(ps)}
	case "refreshAuth":
		p.mu.Lock()
		silent := p.refreshSilent
		p.mu.Unlock()
		if silent {
			return drop("refresh silent")
		}
		access, refresh, ttl := p.tokens.issue(ps.User)
		return frameAnswer{Reply: true, Data: map[string]any{
			"AUTH_ID": access, "AUTH_EXPIRES": strconv.Itoa(int(ttl.Seconds())), "REFRESH_ID": refresh,
			"member_id": p.cfg.MemberID,
		}}
	case "resizeWindow":
		ev.Width, ev.Height = ev.Params["width"], ev.Params["height"]
		size := map[string]any{"width": ev.Width, "height": ev.Height}
		return frameAnswer{Reply: true, Data: size, Resize: size}
	case "setTitle":
		if ps.Placement != "DEFAULT" {
			return drop("setTitle denied in placement " + ps.Placement)
		}
		ev.Title, _ = ev.Params["title"].(string)
		return frameAnswer{Reply: true, Data: map[string]any{"title": ev.Title}, Title: ev.Title}
	case "getInterface":
		return frameAnswer{Reply: true, Data: map[string]any{"command": frameCommands, "event": []string{}}}
	case "setInstallFinish":
		if p.Installed() {
			return drop("already installed")
		}
		p.SetInstalled(true)
		return frameAnswer{Reload: p.frameSrc(ps), Init: p.heldInitFor(ps)}
	case "setInstall", "setAppOption", "setUserOption":
		p.mu.Lock()
		store := p.appOptions
		if ev.Command == "setUserOption" {
			store = p.userOptions
		}
		for k, v := range ev.Params {
			store[k] = v
		}
		p.initChangedLocked() // APP_OPTIONS, USER_OPTIONS
		p.mu.Unlock()
		return frameAnswer{Reply: true}
	case "imOpenMessenger":
		ev.DialogID, _ = ev.Params["dialogId"].(string)
		return frameAnswer{Dialog: ev.DialogID}
	case "openPath":
		return frameAnswer{Reply: true, Data: map[string]any{"result": "close"}}
	case "reloadWindow":
		return frameAnswer{Reload: p.frameSrc(ps), Init: p.heldInitFor(ps)}
	case "closeApplication", "setScroll":
		return frameAnswer{}
	}
	return drop("unknown command")
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
