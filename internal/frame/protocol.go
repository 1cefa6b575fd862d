// The frame protocol in plain Go (no syscall/js), so it is tested and
// fuzzed natively. frame_js.go moves these strings through postMessage.

package frame

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/minijson"
	"github.com/pinall/pinall/internal/urlpart"
)

// The commands the widget sends to the portal.
const (
	cmdGetInitData      = "getInitData"
	cmdRefreshAuth      = "refreshAuth"
	cmdResizeWindow     = "resizeWindow"
	cmdSetTitle         = "setTitle"
	cmdImOpenMessenger  = "imOpenMessenger"
	cmdSetInstallFinish = "setInstallFinish"
)

// ErrNotInBitrix24 means the page is not inside a Bitrix24 frame: window.name
// lacks DOMAIN|PROTOCOL|APP_SID, or (see NoAnswerError) nobody answered
// getInitData.
var ErrNotInBitrix24 error = &sentinel{msg: "frame: not inside a Bitrix24 page", kind: KindNotInBitrix24}

// errMalformed marks a message or reply that does not follow the protocol.
var errMalformed = errors.New("frame: malformed message")

// Placement is what the portal put in the iframe's window.name.
type Placement struct {
	Domain   string // host[:port], lower case
	Protocol int    // 0 http, 1 https
	AppSID   string
}

type placementError struct{ reason string }

func (e *placementError) Error() string {
	return "frame: not inside a Bitrix24 page: window.name " + e.reason
}
func (e *placementError) Is(target error) bool { return target == ErrNotInBitrix24 }

// parseWindowName reads "{host[:port]}|{0|1}|{APP_SID}". Every failure is
// ErrNotInBitrix24 (errors.Is); the error names the bad field but never
// repeats the input.
func parseWindowName(name string) (Placement, error) {
	if name == "" {
		return Placement{}, ErrNotInBitrix24
	}
	first, rest, ok1 := strings.Cut(name, "|")
	protocol, sid, ok2 := strings.Cut(rest, "|")
	if !ok1 || !ok2 || strings.IndexByte(sid, '|') >= 0 || first == "" || protocol == "" || sid == "" {
		return Placement{}, &placementError{"lacks DOMAIN|PROTOCOL|APP_SID"}
	}
	domain, ok := cleanDomain(first)
	if !ok {
		return Placement{}, &placementError{"has an invalid DOMAIN"}
	}
	var proto int
	switch protocol {
	case "0":
	case "1":
		proto = 1
	default:
		return Placement{}, &placementError{"has an invalid PROTOCOL"}
	}
	if !validAppSID(sid) {
		return Placement{}, &placementError{"has an invalid APP_SID"}
	}
	return Placement{Domain: domain, Protocol: proto, AppSID: sid}, nil
}

// origin is the portal's origin as a browser writes event.origin:
// scheme://host, with the scheme's default port dropped.
func (p Placement) origin() string {
	scheme, def := "http", ":80"
	if p.Protocol == 1 {
		scheme, def = "https", ":443"
	}
	return scheme + "://" + strings.TrimSuffix(p.Domain, def)
}

// cleanDomain is urlpart.Host as a yes/no: the REST URL and the
// postMessage target are built from it, so anything but a plain host[:port]
// is refused.
func cleanDomain(s string) (string, bool) {
	h, err := urlpart.Host(s)
	return h, err == nil
}

func validAppSID(s string) bool {
	if len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == ':' || c == '|' {
			return false
		}
	}
	return s != ""
}

// formatCommand builds the legacy four-field message
// COMMAND:PARAMS:CALLBACK:APP_SID. PARAMS is params' JSON, empty for the
// zero Value; callback is empty when no reply is wanted. The parent takes
// the first field as the command and the last two as callback and APP_SID,
// so colons inside the JSON are safe; cmd, callback and appSID must have none.
func formatCommand(cmd string, params minijson.Value, callback, appSID string) string {
	b := make([]byte, 0, len(cmd)+len(callback)+len(appSID)+64)
	b = append(b, cmd...)
	b = append(b, ':')
	if params.Exists() {
		b = minijson.Append(b, params)
	}
	b = append(b, ':')
	b = append(b, callback...)
	b = append(b, ':')
	b = append(b, appSID...)
	return string(b)
}

// asked is the getInitData question loader.js posted before the program
// ran (the Asked option): the message, the origin it went to and its
// callback id, as the page reports them.
type asked struct {
	Message, Target, ID string
}

// ours reports whether q is the very question Open would ask this
// placement's portal, so its answer can be taken as Open's own: the
// loader's copy of the protocol is checked here, never trusted.
func (q asked) ours(p Placement) bool {
	return validCallback(q.ID) && q.Target == p.origin() &&
		q.Message == formatCommand(cmdGetInitData, minijson.Value{}, q.ID, p.AppSID)
}

// maxReply bounds a reply's size; init data is a few KB.
const maxReply = 1 << 20

// parseReply splits a parent's reply "CALLBACK:JSON" at the first ':'.
// "CALLBACK:" alone is a reply without a result: payload is the zero Value.
func parseReply(data string) (callback string, payload minijson.Value, err error) {
	if len(data) > maxReply {
		return "", minijson.Value{}, replyError("too large")
	}
	i := strings.IndexByte(data, ':')
	if i < 0 {
		return "", minijson.Value{}, replyError("no ':'")
	}
	callback = data[:i]
	if !validCallback(callback) {
		return "", minijson.Value{}, replyError("bad callback id")
	}
	rest := data[i+1:]
	if ascii.TrimSpace(rest) == "" {
		return callback, minijson.Value{}, nil
	}
	payload, err = minijson.Parse([]byte(rest))
	if err != nil {
		return "", minijson.Value{}, replyError(err.Error())
	}
	return callback, payload, nil
}

type replyError string

func (e replyError) Error() string        { return "frame: malformed reply: " + string(e) }
func (e replyError) Is(target error) bool { return target == errMalformed }

func validCallback(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

const callbackAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newCallbackID returns a random id of 20 characters from [a-z0-9] (~103
// bits). math/rand/v2's global source is ChaCha8 seeded by the runtime from
// crypto.getRandomValues, without crypto/rand's weight in the download.
func newCallbackID() string {
	var b [20]byte
	for i := range b {
		b[i] = callbackAlphabet[rand.IntN(len(callbackAlphabet))]
	}
	return string(b[:])
}

// Secret is a token. It prints as REDACTED through fmt (%v, %s, %#v, also
// as a field of a printed struct), so it cannot leak by accident; use
// reveal where the value is really needed (the REST body).
type Secret string

const redacted = "REDACTED"

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString redacts for %#v.
func (s Secret) GoString() string { return `frame.Secret("` + s.String() + `")` }

// reveal returns the token itself.
func (s Secret) reveal() string { return string(s) }

// Auth is the token triple from getInitData and refreshAuth.
type Auth struct {
	_ [0]func() // not comparable: no equality function in the wasm

	AuthID      Secret        // AUTH_ID: the access token
	RefreshID   Secret        // REFRESH_ID
	AuthExpires time.Duration // AUTH_EXPIRES, from seconds; 0 when unknown
}

func (a Auth) String() string {
	return "{AuthID:" + a.AuthID.String() + " RefreshID:" + a.RefreshID.String() +
		" AuthExpires:" + a.AuthExpires.String() + "}"
}

// GoString redacts for %#v.
func (a Auth) GoString() string { return "frame.Auth" + a.String() }

// parseAuth reads {AUTH_ID, AUTH_EXPIRES, REFRESH_ID} (the refreshAuth reply,
// or the same keys of the init data). AUTH_ID must be a non-empty string.
func parseAuth(v minijson.Value) (Auth, error) {
	if v.Kind() != minijson.Object {
		return Auth{}, replyError("auth is not an object")
	}
	id, _ := v.Field("AUTH_ID").Str()
	if id == "" {
		return Auth{}, replyError("no AUTH_ID")
	}
	refresh, _ := v.Field("REFRESH_ID").Str()
	var exp time.Duration
	if n, ok := v.Field("AUTH_EXPIRES").IntOrString(); ok && n > 0 && n < 1<<31 {
		exp = time.Duration(n) * time.Second
	}
	return Auth{AuthID: Secret(id), RefreshID: Secret(refresh), AuthExpires: exp}, nil
}

// InitData is the reply to getInitData.
type InitData struct {
	Lang     string // LANG, e.g. "en", "ru"
	Domain   string // DOMAIN, checked by urlpart.Host; the window.name one when absent
	Protocol int    // PROTOCOL, 0 or 1; the window.name one when absent
	Path     string // PATH, "/rest" by default
	Auth            // AUTH_ID, AUTH_EXPIRES, REFRESH_ID
	MemberID string // MEMBER_ID

	FirstRun, IsAdmin, Install bool

	UserOptions, AppOptions minijson.Value
	Placement               string         // PLACEMENT in upper case, "DEFAULT" when absent
	PlacementOptions        minijson.Value // object, or "" (kept as sent)
}

// parseInitData reads a getInitData reply; fallback (from window.name) fills
// DOMAIN and PROTOCOL when the reply lacks them.
func parseInitData(v minijson.Value, fallback Placement) (InitData, error) {
	if v.Kind() != minijson.Object {
		return InitData{}, replyError("init data is not an object")
	}
	auth, err := parseAuth(v)
	if err != nil {
		return InitData{}, err
	}
	d := InitData{
		Auth:             auth,
		Domain:           fallback.Domain,
		Protocol:         fallback.Protocol,
		Path:             urlpart.DefaultPath,
		Placement:        "DEFAULT",
		UserOptions:      v.Field("USER_OPTIONS"),
		AppOptions:       v.Field("APP_OPTIONS"),
		PlacementOptions: v.Field("PLACEMENT_OPTIONS"),
		FirstRun:         flag(v.Field("FIRST_RUN")),
		IsAdmin:          flag(v.Field("IS_ADMIN")),
		Install:          flag(v.Field("INSTALL")),
	}
	d.Lang, _ = v.Field("LANG").Str()
	d.MemberID, _ = v.Field("MEMBER_ID").Str()
	if s, ok := v.Field("DOMAIN").Str(); ok && s != "" {
		if d.Domain, ok = cleanDomain(s); !ok {
			return InitData{}, replyError("invalid DOMAIN")
		}
	}
	if d.Domain == "" {
		return InitData{}, replyError("no DOMAIN")
	}
	if p := v.Field("PROTOCOL"); p.Exists() && !p.IsNull() {
		switch n, ok := p.IntOrString(); {
		case ok && (n == 0 || n == 1):
			d.Protocol = int(n)
		default:
			return InitData{}, replyError("invalid PROTOCOL")
		}
	}
	if s, ok := v.Field("PATH").Str(); ok && s != "" {
		p, err := urlpart.Path(s)
		if err != nil {
			return InitData{}, replyError("invalid PATH")
		}
		d.Path = p
	}
	if s, ok := v.Field("PLACEMENT").Str(); ok && s != "" {
		d.Placement = ascii.Upper(s)
	}
	return d, nil
}

// flag reads a Bitrix24 boolean: true/false, "Y"/"N", 1/0, "1"/"0",
// "true"/"false". Anything else is false.
func flag(v minijson.Value) bool {
	if b, ok := v.Bool(); ok {
		return b
	}
	if n, ok := v.Int(); ok {
		return n != 0
	}
	s, _ := v.Str()
	switch ascii.Upper(s) {
	case "Y", "1", "TRUE":
		return true
	}
	return false
}

// DialogID is PLACEMENT_OPTIONS.dialogId (e.g. "chat123") when the
// placement gave one. PLACEMENT_OPTIONS sent as a JSON string is read too.
func (d InitData) DialogID() string {
	opts := d.PlacementOptions
	if s, ok := opts.Str(); ok && s != "" {
		opts, _ = minijson.Parse([]byte(s))
	}
	id := opts.Field("dialogId")
	if s, ok := id.Str(); ok {
		return s
	}
	if n, ok := id.Int(); ok {
		return strconv.FormatInt(n, 10)
	}
	return ""
}

// String redacts the tokens, so %v of init data never leaks them.
func (d InitData) String() string {
	return "{Lang:" + d.Lang + " Domain:" + d.Domain + " Protocol:" + strconv.Itoa(d.Protocol) +
		" Path:" + d.Path + " Auth:" + d.Auth.String() + " MemberID:" + d.MemberID +
		" FirstRun:" + strconv.FormatBool(d.FirstRun) + " IsAdmin:" + strconv.FormatBool(d.IsAdmin) +
		" Install:" + strconv.FormatBool(d.Install) + " Placement:" + d.Placement +
		" PlacementOptions:" + minijson.Encode(d.PlacementOptions) + "}"
}

// GoString redacts for %#v.
func (d InitData) GoString() string { return "frame.InitData" + d.String() }

var (
	// ErrNoAnswer: the portal did not reply in time (see NoAnswerError).
	ErrNoAnswer error = &sentinel{msg: "frame: no answer from the portal", kind: KindNoAnswer}
	// ErrClosed: the Frame was closed.
	ErrClosed = errors.New("frame: closed")
)

// NoAnswerError says which command went unanswered. For getInitData it also
// matches ErrNotInBitrix24: nobody speaking the protocol is above us.
type NoAnswerError struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Command string
	Timeout time.Duration
}

func (e *NoAnswerError) Error() string {
	return "frame: no answer from the portal to " + e.Command + " within " + e.Timeout.String()
}

// Is matches ErrNoAnswer, and ErrNotInBitrix24 for getInitData.
func (e *NoAnswerError) Is(target error) bool {
	return target == ErrNoAnswer || (target == ErrNotInBitrix24 && e.Command == cmdGetInitData)
}
