//go:build js && wasm

package main

import (
	"context"
	"strings"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/install"
	"github.com/pinall/pinall/internal/jsfetch"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/l10n"
	"github.com/pinall/pinall/internal/view"
)

// installer runs on install.html, the page the portal shows the
// administrator while INSTALL is true: it binds the placements
// (internal/install), shows what it did, and on the admin's click sends
// setInstallFinish, after which the portal reloads the app as installed.
type installer struct {
	view  *view.InstallView
	lang  l10n.Lang
	frame *frame.Frame

	mu       sync.Mutex
	finishOn bool // the finish button works
	done     bool // setInstallFinish sent

	fitter *frame.Fitter // nil until the frame is open
}

func (in *installer) start(ctx context.Context) {
	v, err := view.NewInstall()
	if err != nil {
		jsutil.ConsoleError("pinall: " + err.Error())
		return
	}
	in.view = v
	in.lang = l10n.Pick(jsutil.QueryParam("LANG"))
	in.label()
	f, err := frame.Open(ctx)
	if err != nil {
		in.fail(err, nil)
		return
	}
	in.frame = f
	in.fitter = f.NewFitter(in.view.ContentHeight)
	init, err := f.InitData(ctx)
	if err != nil {
		in.fail(err, nil)
		return
	}
	in.lang = l10n.Pick(init.Lang)
	in.label()
	x := l10n.InstallTextsFor(in.lang)
	if _, err := jsutil.AddEventListener(v.FinishButton(), "click", func(safejs.Value) { in.finish() }); err != nil {
		in.fail(err, nil)
		return
	}
	if !init.IsAdmin {
		in.fail(install.ErrNotAdmin, nil)
		return
	}
	handler, err := install.HandlerURL(locationHref())
	if err != nil {
		in.fail(err, nil)
		return
	}
	endpoint, err := b24.EndpointFromFrame(init.Domain, init.Protocol, init.Path)
	if err != nil {
		in.fail(err, nil)
		return
	}
	client, err := b24.New(endpoint, b24.WithTransport(&jsfetch.Transport{}), b24.WithTokenSource(f))
	if err != nil {
		in.fail(err, nil)
		return
	}
	_ = v.SetStatus(x.Busy)
	_ = v.SetState(view.Busy, false)
	in.fit()

	outs, _ := install.Run(ctx, client, handler)
	in.show(outs)
	if !install.AllOK(outs) {
		in.fail(firstFailure(outs), outs)
		return
	}
	_ = v.SetError("")
	if !init.Install {
		// Opened again after the installation: the bindings are checked,
		// and the portal would drop a second setInstallFinish.
		_ = v.SetStatus(x.NotInstalling)
		_ = v.SetState(view.Done, false)
		in.fit()
		return
	}
	_ = v.SetStatus(x.AllDone)
	in.setFinish(true)
	_ = v.SetState(view.Done, true)
	in.fit()
}

func (in *installer) label() {
	x := l10n.InstallTextsFor(in.lang)
	_ = in.view.SetLabels(view.InstallLabels{Lang: string(in.lang), Title: x.Title, Hint: x.Hint,
		ListTitle: x.ListTitle, Finish: x.Finish})
}

// show lists the placements and their results.
func (in *installer) show(outs []install.Outcome) {
	x := l10n.InstallTextsFor(in.lang)
	said := map[install.Result]string{install.Bound: x.Bound, install.Already: x.Already,
		install.Rebound: x.Rebound, install.Failed: x.Failed}
	rows := make([]view.PlacementRow, 0, len(outs))
	for _, o := range outs {
		rows = append(rows, view.PlacementRow{Placement: o.Placement, Result: string(o.Result),
			Name: x.PlacementName(o.Placement), Said: said[o.Result]})
	}
	_ = in.view.SetPlacements(rows)
}

func firstFailure(outs []install.Outcome) error {
	for _, o := range outs {
		if o.Err != nil {
			return o.Err
		}
	}
	return nil
}

// fail shows why the installer could not do everything. With outcomes (a
// placement failed, the app still works from its own page) the admin may
// finish anyway; before any (not an admin, no frame) there is nothing to finish.
func (in *installer) fail(err error, outs []install.Outcome) {
	words := []string{}
	seen := map[string]bool{}
	for _, o := range outs {
		if o.Err == nil {
			continue
		}
		p := l10n.Explain(in.lang, o.Err)
		jsutil.ConsoleError("pinall: install " + o.Placement + ": " + p.Log)
		if !seen[p.Message] {
			seen[p.Message] = true
			words = append(words, p.Message)
		}
	}
	if len(words) == 0 && err != nil {
		p := l10n.Explain(in.lang, err)
		jsutil.ConsoleError("pinall: install: " + p.Log)
		words = append(words, p.Message)
	}
	finishOn := len(outs) > 0 && in.frame != nil
	status := ""
	if finishOn {
		status = l10n.InstallTextsFor(in.lang).SomeFailed
	}
	_ = in.view.SetStatus(status)
	_ = in.view.SetError(strings.Join(words, "\n"))
	in.setFinish(finishOn)
	_ = in.view.SetState(view.Error, finishOn)
	in.fit()
}

func (in *installer) setFinish(on bool) {
	in.mu.Lock()
	in.finishOn = on
	in.mu.Unlock()
}

// finish sends setInstallFinish once; the portal answers by reloading the app.
func (in *installer) finish() {
	in.mu.Lock()
	if !in.finishOn || in.done {
		in.mu.Unlock()
		return
	}
	in.done = true
	in.mu.Unlock()
	if err := in.frame.SetInstallFinish(); err != nil {
		in.mu.Lock()
		in.done = false
		in.mu.Unlock()
		in.fail(err, nil)
		return
	}
	_ = in.view.SetStatus(l10n.InstallTextsFor(in.lang).Finishing)
	_ = in.view.SetState(view.Finished, false)
}

// recovered is the installer's panic boundary.
func (in *installer) recovered(err error) {
	if in.view == nil {
		jsutil.ConsoleError("pinall: " + err.Error())
		return
	}
	in.fail(err, nil)
}

// fit sizes the frame to the content (one resizeWindow at a time).
func (in *installer) fit() {
	if in.fitter != nil {
		in.fitter.Fit()
	}
}

// locationHref is the page's own URL.
func locationHref() string {
	loc, err := safejs.Global().Get("location")
	if err != nil {
		return ""
	}
	h, err := loc.Get("href")
	if err != nil {
		return ""
	}
	s, _ := h.String()
	return s
}
