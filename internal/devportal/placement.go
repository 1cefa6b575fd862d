package devportal

import "strings"

// PlacementBinding is one placement.bind registration.
type PlacementBinding struct {
	Placement   string         `json:"placement"`
	Handler     string         `json:"handler"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Options     map[string]any `json:"options"`
	LangAll     map[string]any `json:"langAll"`
}

func placementBind(p *Portal, _ caller, params *obj) (any, *methodError) {
	b := PlacementBinding{
		Placement:   strings.ToUpper(params.str("PLACEMENT")),
		Handler:     params.str("HANDLER"),
		Title:       params.str("TITLE"),
		Description: params.str("DESCRIPTION"),
	}
	if o, ok := params.get("OPTIONS").(*obj); ok {
		b.Options, _ = plain(o).(map[string]any)
	}
	if o, ok := params.get("LANG_ALL").(*obj); ok {
		b.LangAll, _ = plain(o).(map[string]any)
	}
	for _, arg := range []struct{ name, val string }{{"PLACEMENT", b.Placement}, {"HANDLER", b.Handler}} {
		if arg.val == "" {
			return nil, &methodError{Status: 400, Code: "ERROR_ARGUMENT",
				Desc: "Argument '" + arg.name + "' is null or empty", extra: map[string]any{"argument": arg.name}}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, x := range p.placements {
		if x.Placement == b.Placement && x.Handler == b.Handler {
			// The real module refuses a duplicate with ERROR_CORE and this
			// text (from its source; not in the docs' table: UNCONFIRMED).
			return nil, badRequest("ERROR_CORE", "Unable to set placement handler: Handler already binded")
		}
	}
	p.placements = append(p.placements, b)
	return true, nil
}

func placementUnbind(p *Portal, _ caller, params *obj) (any, *methodError) {
	placement := strings.ToUpper(params.str("PLACEMENT"))
	handler := params.str("HANDLER")
	if placement == "" {
		return nil, &methodError{Status: 400, Code: "ERROR_ARGUMENT",
			Desc: "Argument 'PLACEMENT' is null or empty", extra: map[string]any{"argument": "PLACEMENT"}}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	kept := p.placements[:0]
	count := 0
	for _, x := range p.placements {
		if x.Placement == placement && (handler == "" || x.Handler == handler) {
			count++
			continue
		}
		kept = append(kept, x)
	}
	p.placements = kept
	return map[string]any{"count": count}, nil
}

func placementGet(p *Portal, _ caller, _ *obj) (any, *methodError) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := []map[string]any{}
	for _, x := range p.placements {
		out = append(out, map[string]any{
			"placement": x.Placement, "handler": x.Handler, "title": x.Title,
			"description": x.Description, "options": x.Options, "langAll": x.LangAll,
		})
	}
	return out, nil
}

func placementList(*Portal, caller, *obj) (any, *methodError) {
	return []string{"DEFAULT", "IM_NAVIGATION", "IM_SIDEBAR", "IM_TEXTAREA", "IM_CONTEXT_MENU", "CONTACT_CENTER", "LEFT_MENU"}, nil
}

// Placements returns the current placement.bind registrations.
func (p *Portal) Placements() []PlacementBinding {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PlacementBinding(nil), p.placements...)
}
