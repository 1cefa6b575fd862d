package install

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/l10n/catalog"
	"github.com/pinall/pinall/internal/minijson"
)

type fixedToken string

func (t fixedToken) Token(context.Context) (b24.Token, error) {
	return b24.Token{AccessToken: string(t)}, nil
}
func (t fixedToken) Refresh(context.Context, b24.Token) (b24.Token, error) {
	return b24.Token{}, errors.New("no refresh in this test")
}

// portal starts a dev portal and a client acting as user (1 is an admin).
func portal(t *testing.T, user int) (*devportal.Portal, *b24.Client) {
	t.Helper()
	p, err := devportal.Start(devportal.Config{Install: true})
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	c, err := b24.New(p.PortalURL()+"/rest", b24.WithTokenSource(fixedToken(p.IssueToken(user))),
		b24.WithRetryPolicy(b24.RetryPolicy{MaxRetries: -1}))
	require.NoError(t, err)
	return p, c
}

const handler = "https://app.example/pinall/index.html"

func TestHandlerURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:4000/install.html?DOMAIN=x&APP_SID=y":   "http://127.0.0.1:4000/index.html",
		"https://cdn.example/apps/pinall/install.html#top":        "https://cdn.example/apps/pinall/index.html",
		"https://cdn.example/apps/pinall/":                        "https://cdn.example/apps/pinall/index.html",
		"https://cdn.example":                                     "https://cdn.example/index.html",
		"https://cdn.example/a/index.html?install.html/../x.html": "https://cdn.example/a/index.html",
	} {
		got, err := handlerURL(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "file:///x/install.html", "about:blank", "https:///x", "javascript:alert(1)"} {
		_, err := handlerURL(bad)
		assert.ErrorIs(t, err, errNoHandler, bad)
	}
}

func TestBindParamsOfAPlacement(t *testing.T) {
	enc := bindParams(Wanted[1], handler).Encode()
	for _, want := range []string{
		"PLACEMENT=IM_SIDEBAR", "HANDLER=https%3A%2F%2Fapp.example%2Fpinall%2Findex.html", "TITLE=Pin+All",
		"OPTIONS%5BiconName%5D=fa-thumbtack", "OPTIONS%5Bcontext%5D=LINES",
		"LANG_ALL%5Ben%5D%5BTITLE%5D=Pin+All", "LANG_ALL%5Bru%5D%5BTITLE%5D=",
		"LANG_ALL%5Bru%5D%5BDESCRIPTION%5D=",
	} {
		assert.Contains(t, enc, want)
	}
	assert.NotContains(t, bindParams(Wanted[0], handler).Encode(), "context", "the navigation panel is not a chat")
	// The default title and description, shown where the portal's language
	// has none, are the English ones, once.
	q, err := url.ParseQuery(enc)
	require.NoError(t, err)
	en := placementNames(t, "en")
	assert.Equal(t, []string{en.Title}, q["TITLE"])
	assert.Equal(t, []string{en.Description}, q["DESCRIPTION"])
}

func placementNames(t *testing.T, lang string) catalog.Placement {
	t.Helper()
	for _, n := range catalog.Placements() {
		if n.Lang == lang {
			return n
		}
	}
	t.Fatalf("no placement names in %s", lang)
	return catalog.Placement{}
}

func TestFirstInstallBindsBoth(t *testing.T) {
	p, c := portal(t, 1)
	outs, err := run(context.Background(), c, handler)
	require.NoError(t, err)
	assert.Equal(t, []Outcome{{"IM_NAVIGATION", bound, nil}, {"IM_SIDEBAR", bound, nil}}, outs)
	assert.True(t, allOK(outs))
	got := p.Placements()
	require.Len(t, got, 2)
	side := got[1]
	assert.Equal(t, "IM_SIDEBAR", side.Placement)
	assert.Equal(t, handler, side.Handler)
	assert.Equal(t, "Pin All", side.Title)
	assert.Equal(t, map[string]any{"iconName": iconName, "context": "LINES"}, side.Options)
	assert.Equal(t, "Закрепить все", side.LangAll["ru"].(map[string]any)["TITLE"])
	assert.Equal(t, map[string]any{"iconName": iconName}, got[0].Options)
}

func TestReinstallKeepsTheBindings(t *testing.T) {
	p, c := portal(t, 1)
	_, err := run(context.Background(), c, handler)
	require.NoError(t, err)
	outs, err := run(context.Background(), c, handler)
	require.NoError(t, err)
	assert.Equal(t, []Outcome{{"IM_NAVIGATION", already, nil}, {"IM_SIDEBAR", already, nil}}, outs)
	assert.Len(t, p.Placements(), 2, "no duplicate, nothing unbound")
	for _, r := range p.Requests() {
		assert.NotEqual(t, methodUnbind, r.Method)
	}
}

func TestMovedAppIsRebound(t *testing.T) {
	p, c := portal(t, 1)
	_, err := run(context.Background(), c, "https://old.example/index.html")
	require.NoError(t, err)
	outs, err := run(context.Background(), c, handler)
	require.NoError(t, err)
	assert.Equal(t, []Outcome{{"IM_NAVIGATION", rebound, nil}, {"IM_SIDEBAR", rebound, nil}}, outs)
	got := p.Placements()
	require.Len(t, got, 2)
	for _, b := range got {
		assert.Equal(t, handler, b.Handler)
	}
}

// An administrator removed one of the two bindings: the other is left alone,
// the missing one is bound again.
func TestOneMissingPlacementIsBoundAgain(t *testing.T) {
	for i, s := range Wanted {
		p, c := portal(t, 1)
		_, err := run(context.Background(), c, handler)
		require.NoError(t, err)
		_, err = c.Call(context.Background(), methodUnbind, b24.Params{}.Add("PLACEMENT", s.Placement).Add("HANDLER", handler))
		require.NoError(t, err)
		require.Len(t, p.Placements(), 1)
		outs, err := run(context.Background(), c, handler)
		require.NoError(t, err)
		want := []Outcome{{"IM_NAVIGATION", already, nil}, {"IM_SIDEBAR", already, nil}}
		want[i].Result = bound
		assert.Equal(t, want, outs)
		assert.Len(t, p.Placements(), 2, s.Placement)
	}
}

// No outcome at all is not a finished install.
func TestAllOKNeedsAnOutcome(t *testing.T) {
	assert.False(t, allOK(nil))
	assert.True(t, allOK([]Outcome{{"IM_NAVIGATION", bound, nil}}))
}

// placement.get did not show the binding (a race with another admin): the
// portal's duplicate error still means "already bound".
func TestDuplicateErrorCountsAsAlreadyBound(t *testing.T) {
	f := &fake{bindErr: &b24.APIError{Method: methodBind, Status: 400, Code: "ERROR_CORE",
		Description: "Unable to set placement handler: Handler already binded"}}
	outs, err := run(context.Background(), f, handler)
	require.NoError(t, err)
	assert.Equal(t, already, outs[0].Result)
	assert.True(t, allOK(outs))
	f.bindErr = &b24.APIError{Method: methodBind, Status: 400, Code: "ERROR_CORE", Description: "something else"}
	outs, _ = run(context.Background(), f, handler)
	assert.Equal(t, failed, outs[0].Result)
	assert.False(t, allOK(outs))
}

func TestMissingScopeFailsEveryPlacement(t *testing.T) {
	p, c := portal(t, 1)
	p.SetScopes("imopenlines")
	outs, err := run(context.Background(), c, handler)
	require.ErrorIs(t, err, b24.ErrInsufficientScope)
	require.Len(t, outs, 2)
	for _, o := range outs {
		assert.Equal(t, failed, o.Result)
		assert.ErrorIs(t, o.Err, b24.ErrInsufficientScope)
	}
	assert.Empty(t, p.Placements())
}

func TestNotAnAdministrator(t *testing.T) {
	p, c := portal(t, 2)
	outs, err := run(context.Background(), c, handler)
	require.ErrorIs(t, err, b24.ErrAccessDenied)
	assert.False(t, allOK(outs))
	assert.Empty(t, p.Placements())
}

func TestParseBindingsIsTolerant(t *testing.T) {
	v, err := minijson.Parse([]byte(`{"0":{"PLACEMENT":"im_sidebar","HANDLER":"h"},"1":{"placement":"IM_NAVIGATION","handler":"g"}}`))
	require.NoError(t, err)
	assert.Equal(t, []binding{{"IM_SIDEBAR", "h"}, {"IM_NAVIGATION", "g"}}, parseBindings(v))
	for _, s := range []string{`[]`, `null`, `false`, `"x"`} {
		v, _ := minijson.Parse([]byte(s))
		assert.Empty(t, parseBindings(v), s)
	}
}

type fake struct{ bindErr error }

func (f *fake) Call(_ context.Context, method string, _ b24.Params) (minijson.Value, error) {
	if method == methodBind && f.bindErr != nil {
		return minijson.Value{}, f.bindErr
	}
	if method == methodGet {
		return minijson.Parse([]byte("[]"))
	}
	return minijson.Parse([]byte("true"))
}

func TestNotAdminIsSaid(t *testing.T) {
	for lang, want := range map[string]string{"en": "administrator", "ru": "администратор"} {
		p := l10n.Explain(words(t, lang), fmt.Errorf("start: %w", ErrNotAdmin))
		assert.Equal(t, KindNotAdmin, p.Key)
		assert.Contains(t, p.Message, want)
	}
}

// words are the catalogue's words for a portal's LANG.
func words(t *testing.T, lang string) l10n.Lang {
	t.Helper()
	l, _, err := catalog.For(lang)
	require.NoError(t, err)
	return l
}

// Every catalogue present names the widget in LANG_ALL under its LANGs.
func TestBindParamsNameTheWidgetInEveryLanguage(t *testing.T) {
	enc := bindParams(Wanted[1], handler).Encode()
	for _, p := range l10n.Portals() {
		if p.Lang == "by" || !catalog.Has(p.Catalog) {
			continue
		}
		assert.Contains(t, enc, "LANG_ALL%5B"+p.Lang+"%5D%5BTITLE%5D=", p.Lang)
	}
	assert.NotContains(t, enc, "LANG_ALL%5Bby%5D", "by is not a Bitrix24 LANG")
}
