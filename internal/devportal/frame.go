package devportal

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// frameRequest is what portal.js posts for every message it receives from a
// frame. The page does the origin, source and APP_SID checks (Accepted false
// with a Reason when it dropped the message); the server decides the command.
type frameRequest struct {
	SID      string `json:"sid"` // the page's own APP_SID
	Command  string `json:"command"`
	Params   string `json:"params"`
	Callback string `json:"callback"`
	AppSID   string `json:"app_sid"` // the APP_SID the message carried
	Origin   string `json:"origin"`
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason"`
}

// frameAnswer tells portal.js what to do.
type frameAnswer struct {
	Reply  bool           `json:"reply"`            // post "CALLBACK:" + JSON(data) back
	Data   any            `json:"data,omitempty"`   // the reply's result (none: "CALLBACK:")
	Resize map[string]any `json:"resize,omitempty"` // new iframe size
	Reload string         `json:"reload,omitempty"` // load this URL into the iframe
	Title  string         `json:"title,omitempty"`  // new page title
	Dialog string         `json:"dialog,omitempty"` // opened messenger dialog
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
	p.mu.Unlock()
	if !ok {
		http.Error(w, "unknown page", http.StatusNotFound)
		return
	}
	ev := FrameEvent{Time: time.Now(), Command: fr.Command, RawParams: fr.Params, Callback: fr.Callback,
		AppSID: fr.AppSID, Origin: fr.Origin, Accepted: fr.Accepted, Reason: fr.Reason}
	if fr.Params != "" {
		_ = json.Unmarshal([]byte(fr.Params), &ev.Params)
	}
	var ans frameAnswer
	if ev.Accepted {
		ans = p.frameCommand(ps, &ev)
	}
	ans.Reply = ans.Reply && ev.Accepted && fr.Callback != ""
	ev.Replied = ans.Reply
	p.log.addFrame(ev)
	writeJSON(w, ans)
}

// frameCommand runs one accepted command; it marks ev dropped when the real
// parent would drop it.
func (p *Portal) frameCommand(ps pageSession, ev *FrameEvent) frameAnswer {
	drop := func(reason string) frameAnswer {
		ev.Accepted, ev.Reason = false, reason
		return frameAnswer{}
	}
	switch ev.Command {
	case "getInitData":
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
		return frameAnswer{Reload: p.frameSrc(ps)}
	case "setInstall", "setAppOption", "setUserOption":
		p.mu.Lock()
		store := p.appOptions
		if ev.Command == "setUserOption" {
			store = p.userOptions
		}
		for k, v := range ev.Params {
			store[k] = v
		}
		p.mu.Unlock()
		return frameAnswer{Reply: true}
	case "imOpenMessenger":
		ev.DialogID, _ = ev.Params["dialogId"].(string)
		return frameAnswer{Dialog: ev.DialogID}
	case "openPath":
		return frameAnswer{Reply: true, Data: map[string]any{"result": "close"}}
	case "reloadWindow":
		return frameAnswer{Reload: p.frameSrc(ps)}
	case "closeApplication", "setScroll":
		return frameAnswer{}
	}
	return drop("unknown command")
}

// initData is the reply to getInitData, with a freshly issued token.
func (p *Portal) initData(ps pageSession) map[string]any {
	access, refresh, ttl := p.tokens.issue(ps.User)
	u, _ := p.model.user(ps.User)
	var opts any = ""
	if ps.PlacementOptions != nil {
		opts = ps.PlacementOptions
	}
	p.mu.Lock()
	appOpts, userOpts := copyMap(p.appOptions), copyMap(p.userOptions)
	override := copyMap(p.initOverride)
	p.mu.Unlock()
	d := map[string]any{
		"LANG": ps.Lang, "DOMAIN": p.portalHost, "PROTOCOL": 0, "PATH": "/rest",
		"AUTH_ID": access, "AUTH_EXPIRES": strconv.Itoa(int(ttl.Seconds())), "REFRESH_ID": refresh,
		"MEMBER_ID": p.cfg.MemberID, "FIRST_RUN": false, "IS_ADMIN": u.IsAdmin,
		"INSTALL": !p.Installed(), "USER_OPTIONS": userOpts, "APP_OPTIONS": appOpts,
		"PLACEMENT": ps.Placement, "PLACEMENT_OPTIONS": opts,
	}
	for k, v := range override {
		d[k] = v
	}
	return d
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
