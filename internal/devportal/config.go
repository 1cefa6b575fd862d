package devportal

import (
	"net/http"
	"time"

	"github.com/pinall/pinall/internal/clock"
)

// Config configures a dev portal. The zero value is usable: every empty field
// takes the default named in its comment.
type Config struct {
	WidgetDir  string // static widget files served on the app origin ("" = a placeholder page)
	PortalAddr string // portal listen address, "localhost:0"
	AppAddr    string // app listen address, "127.0.0.1:0"

	EntryFile   string // the app's entry page, "index.html"
	InstallFile string // the installer page shown while not installed, "install.html"
	Install     bool   // start with the app not yet installed (INSTALL true, InstallFile shown)

	Lang      string // the portal's LANG (PortalLangs), "en"; the embedded demo's names follow it (DemoDataFor)
	UserID    int    // the operator the portal page opens as, 1
	Placement string // default placement of the page, "DEFAULT"

	Data          *Data // model seed, nil = the embedded demo
	ExtraSessions int   // generated open sessions added for UserID (load tests)

	TokenTTL    time.Duration // access token lifetime, 3600s
	Scopes      []string      // the app's scopes, imopenlines, placement, im
	WebhookCode string        // secret of the inbound webhook /rest/{user}/{code}/, "devhook"
	MemberID    string        // MEMBER_ID in init data, a fixed fake

	RateLimit       RateLimit     // leaky bucket, 2/s burst 50
	OperatingBudget time.Duration // execution time per method per window, 480s
	OperatingWindow time.Duration // 10 min
	OperatingCost   time.Duration // simulated execution time charged per call, 0
	Latency         time.Duration // added to every REST call (and charged as execution time)

	// How the app origin serves the files (plainhost.go, pace.go). By
	// default WidgetDir with its .br/.gz siblings negotiated, the self-host
	// route.
	AppZip         string // serve this zip's files as they are, as Bitrix24 serves an uploaded app (WidgetDir unused)
	Plain          bool   // serve WidgetDir's files as they are: no siblings, no Content-Encoding, a strong ETag
	NoCacheHeaders bool   // with AppZip or Plain: no ETag and no Cache-Control at all
	Pace           Pace   // bandwidth and round trips for the app's files, zero = none

	WrongWasmMIME bool // serve .wasm as application/octet-stream (loader fallback tests)
	// AppWrap, when set, wraps the app origin's handler: a test plays a host
	// that treats the widget's files its own way (e2e/loaderpaths_test.go).
	AppWrap       func(http.Handler) http.Handler
	RefreshSilent bool // never answer refreshAuth

	// clock is what the limits, the tokens' expiry and the app files' pacer
	// read and wait on; nil = the real one. This package's tests, which run
	// real sockets, step a fake one; a test in a testing/synctest bubble
	// needs none.
	clock clock.Clock
}

// RateLimit is the leaky bucket: PerSecond drain, Burst capacity.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

func (c Config) withDefaults() Config {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.PortalAddr, "localhost:0")
	def(&c.AppAddr, "127.0.0.1:0")
	def(&c.EntryFile, "index.html")
	def(&c.InstallFile, "install.html")
	def(&c.Lang, "en")
	def(&c.Placement, "DEFAULT")
	def(&c.WebhookCode, "devhook")
	def(&c.MemberID, "d41d8cd98f00b204e9800998ecf8427e")
	if c.UserID == 0 {
		c.UserID = 1
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = 3600 * time.Second
	}
	if c.Scopes == nil {
		c.Scopes = []string{"imopenlines", "placement", "im"}
	}
	if c.RateLimit.PerSecond == 0 {
		c.RateLimit.PerSecond = 2
	}
	if c.RateLimit.Burst == 0 {
		c.RateLimit.Burst = 50
	}
	if c.OperatingBudget <= 0 {
		c.OperatingBudget = 480 * time.Second
	}
	if c.clock == nil {
		c.clock = clock.Real
	}
	if c.OperatingWindow <= 0 {
		c.OperatingWindow = 10 * time.Minute
	}
	return c
}
