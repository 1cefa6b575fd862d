//go:build !js

package install

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/view"
)

// fakePage is install.html's DOM contract as data.
type fakePage struct {
	mu       sync.Mutex
	state    view.State
	finishOn bool
	status   string
	errText  string
	labels   view.InstallLabels
	rows     []view.PlacementRow
	finish   func()
	logs     []string
}

func (p *fakePage) SetLabels(l view.InstallLabels) { p.mu.Lock(); p.labels = l; p.mu.Unlock() }
func (p *fakePage) ListenFinish(fn func()) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finish = fn
	return nil
}
func (p *fakePage) SetState(s view.State, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state, p.finishOn = s, on
}
func (p *fakePage) SetStatus(text string)                  { p.mu.Lock(); p.status = text; p.mu.Unlock() }
func (p *fakePage) SetError(text string)                   { p.mu.Lock(); p.errText = text; p.mu.Unlock() }
func (p *fakePage) SetPlacements(rows []view.PlacementRow) { p.mu.Lock(); p.rows = rows; p.mu.Unlock() }
func (p *fakePage) Log(msg string)                         { p.mu.Lock(); p.logs = append(p.logs, msg); p.mu.Unlock() }

// results are the list's data-result values.
func (p *fakePage) results() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]string{}
	for _, r := range p.rows {
		out[r.Placement] = r.Result
	}
	return out
}

// fakeFrame is the portal frame of a dev portal user.
type fakeFrame struct {
	init      frame.InitData
	token     string
	finishErr error
	mu        sync.Mutex
	finished  int
}

func (f *fakeFrame) InitData(context.Context) (frame.InitData, error) { return f.init, nil }
func (f *fakeFrame) Token(context.Context) (b24.Token, error) {
	return b24.Token{AccessToken: f.token}, nil
}
func (f *fakeFrame) Refresh(context.Context, b24.Token) (b24.Token, error) {
	return b24.Token{}, errors.New("no refresh in this test")
}
func (f *fakeFrame) Fit() {}
func (f *fakeFrame) SetInstallFinish() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.finishErr != nil {
		return f.finishErr
	}
	f.finished++
	return nil
}

const pageURL = "http://127.0.0.1:4000/pinall/install.html?DOMAIN=x"

// installer is an installer on a dev portal, as user (1 is an admin), while
// the portal says INSTALL.
func installer(t *testing.T, p *devportal.Portal, user int) (*Installer, *fakePage, *fakeFrame) {
	t.Helper()
	u, err := url.Parse(p.PortalURL())
	require.NoError(t, err)
	f := &fakeFrame{token: p.IssueToken(user), init: frame.InitData{Lang: "en", Domain: u.Host, Protocol: 0,
		Path: "/rest", IsAdmin: user == 1, Install: true}}
	page := &fakePage{}
	in := NewInstaller(Deps{
		Page:      page,
		OpenFrame: func(context.Context) (Frame, error) { return f, nil },
		Lang:      words(t, "en"),
		PageURL:   pageURL,
	})
	return in, page, f
}

const appHandler = "http://127.0.0.1:4000/pinall/index.html"

func TestInstallerAddsBothAndFinishes(t *testing.T) {
	p, _ := portal(t, 1)
	in, page, f := installer(t, p, 1)
	in.Start(context.Background())

	assert.Equal(t, map[string]string{"IM_NAVIGATION": "bound", "IM_SIDEBAR": "bound"}, page.results())
	assert.Equal(t, view.Done, page.state)
	assert.True(t, page.finishOn)
	assert.Equal(t, "Installing Pin All", page.labels.Title)
	for _, b := range p.Placements() {
		assert.Equal(t, appHandler, b.Handler, "the widget's address beside install.html")
	}

	page.finish()
	page.finish() // a second click sends nothing more
	assert.Equal(t, 1, f.finished)
	assert.Equal(t, view.Finished, page.state)
	assert.False(t, page.finishOn)
}

func TestInstallerFindsThemAlreadyBound(t *testing.T) {
	p, c := portal(t, 1)
	_, err := run(context.Background(), c, appHandler)
	require.NoError(t, err)
	in, page, _ := installer(t, p, 1)
	in.Start(context.Background())
	assert.Equal(t, map[string]string{"IM_NAVIGATION": "already", "IM_SIDEBAR": "already"}, page.results())
	assert.Equal(t, view.Done, page.state)
	assert.Empty(t, page.errText)
}

func TestInstallerUpdatesAMovedApp(t *testing.T) {
	p, c := portal(t, 1)
	_, err := run(context.Background(), c, "https://old.example/index.html")
	require.NoError(t, err)
	in, page, _ := installer(t, p, 1)
	in.Start(context.Background())
	assert.Equal(t, map[string]string{"IM_NAVIGATION": "rebound", "IM_SIDEBAR": "rebound"}, page.results())
	assert.Equal(t, view.Done, page.state)
}

func TestInstallerFailedPlacementsMayStillFinish(t *testing.T) {
	p, _ := portal(t, 1)
	p.SetScopes("imopenlines")
	in, page, f := installer(t, p, 1)
	in.Start(context.Background())

	assert.Equal(t, map[string]string{"IM_NAVIGATION": "failed", "IM_SIDEBAR": "failed"}, page.results())
	assert.Equal(t, view.Error, page.state)
	assert.NotEmpty(t, page.errText, "why, in words")
	assert.NotEmpty(t, page.status, "the app still works from its own page")
	assert.True(t, page.finishOn, "the admin may finish anyway")
	assert.Len(t, page.logs, 2, "one line per failed placement, for developers")
	page.finish()
	assert.Equal(t, 1, f.finished)
}

func TestInstallerForANonAdministrator(t *testing.T) {
	p, _ := portal(t, 1)
	in, page, f := installer(t, p, 2)
	in.Start(context.Background())
	assert.Equal(t, view.Error, page.state)
	assert.Contains(t, page.errText, "administrator")
	assert.False(t, page.finishOn, "nothing to finish")
	assert.Empty(t, p.Placements())
	page.finish()
	assert.Zero(t, f.finished)
}

func TestInstallerOpenedAgainAfterInstalling(t *testing.T) {
	p, _ := portal(t, 1)
	in, page, f := installer(t, p, 1)
	f.init.Install = false
	in.Start(context.Background())
	assert.Equal(t, view.Done, page.state, "the bindings are checked")
	assert.False(t, page.finishOn, "the portal would drop a second setInstallFinish")
	assert.Contains(t, page.status, "already installed")
}

func TestInstallerOutsideBitrix24(t *testing.T) {
	p, _ := portal(t, 1)
	in, page, _ := installer(t, p, 1)
	d := in.deps
	d.OpenFrame = func(context.Context) (Frame, error) { return nil, frame.ErrNotInBitrix24 }
	d.Lang = words(t, "ru")
	in = NewInstaller(d)
	in.Start(context.Background())
	assert.Equal(t, view.Error, page.state)
	assert.False(t, page.finishOn)
	assert.Equal(t, "Установка «Закрепить все»", page.labels.Title, "the page's language")
	assert.Contains(t, page.errText, "Битрикс24")
	assert.NotEmpty(t, page.errText)
}

func TestInstallerFinishRefused(t *testing.T) {
	p, _ := portal(t, 1)
	in, page, f := installer(t, p, 1)
	f.finishErr = errors.New("postMessage failed")
	in.Start(context.Background())
	page.finish()
	assert.Equal(t, view.Error, page.state)
	assert.NotEmpty(t, page.errText)
	assert.False(t, page.finishOn, "the frame refused: the error says what to do")
	f.finishErr = nil
	page.finish()
	assert.Zero(t, f.finished)
}

func TestInstallerRecoversAPanic(t *testing.T) {
	p, _ := portal(t, 1)
	in, page, _ := installer(t, p, 1)
	in.Recovered(errors.New("panic: boom"))
	assert.Equal(t, view.Error, page.state)
	assert.Contains(t, page.errText, "inside the widget")
}
