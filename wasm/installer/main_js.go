//go:build js && wasm

// Command installer runs on install.html while the portal says INSTALL:
// it binds the widget's placements and then finishes the installation. It
// is a program of its own so the widget's download carries none of it.
//
// Wiring only: the installer's behaviour is internal/install's Installer,
// plain Go; this builds the js page, frame and transport for it.
package main

import (
	"context"

	"github.com/pinall/pinall/internal/frame"
	"github.com/pinall/pinall/internal/host"
	"github.com/pinall/pinall/internal/install"
	"github.com/pinall/pinall/internal/jsfetch"
	"github.com/pinall/pinall/internal/jsutil"
	"github.com/pinall/pinall/internal/view"
)

func main() {
	hp, err := host.Read()
	var page *view.InstallView
	if err == nil {
		page, err = view.NewInstall()
	}
	if err != nil {
		host.Fail(err)
		select {}
	}
	// The loader asked the portal for the init data while the wasm loaded;
	// Open takes that answer, or asks now if the loader could not.
	f, ferr := frame.Open(context.Background(), frame.Asked(hp.Asked))
	in := install.NewInstaller(install.Deps{
		Page: page,
		OpenFrame: func(context.Context) (install.Frame, error) {
			if ferr != nil {
				return nil, ferr
			}
			f.FitTo(page.ContentHeight)
			return f, nil
		},
		Transport: &jsfetch.Transport{},
		Lang:      hp.Lang,
		PageURL:   hp.PageURL,
	})
	jsutil.SetPanicHandler(in.Recovered)
	jsutil.Go(func() { in.Start(context.Background()) })
	select {} // keep the runtime alive for the callbacks
}
