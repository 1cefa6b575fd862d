package devportal

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

var pageTmpl = template.Must(template.ParseFS(staticFS, "static/portal.html"))

// pageSession is one rendering of the portal page: its APP_SID, user and
// placement. The frame endpoint finds the user by APP_SID, as the real portal
// finds it by the page's own session.
type pageSession struct {
	SID              string
	User             int
	Lang             string
	Placement        string
	PlacementOptions map[string]any
}

func (p *Portal) portalHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/rest/", p.serveREST)
	mux.HandleFunc("GET /{$}", p.servePage)
	mux.HandleFunc("GET /favicon.ico", serveFavicon)
	sub, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /devportal/static/", http.StripPrefix("/devportal/static/", http.FileServerFS(sub)))
	mux.HandleFunc("GET /devportal/api/state", p.apiState)
	mux.HandleFunc("GET /devportal/api/requests", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, p.Requests()) })
	mux.HandleFunc("GET /devportal/api/frame-events", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, p.FrameEvents()) })
	mux.HandleFunc("POST /devportal/api/faults", p.apiFaults)
	mux.HandleFunc("POST /devportal/api/reset", func(w http.ResponseWriter, _ *http.Request) { p.Reset(); writeJSON(w, map[string]bool{"ok": true}) })
	mux.HandleFunc("POST /devportal/api/expire-tokens", func(w http.ResponseWriter, _ *http.Request) {
		p.ExpireTokens()
		writeJSON(w, map[string]bool{"ok": true})
	})
	mux.HandleFunc("POST /devportal/api/frame", p.apiFrame)
	mux.HandleFunc("GET /devportal/api/init", p.apiInit)
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

func (p *Portal) servePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ps := pageSession{SID: randomHex(16), User: p.cfg.UserID, Lang: p.Lang(), Placement: p.cfg.Placement}
	if v := q.Get("lang"); v != "" {
		// One of the twenty switches the portal (and the demo's names),
		// as the page's LANG switch does; anything else (a hostile or
		// unknown LANG) goes to this page's app as it is.
		_ = p.setLang(v)
		ps.Lang = v
	}
	if v, err := strconv.Atoi(q.Get("user")); err == nil && v > 0 {
		ps.User = v
	}
	if v := q.Get("placement"); v != "" {
		ps.Placement = strings.ToUpper(v)
	}
	switch ps.Placement {
	case "IM_SIDEBAR":
		dialog := q.Get("dialog")
		if dialog == "" {
			dialog = "chat" + strconv.Itoa(p.model.firstOpenChat(ps.User))
		}
		ps.PlacementOptions = map[string]any{"dialogId": dialog}
	case "IM_NAVIGATION", "LEFT_MENU":
		ps.PlacementOptions = map[string]any{}
	}
	p.mu.Lock()
	p.pages[ps.SID] = ps
	p.mu.Unlock()

	u, _ := p.model.user(ps.User)
	// The init data goes into the page, as the real portal renders it with
	// the placement: getInitData is answered without a request.
	init, err := json.Marshal(p.heldInitFor(ps))
	if err != nil { // an override that is no JSON value
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src "+p.appURL+"; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	pageTmpl.Execute(w, map[string]any{
		"FrameName": p.domainForFrame() + "|0|" + ps.SID,
		"FrameSrc":  p.frameSrc(ps),
		"AppOrigin": p.appURL,
		"SID":       ps.SID,
		"User":      ps.User,
		"UserName":  u.Name,
		"Lang":      ps.Lang,
		"Langs":     PortalLangs,
		"Placement": ps.Placement,
		"Sidebar":   ps.Placement == "IM_SIDEBAR",
		"Init":      string(init),
	})
}

// frameSrc is the iframe URL exactly as the real portal builds it.
func (p *Portal) frameSrc(ps pageSession) string {
	entry := p.cfg.EntryFile
	if !p.Installed() {
		entry = p.cfg.InstallFile
	}
	q := "DOMAIN=" + url.QueryEscape(p.domainForFrame()) + "&PROTOCOL=0&LANG=" + url.QueryEscape(ps.Lang) + "&APP_SID=" + ps.SID
	return p.appURL + "/" + strings.TrimPrefix(entry, "/") + "?" + q
}

// stateView is what the portal page's live panel polls.
type stateView struct {
	User      int             `json:"user"`
	Installed bool            `json:"installed"`
	Sessions  []SessionView   `json:"sessions"` // the user's
	Others    int             `json:"others"`   // sessions of other operators
	Requests  []RequestRecord `json:"requests"` // the last few
	Frames    []FrameEvent    `json:"frames"`   // the last few
	Scopes    []string        `json:"scopes"`
}

func (p *Portal) apiState(w http.ResponseWriter, r *http.Request) {
	user, err := strconv.Atoi(r.URL.Query().Get("user"))
	if err != nil || user == 0 {
		user = p.cfg.UserID
	}
	v := stateView{User: user, Installed: p.Installed(), Sessions: []SessionView{}}
	for _, s := range p.model.snapshot() {
		if s.Operator == user {
			v.Sessions = append(v.Sessions, s)
		} else {
			v.Others++
		}
	}
	reqs, frames := p.log.snapshot()
	v.Requests = tail(reqs, 12)
	v.Frames = tail(frames, 12)
	p.mu.Lock()
	v.Scopes = append([]string{}, p.scopes...)
	p.mu.Unlock()
	writeJSON(w, v)
}

func tail[T any](s []T, n int) []T {
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return append([]T{}, s...)
}

// faultRequest is the body of POST /devportal/api/faults: any of a fault, an
// action, or settings.
type faultRequest struct {
	Fault         *Fault     `json:"fault"`
	Faults        []Fault    `json:"faults"`
	Clear         bool       `json:"clear"`
	ExpireTokens  bool       `json:"expire_tokens"`
	RefreshSilent *bool      `json:"refresh_silent"`
	Scopes        []string   `json:"scopes"`
	Latency       string     `json:"latency"`
	RateLimit     *RateLimit `json:"rate_limit"`
}

func (p *Portal) apiFaults(w http.ResponseWriter, r *http.Request) {
	var fr faultRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&fr); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if fr.Clear {
		p.ClearFaults()
	}
	if fr.Fault != nil {
		fr.Faults = append(fr.Faults, *fr.Fault)
	}
	for _, f := range fr.Faults {
		p.faults.add(f) // validated by Fault.UnmarshalJSON
	}
	if fr.ExpireTokens {
		p.ExpireTokens()
	}
	if fr.RefreshSilent != nil {
		p.SetRefreshSilent(*fr.RefreshSilent)
	}
	if fr.Scopes != nil {
		p.SetScopes(fr.Scopes...)
	}
	if fr.Latency != "" {
		d, err := time.ParseDuration(fr.Latency)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		p.SetLatency(d)
	}
	if fr.RateLimit != nil {
		p.setRateLimit(*fr.RateLimit)
	}
	writeJSON(w, map[string]bool{"ok": true})
}
