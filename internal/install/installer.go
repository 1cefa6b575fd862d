package install

import (
	"context"
	"strings"
	"sync"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/startup"
	"github.com/pinall/pinall/internal/view"
)

// Page is the installer's page (widget/install.html; internal/view's
// InstallView implements it and logs its own DOM failures).
type Page interface {
	SetLabels(view.InstallLabels)
	ListenFinish(fn func()) error
	SetState(s view.State, finishOn bool)
	SetStatus(text string)
	SetError(text string) // "" clears it
	SetPlacements(rows []view.PlacementRow)
	Log(msg string) // for developers (the console)
}

// Frame is the portal frame as the installer uses it.
type Frame interface {
	startup.Frame
	SetInstallFinish() error // no reply: the portal reloads the app
}

// Deps are what the js wiring (wasm/installer/main_js.go) hands the installer.
type Deps struct {
	Page Page
	// OpenFrame opens the portal frame.
	OpenFrame func(context.Context) (Frame, error)
	Transport b24.Transport // nil: b24's default (native only)
	Lang      l10n.Lang     // the page's words (its host's, internal/host)
	PageURL   string        // the page's own address, for the HANDLER (handlerURL)
}

// Installer runs install.html, the page the portal shows the administrator
// while INSTALL is true: it binds the placements (run), shows what it did,
// and on the admin's click sends setInstallFinish, after which the portal
// reloads the app as installed. Its mu follows internal/widget's rule (see
// widget.Widget): held over state and page writes, never over a wait.
type Installer struct {
	deps Deps
	page Page

	mu       sync.Mutex
	lang     l10n.Lang
	frame    Frame // nil until it opened
	finishOn bool  // the finish button works
	done     bool  // setInstallFinish sent
}

// NewInstaller returns an installer that has not started.
func NewInstaller(d Deps) *Installer {
	return &Installer{deps: d, page: d.Page, lang: d.Lang}
}

// Start binds the placements and shows the outcome; the admin finishes.
func (in *Installer) Start(ctx context.Context) {
	in.mu.Lock()
	in.label()
	err := in.page.ListenFinish(in.finish)
	in.mu.Unlock()
	if err != nil {
		in.locked(func() bool { in.fail(err, nil); return false })
		return
	}
	p, err := startup.Start(ctx, in.deps.OpenFrame, in.deps.Transport)
	var handler string
	ok := in.locked(func() bool {
		in.frame = p.Frame
		if err == nil && !p.Init.IsAdmin {
			err = ErrNotAdmin
		}
		if err == nil {
			handler, err = handlerURL(in.deps.PageURL)
		}
		if err != nil {
			in.fail(err, nil)
			return false
		}
		in.page.SetStatus(l10n.InstallTextsFor(in.lang).Busy)
		in.page.SetState(view.Busy, false)
		in.fit()
		return true
	})
	if !ok {
		return
	}

	outs, _ := run(ctx, p.Client, handler) // its error is in every outcome too
	in.mu.Lock()
	defer in.mu.Unlock()
	in.show(outs)
	if !allOK(outs) {
		in.fail(firstFailure(outs), outs)
		return
	}
	x := l10n.InstallTextsFor(in.lang)
	in.page.SetError("")
	if !p.Init.Install {
		// Opened again after the installation: the bindings are checked,
		// and the portal would drop a second setInstallFinish.
		in.page.SetStatus(x.NotInstalling)
		in.page.SetState(view.Done, false)
		in.fit()
		return
	}
	in.page.SetStatus(x.AllDone)
	in.finishOn = true
	in.page.SetState(view.Done, true)
	in.fit()
}

// locked runs fn with mu held.
func (in *Installer) locked(fn func() bool) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return fn()
}

// label writes the page's texts. mu is held.
func (in *Installer) label() {
	x := l10n.InstallTextsFor(in.lang)
	in.page.SetLabels(view.InstallLabels{Title: x.Title, Hint: x.Hint,
		ListTitle: x.ListTitle, Finish: x.Finish})
}

// show lists the placements and their results. mu is held.
func (in *Installer) show(outs []Outcome) {
	x := l10n.InstallTextsFor(in.lang)
	said := map[Result]string{bound: x.Bound, already: x.Already, rebound: x.Rebound, failed: x.Failed}
	rows := make([]view.PlacementRow, 0, len(outs))
	for _, o := range outs {
		rows = append(rows, view.PlacementRow{Placement: o.Placement, Result: string(o.Result),
			Name: x.PlacementName(o.Placement), Said: said[o.Result]})
	}
	in.page.SetPlacements(rows)
}

func firstFailure(outs []Outcome) error {
	for _, o := range outs {
		if o.Err != nil {
			return o.Err
		}
	}
	return nil
}

// fail shows why the installer could not do everything. With outcomes (a
// placement failed, the app still works from its own page) the admin may
// finish anyway; before any (not an admin, no frame) there is nothing to
// finish. mu is held.
func (in *Installer) fail(err error, outs []Outcome) {
	words := []string{}
	seen := map[string]bool{}
	for _, o := range outs {
		if o.Err == nil {
			continue
		}
		p := l10n.Explain(in.lang, o.Err)
		in.page.Log("pinall: install " + o.Placement + ": " + p.Log)
		if !seen[p.Message] {
			seen[p.Message] = true
			words = append(words, p.Message)
		}
	}
	if len(words) == 0 && err != nil {
		p := l10n.Explain(in.lang, err)
		in.page.Log("pinall: install: " + p.Log)
		words = append(words, p.Message)
	}
	in.finishOn = len(outs) > 0 && in.frame != nil
	status := ""
	if in.finishOn {
		status = l10n.InstallTextsFor(in.lang).SomeFailed
	}
	in.page.SetStatus(status)
	in.page.SetError(strings.Join(words, "\n"))
	in.page.SetState(view.Error, in.finishOn)
	in.fit()
}

// finish sends setInstallFinish once; the portal answers by reloading the
// app. It runs on the JS event loop.
func (in *Installer) finish() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.finishOn || in.done {
		return
	}
	if err := in.frame.SetInstallFinish(); err != nil {
		in.fail(err, nil)
		return
	}
	in.done = true
	in.page.SetStatus(l10n.InstallTextsFor(in.lang).Finishing)
	in.page.SetState(view.Finished, false)
}

// Recovered is the installer's panic boundary handler.
func (in *Installer) Recovered(err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.fail(err, nil)
}

// fit sizes the frame to the content. mu is held.
func (in *Installer) fit() {
	if in.frame != nil {
		in.frame.Fit()
	}
}
