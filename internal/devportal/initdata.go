package devportal

import (
	"net/http"
	"strconv"
	"time"
)

// The real parent (BX.rest.AppLayout) answers getInitData from data rendered
// into the page with the placement; only refreshAuth and the like go to its
// server. The dev portal does the same: the page holds a heldInit, rendered
// into it and renewed by the server (with the answer to each getInitData
// report, with each reload the portal makes, and by a long poll), answers
// getInitData from it at once and reports the command afterwards.
//
// Unlike the real page, which keeps what it was rendered with, the held data
// follows the portal, so tests that change it after the page loaded
// (SetInitOverride, SetInstalled, ExpireTokens, ...) still see the change in
// the next getInitData: each change bumps initGen and wakes the long polls
// (/devportal/api/init), which bring the page new data within milliseconds,
// long before a reloaded app can ask. Each getInitData still gets a token of
// its own.

// heldInit is init data as the page holds it: Gen is the initGen it was built at.
type heldInit struct {
	Gen  uint64         `json:"gen"`
	Data map[string]any `json:"data"`
}

// initPollWait bounds one long poll of /devportal/api/init; the page polls again.
const initPollWait = 25 * time.Second

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
	installed := p.installed
	p.mu.Unlock()
	d := map[string]any{
		"LANG": ps.Lang, "DOMAIN": p.portalHost, "PROTOCOL": 0, "PATH": "/rest",
		"AUTH_ID": access, "AUTH_EXPIRES": strconv.Itoa(int(ttl.Seconds())), "REFRESH_ID": refresh,
		"MEMBER_ID": p.cfg.MemberID, "FIRST_RUN": false, "IS_ADMIN": u.IsAdmin,
		"INSTALL": !installed, "USER_OPTIONS": userOpts, "APP_OPTIONS": appOpts,
		"PLACEMENT": ps.Placement, "PLACEMENT_OPTIONS": opts,
	}
	for k, v := range override {
		d[k] = v
	}
	return d
}

// heldInitFor builds the init data for the page to hold. The generation is
// read first: a change racing the build makes the page poll once more.
func (p *Portal) heldInitFor(ps pageSession) *heldInit {
	p.mu.Lock()
	gen := p.initGen
	p.mu.Unlock()
	return &heldInit{Gen: gen, Data: p.initData(ps)}
}

// initChangedLocked marks every held init data stale and wakes the pages'
// long polls. Callers hold p.mu.
func (p *Portal) initChangedLocked() {
	p.initGen++
	close(p.initWake)
	p.initWake = make(chan struct{})
}

func (p *Portal) initChanged() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.initChangedLocked()
}

// apiInit is the page's long poll: GET /devportal/api/init?sid=S&gen=N answers
// fresh init data as soon as the portal's generation is not N, or 204 after
// initPollWait.
func (p *Portal) apiInit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	gen, _ := strconv.ParseUint(q.Get("gen"), 10, 64)
	p.mu.Lock()
	ps, ok := p.pages[q.Get("sid")]
	p.mu.Unlock()
	if !ok {
		http.Error(w, "unknown page", http.StatusNotFound)
		return
	}
	timer := time.NewTimer(initPollWait)
	defer timer.Stop()
	for {
		p.mu.Lock()
		cur, wake := p.initGen, p.initWake
		p.mu.Unlock()
		if cur != gen {
			writeJSON(w, p.heldInitFor(ps))
			return
		}
		select {
		case <-wake:
		case <-timer.C:
			w.WriteHeader(http.StatusNoContent)
			return
		case <-r.Context().Done():
			return
		case <-p.closing:
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
}
