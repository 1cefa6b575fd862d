package devportal

import (
	"strings"
	"time"
)

// methodDef is one REST method of the fake portal.
type methodDef struct {
	scope     string // required app scope, "" for the basic methods
	admin     bool   // only an administrator may call it
	oauthOnly bool   // refused for a webhook (WRONG_AUTH_TYPE)
	fn        func(p *Portal, c caller, params *obj) (any, *methodError)
}

var methods map[string]methodDef

func init() {
	methods = map[string]methodDef{
		"imopenlines.session.mode.pinAll":   {scope: "imopenlines", fn: pinAll(true)},
		"imopenlines.session.mode.unpinAll": {scope: "imopenlines", fn: pinAll(false)},
		"imopenlines.session.mode.pin":      {scope: "imopenlines", fn: pinOne},
		"imopenlines.dialog.get":            {scope: "imopenlines", fn: dialogGet},
		"placement.bind":                    {scope: "placement", admin: true, oauthOnly: true, fn: placementBind},
		"placement.unbind":                  {scope: "placement", admin: true, oauthOnly: true, fn: placementUnbind},
		"placement.get":                     {scope: "placement", admin: true, fn: placementGet},
		"placement.list":                    {scope: "placement", fn: placementList},
		"app.info":                          {fn: appInfo},
		"profile":                           {fn: profile},
		"server.time":                       {fn: serverTime},
		"scope":                             {fn: scopeList},
		"batch":                             {}, // dispatched in invoke: it needs the limits per inner call
	}
}

func pinAll(pin bool) func(*Portal, caller, *obj) (any, *methodError) {
	return func(p *Portal, c caller, _ *obj) (any, *methodError) {
		return p.model.setPinnedAll(c.user, pin), nil
	}
}

func pinOne(p *Portal, c caller, params *obj) (any, *methodError) {
	act := strings.ToUpper(params.str("ACTIVATE"))
	pin := !(act == "N" || act == "0" || act == "FALSE")
	return p.model.pinChat(c.user, params.str("CHAT_ID"), pin)
}

func dialogGet(p *Portal, c caller, params *obj) (any, *methodError) {
	return p.model.dialog(c.user, dialogQuery{
		ChatID: params.str("CHAT_ID"), DialogID: params.str("DIALOG_ID"),
		SessionID: params.str("SESSION_ID"), UserCode: params.str("USER_CODE"),
	})
}

func appInfo(p *Portal, _ caller, _ *obj) (any, *methodError) {
	return map[string]any{
		"ID": 7, "CODE": "local.pinall", "VERSION": 1, "STATUS": "L",
		"INSTALLED": p.Installed(), "PAYMENT_EXPIRED": "N", "DAYS": nil,
		"LICENSE": "en_project", "LICENSE_TYPE": "project", "LICENSE_FAMILY": "project",
	}, nil
}

func profile(p *Portal, c caller, _ *obj) (any, *methodError) {
	u, _ := p.model.user(c.user)
	first, last, _ := strings.Cut(u.Name, " ")
	return map[string]any{
		"ID": c.user, "ADMIN": u.IsAdmin, "NAME": first, "LAST_NAME": last,
		"PERSONAL_GENDER": "", "TIME_ZONE": "", "TIME_ZONE_OFFSET": 0,
	}, nil
}

func serverTime(*Portal, caller, *obj) (any, *methodError) {
	return time.Now().Format(atom), nil
}

func scopeList(p *Portal, _ caller, _ *obj) (any, *methodError) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string{}, p.scopes...), nil
}

// invoke runs one REST method for c, applying the scope, admin, rate and
// operating-time rules. Batch calls it once per inner command (inBatch), so
// each inner call counts against the limits.
func (p *Portal) invoke(method string, c caller, params *obj, inBatch bool) (any, timeInfo, *methodError) {
	def, ok := methods[method]
	if !ok {
		return nil, timeInfo{}, &methodError{Status: 404, Code: "ERROR_METHOD_NOT_FOUND", Desc: "Method not found!"}
	}
	if method == "batch" && inBatch {
		return nil, timeInfo{}, &methodError{Status: 400, Code: "ERROR_BATCH_METHOD_NOT_ALLOWED", Desc: "Method is not allowed for batch usage"}
	}
	if def.scope != "" && !p.hasScope(def.scope) {
		// 403: the docs' error table and RFC 6750 section 3.1 both give 403
		// for insufficient_scope; clients branch on the code, never the status.
		return nil, timeInfo{}, &methodError{Status: 403, Code: "insufficient_scope", Desc: "The request requires higher privileges than provided by the access token"}
	}
	if def.oauthOnly && c.webhook {
		return nil, timeInfo{}, &methodError{Status: 403, Code: "WRONG_AUTH_TYPE", Desc: "Current authorization type is denied for this method"}
	}
	if def.admin {
		if u, _ := p.model.user(c.user); !u.IsAdmin {
			return nil, timeInfo{}, &methodError{Status: 403, Code: "ACCESS_DENIED", Desc: "Access denied! Administrator rights required"}
		}
	}
	if method == "batch" {
		// The batch envelope itself is not charged; its commands are.
		start := time.Now()
		res, merr := p.batch(c, params)
		return res, timeInfo{processing: time.Since(start), resetAt: time.Now().Add(p.cfg.OperatingWindow)}, merr
	}
	if !p.buckets.take(c.ip) {
		return nil, timeInfo{}, &methodError{Status: 503, Code: "QUERY_LIMIT_EXCEEDED", Desc: "Too many requests"}
	}
	if blocked, reset := p.operating.blocked(method); blocked {
		return nil, timeInfo{}, &methodError{Status: 429, Code: "OPERATION_TIME_LIMIT",
			Desc:  "Method is blocked due to operation time limit.",
			extra: map[string]any{"operating_reset_at": reset.Unix()}}
	}
	start := time.Now()
	res, merr := def.fn(p, c, params)
	processing := time.Since(start)
	p.mu.Lock()
	cost := processing + p.latency + p.cfg.OperatingCost
	p.mu.Unlock()
	p.operating.add(method, cost)
	spent, reset := p.operating.state(method)
	return res, timeInfo{processing: processing, operating: spent, resetAt: reset}, merr
}
