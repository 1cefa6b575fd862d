// Package install is the installer's logic in plain Go: which placements Pin
// All binds, with which parameters, and how a reinstall is told from a first
// install; and the installer page's behaviour (installer.go). wasm/installer
// only wires the page and the frame to it, so everything here is tested
// natively.
//
// The flow: placement.get once; for each wanted placement, skip it when our
// handler is already bound there, unbind a stale handler of ours (an older
// address of the app) and bind again, or bind it. A reinstall never fails
// the install: "Handler already binded" counts as already bound.
package install

import (
	"context"
	"errors"
	"strings"

	"github.com/pinall/pinall/internal/ascii"
	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/l10n/catalog"
	"github.com/pinall/pinall/internal/minijson"
)

// The REST methods of scope placement the installer uses (admin only).
const (
	methodGet    = "placement.get"
	methodBind   = "placement.bind"
	methodUnbind = "placement.unbind"
)

// iconName is the Font Awesome icon the messenger shows for the widget
// (placement OPTIONS iconName, required for IM_NAVIGATION and IM_SIDEBAR).
const iconName = "fa-thumbtack"

// Spec is one placement the app binds.
type Spec struct {
	Placement string
	Context   string // OPTIONS context: "" for all, LINES for open-line chats only
}

// Wanted are the placements of Pin All: the messenger's navigation panel,
// and the sidebar of open-line chats, where the widget offers to pin or unpin
// the open dialog.
var Wanted = []Spec{
	{Placement: "IM_NAVIGATION"},
	{Placement: "IM_SIDEBAR", Context: "LINES"},
}

// Result is what happened to one placement; the strings are the installer's
// DOM contract (li[data-result]).
type Result string

// The results.
const (
	bound   Result = "bound"   // bound now
	already Result = "already" // our handler was bound there before
	rebound Result = "rebound" // a stale handler of ours was replaced
	failed  Result = "failed"  // see Outcome.Err
)

// Outcome is one placement's result.
type Outcome struct {
	Placement string
	Result    Result
	Err       error // for Failed
}

// Caller is the REST client (b24.Client).
type Caller interface {
	Call(ctx context.Context, method string, params b24.Params) (minijson.Value, error)
}

// errNoHandler means the app's own address could not be worked out.
var errNoHandler = errors.New("install: the app's address is not an http(s) URL")

// handlerURL is the widget's address for HANDLER: the page's URL with
// index.html in place of the page (install.html), no query or fragment.
func handlerURL(pageURL string) (string, error) {
	u := pageURL
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(u, "http://")
	}
	if !ok || rest == "" || rest[0] == '/' {
		return "", errNoHandler
	}
	if !strings.Contains(rest, "/") {
		return u + "/index.html", nil
	}
	return u[:strings.LastIndexByte(u, '/')+1] + "index.html", nil
}

// bindParams are placement.bind's parameters for s: the handler, the titles
// in English (the default) and in every portal language through LANG_ALL
// (every catalogue's: the installer carries them all, the widget none), the
// icon and the chat context.
func bindParams(s Spec, handler string) b24.Params {
	names := catalog.Placements()
	p := b24.Params{}.
		Add("PLACEMENT", s.Placement).
		Add("HANDLER", handler)
	for _, n := range names {
		if n.Lang == "en" {
			p = p.Add("TITLE", n.Title).Add("DESCRIPTION", n.Description)
		}
	}
	opts := b24.Params{}.Add("iconName", iconName)
	if s.Context != "" {
		opts = opts.Add("context", s.Context)
	}
	p = p.AddNested("OPTIONS", opts)
	for _, n := range names {
		p = p.AddNested("LANG_ALL", b24.Params{}.AddNested(n.Lang, b24.Params{}.
			Add("TITLE", n.Title).
			Add("DESCRIPTION", n.Description)))
	}
	return p
}

// binding is one row of placement.get.
type binding struct{ placement, handler string }

// parseBindings reads placement.get's result: a list of objects with
// placement and handler (upper-case keys accepted too). Anything else reads
// as no bindings: the bind that follows tells the truth.
func parseBindings(v minijson.Value) []binding {
	var out []binding
	str := func(o minijson.Value, k string) string {
		if s, ok := o.Field(k).Str(); ok {
			return s
		}
		s, _ := o.Field(ascii.Upper(k)).Str()
		return s
	}
	items := v.Items()
	if v.Kind() == minijson.Object {
		for _, m := range v.Members() {
			items = append(items, m.Value)
		}
	}
	for _, it := range items {
		out = append(out, binding{ascii.Upper(str(it, "placement")), str(it, "handler")})
	}
	return out
}

// run binds every wanted placement for handler and says what happened to
// each. It never stops early for one placement; err is placement.get's
// error, which fails them all (no scope, not an administrator).
func run(ctx context.Context, c Caller, handler string) ([]Outcome, error) {
	out := make([]Outcome, 0, len(Wanted))
	v, err := c.Call(ctx, methodGet, nil)
	if err != nil {
		for _, s := range Wanted {
			out = append(out, Outcome{Placement: s.Placement, Result: failed, Err: err})
		}
		return out, err
	}
	existing := parseBindings(v)
	for _, s := range Wanted {
		out = append(out, place(ctx, c, s, handler, existing))
	}
	return out, nil
}

func place(ctx context.Context, c Caller, s Spec, handler string, existing []binding) Outcome {
	o := Outcome{Placement: s.Placement, Result: bound}
	var stale []string
	for _, b := range existing {
		if b.placement != s.Placement {
			continue
		}
		if b.handler == handler {
			o.Result = already
			return o
		}
		stale = append(stale, b.handler)
	}
	for _, h := range stale {
		if _, err := c.Call(ctx, methodUnbind, b24.Params{}.Add("PLACEMENT", s.Placement).Add("HANDLER", h)); err != nil {
			o.Result, o.Err = failed, err
			return o
		}
		o.Result = rebound
	}
	if _, err := c.Call(ctx, methodBind, bindParams(s, handler)); err != nil {
		if alreadyBound(err) {
			o.Result = already
			return o
		}
		o.Result, o.Err = failed, err
	}
	return o
}

// alreadyBound: the real module refuses a duplicate handler with ERROR_CORE
// "Unable to set placement handler: Handler already binded" (from its source).
func alreadyBound(err error) bool {
	api, ok := errors.AsType[*b24.APIError](err)
	return ok && ascii.EqualFold(api.Code, "ERROR_CORE") &&
		strings.Contains(ascii.Lower(api.Description), "already")
}

// allOK tells whether every placement ended bound.
func allOK(outs []Outcome) bool {
	for _, o := range outs {
		if o.Result == failed {
			return false
		}
	}
	return len(outs) > 0
}
