package devportal

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Portal is a running dev portal: two HTTP servers (portal and app origins)
// over one in-memory model.
type Portal struct {
	cfg       Config
	seed      Data // guarded by mu: a language switch renames it
	model     *model
	tokens    *tokens
	buckets   *buckets
	operating *operating
	faults    faultQueue
	log       eventLog

	restInFlight atomic.Int64 // REST requests received and not yet logged (rest.go)

	portalSrv, appSrv *http.Server
	portalURL, appURL string
	portalHost        string // host:port as DOMAIN

	mu            sync.Mutex
	lang          string // the portal's LANG: pages open in it unless their URL names another
	scopes        []string
	refreshSilent bool
	installed     bool
	latency       time.Duration
	placements    []PlacementBinding
	pages         map[string]pageSession // by APP_SID
	appOptions    map[string]any
	userOptions   map[string]any
	initOverride  map[string]any           // fields replacing getInitData's (hostile-input tests)
	frameDomain   string                   // DOMAIN in the iframe's name and src, "" = portalHost
	initGen       uint64                   // bumped by every change to what init data holds (initdata.go)
	initWake      chan struct{}            // closed and replaced with each bump: wakes the pages' long polls
	frameHolds    map[string]chan struct{} // by command: reports held until the channel closes
	frameSeq      map[string]uint64        // by APP_SID: the highest report seq logged
	frameSeqWake  chan struct{}            // closed and replaced as frameSeq advances

	closing     chan struct{} // closed by Close and Shutdown: ends the long polls
	closingOnce sync.Once
}

// Start listens on both addresses and serves until Close.
func Start(cfg Config) (*Portal, error) {
	p, err := newPortal(cfg)
	if err != nil {
		return nil, err
	}
	cfg = p.cfg
	pl, err := net.Listen("tcp", cfg.PortalAddr)
	if err != nil {
		return nil, fmt.Errorf("devportal: portal listen: %w", err)
	}
	al, err := net.Listen("tcp", cfg.AppAddr)
	if err != nil {
		pl.Close()
		return nil, fmt.Errorf("devportal: app listen: %w", err)
	}
	p.portalHost = hostPort(cfg.PortalAddr, pl.Addr())
	p.portalURL = "http://" + p.portalHost
	p.appURL = "http://" + hostPort(cfg.AppAddr, al.Addr())
	p.portalSrv = &http.Server{Handler: p.portalHandler(), ReadHeaderTimeout: 10 * time.Second}
	if p.appSrv, err = p.appServer(); err != nil {
		pl.Close()
		al.Close()
		return nil, err
	}
	go p.portalSrv.Serve(pl)
	go p.appSrv.Serve(al)
	return p, nil
}

// NewREST returns a portal that listens nowhere, and its REST API as a
// handler: the office simulation (bench/load) serves hundreds of widgets
// in process with it, where a socket would stop a testing/synctest bubble's
// clock. The Portal's methods work as on a started one; its URLs are empty.
func NewREST(cfg Config) (*Portal, http.Handler, error) {
	p, err := newPortal(cfg)
	if err != nil {
		return nil, nil, err
	}
	return p, http.HandlerFunc(p.serveREST), nil
}

// newPortal builds the model and the limits of cfg.
func newPortal(cfg Config) (*Portal, error) {
	cfg = cfg.withDefaults()
	seed := DemoDataFor(cfg.Lang)
	if cfg.Data != nil {
		if err := cfg.Data.validate(); err != nil {
			return nil, err
		}
		seed = cfg.Data.clone()
	}
	seed = seed.WithExtraSessions(cfg.ExtraSessions, cfg.UserID)
	return &Portal{
		cfg:           cfg,
		seed:          seed,
		model:         newModel(seed),
		tokens:        newTokens(cfg.TokenTTL, cfg.clock),
		buckets:       newBuckets(cfg.RateLimit.PerSecond, cfg.RateLimit.Burst, cfg.clock),
		operating:     newOperating(cfg.OperatingBudget, cfg.OperatingWindow, cfg.clock),
		lang:          cfg.Lang,
		scopes:        slices.Clone(cfg.Scopes),
		refreshSilent: cfg.RefreshSilent,
		installed:     !cfg.Install,
		latency:       cfg.Latency,
		pages:         map[string]pageSession{},
		appOptions:    map[string]any{},
		userOptions:   map[string]any{},
		initGen:       1,
		initWake:      make(chan struct{}),
		frameHolds:    map[string]chan struct{}{},
		frameSeq:      map[string]uint64{},
		frameSeqWake:  make(chan struct{}),
		closing:       make(chan struct{}),
	}, nil
}

// hostPort keeps the host name the caller asked for (localhost stays
// localhost, so the two origins differ) with the port actually bound.
func hostPort(asked string, got net.Addr) string {
	host, _, err := net.SplitHostPort(asked)
	if err != nil || host == "" {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(got.String())
	return net.JoinHostPort(host, port)
}

// PortalURL is the portal origin, e.g. http://localhost:41234.
func (p *Portal) PortalURL() string { return p.portalURL }

// AppURL is the app origin, e.g. http://127.0.0.1:41235.
func (p *Portal) AppURL() string { return p.appURL }

// WebhookURL is the inbound webhook base for user, ending in a slash:
// {portal}/rest/{user}/{code}/ (append "method.json").
func (p *Portal) WebhookURL(user int) string {
	return fmt.Sprintf("%s/rest/%d/%s/", p.portalURL, user, p.cfg.WebhookCode)
}

// Close stops both servers at once, dropping open connections.
func (p *Portal) Close() error {
	p.endWaits()
	if p.portalSrv == nil { // NewREST's: nothing listens
		return nil
	}
	return errors.Join(p.portalSrv.Close(), p.appSrv.Close())
}

// Shutdown stops both servers gracefully. The pages' long polls and held
// frame reports end at once: they would keep their connections busy.
func (p *Portal) Shutdown(ctx context.Context) error {
	p.endWaits()
	if p.portalSrv == nil {
		return nil
	}
	return errors.Join(p.portalSrv.Shutdown(ctx), p.appSrv.Shutdown(ctx))
}

func (p *Portal) endWaits() {
	p.closingOnce.Do(func() { close(p.closing) })
}

// Sessions returns a snapshot of every session, sorted by ID.
func (p *Portal) Sessions() []SessionView { return p.model.snapshot() }

// Requests returns the log of every HTTP request under /rest/.
func (p *Portal) Requests() []RequestRecord { r, _ := p.log.snapshot(); return r }

// RESTInFlight is how many REST requests the portal has received and not yet
// answered and logged. A request the browser gave up on (a fault's delay
// outlasting the client's timeout) counts until its handler ends, so at 0
// Requests holds every request that reached the portal: a test waits for 0
// instead of watching for a late request for a while.
func (p *Portal) RESTInFlight() int { return int(p.restInFlight.Load()) }

// FrameEvents returns every frame message the portal page received.
func (p *Portal) FrameEvents() []FrameEvent { _, f := p.log.snapshot(); return f }

// ResetLog clears the request and frame logs.
func (p *Portal) ResetLog() { p.log.reset() }

// InjectFault queues a fault for the next REST calls.
func (p *Portal) InjectFault(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	p.faults.add(f)
	return nil
}

// ClearFaults drops every queued fault.
func (p *Portal) ClearFaults() { p.faults.clear() }

// ExpireTokens makes every issued access token expired now, the token in the
// init data the pages hold too (they get fresh ones).
func (p *Portal) ExpireTokens() {
	p.tokens.expireAll()
	p.initChanged()
}

// IssueToken issues an access token for user, as the frame's getInitData does.
func (p *Portal) IssueToken(user int) string {
	t, _, _ := p.tokens.issue(user)
	return t
}

// SetScopes replaces the app's scopes.
func (p *Portal) SetScopes(scopes ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.scopes = slices.Clone(scopes)
}

// SetRefreshSilent makes refreshAuth go unanswered (true) or work again.
func (p *Portal) SetRefreshSilent(silent bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refreshSilent = silent
}

// SetLatency sets the delay added to every REST call.
func (p *Portal) SetLatency(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.latency = d
}

// setRateLimit replaces the leaky buckets' limit and empties them.
func (p *Portal) setRateLimit(rl RateLimit) { p.buckets.set(rl.PerSecond, rl.Burst) }

// SetInstalled sets whether the app is installed (false shows the installer).
func (p *Portal) SetInstalled(installed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.installed = installed
	p.initChangedLocked()
}

// Installed reports whether setInstallFinish has run (or the app started installed).
func (p *Portal) Installed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.installed
}

// Lang is the portal's current LANG.
func (p *Portal) Lang() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lang
}

// setLang switches the portal to another of the twenty interface languages
// (PortalLangs), as its page's LANG switch does. With the embedded demo data
// the users, lines and customers take that language's names
// (DemoDataFor); every session keeps its state. Data given in Config keeps
// its names.
func (p *Portal) setLang(lang string) error {
	if !isPortalLang(lang) {
		return fmt.Errorf("devportal: unknown LANG %q (one of en, ru, de, ...: PortalLangs)", lang)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lang == lang {
		return nil
	}
	p.lang = lang
	if p.cfg.Data == nil {
		p.seed = DemoDataFor(lang).WithExtraSessions(p.cfg.ExtraSessions, p.cfg.UserID)
		p.model.rename(p.seed)
	}
	p.initChangedLocked()
	return nil
}

// SetSessions replaces the model with d (chats, lines and users included).
func (p *Portal) SetSessions(d Data) error {
	if err := d.validate(); err != nil {
		return err
	}
	p.model.load(d)
	p.initChanged() // IS_ADMIN comes from the users
	return nil
}

// Reset restores the seed data, empties the limits, faults, logs and
// placements, and restores scopes and the installed flag from the Config.
func (p *Portal) Reset() {
	p.mu.Lock()
	seed := p.seed
	p.mu.Unlock()
	p.model.load(seed)
	p.faults.clear()
	p.log.reset()
	p.operating.reset()
	p.buckets.set(p.cfg.RateLimit.PerSecond, p.cfg.RateLimit.Burst)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.scopes = slices.Clone(p.cfg.Scopes)
	p.refreshSilent = p.cfg.RefreshSilent
	p.installed = !p.cfg.Install
	p.latency = p.cfg.Latency
	p.placements = nil
	p.initOverride = nil
	p.frameDomain = ""
	p.initChangedLocked()
	p.releaseFrameReportsLocked()
}

// SetInitOverride makes getInitData answer with these fields in place of the
// portal's own (any JSON value: a hostile LANG, PLACEMENT, PLACEMENT_OPTIONS,
// DOMAIN, ...); nil restores the real init data. It applies to replies sent
// after the call: pages rendered before it get the new data by their long
// poll, within milliseconds.
func (p *Portal) SetInitOverride(fields map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.initOverride = copyMap(fields)
	if fields == nil {
		p.initOverride = nil
	}
	p.initChangedLocked()
}

// SetFrameDomain puts domain, verbatim, as DOMAIN in the iframe's window.name
// and src query of pages rendered after the call ("" restores the portal's
// own host:port): how a hostile page would frame the app.
func (p *Portal) SetFrameDomain(domain string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frameDomain = domain
}

// domainForFrame is the DOMAIN the page gives the app.
func (p *Portal) domainForFrame() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.frameDomain != "" {
		return p.frameDomain
	}
	return p.portalHost
}

func (p *Portal) hasScope(s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Contains(p.scopes, s)
}
