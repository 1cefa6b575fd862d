//go:build !js

package main

import (
	"fmt"
	"time"

	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/internal/devportal"
)

// fresh is a tab in a fresh browser context (empty HTTP cache, code cache,
// Cache Storage and connections) on a portal reset to its seed data.
type fresh struct {
	*browser.Tab
	p *devportal.Portal
}

// newFresh resets p and opens a tab on it; close closes the tab and resets p
// again.
func newFresh(b *browser.Browser, p *devportal.Portal) (*fresh, error) {
	p.Reset()
	t, err := b.NewTab()
	if err != nil {
		return nil, err
	}
	return &fresh{Tab: t, p: p}, nil
}

func (f *fresh) close() {
	f.Tab.Close()
	f.p.Reset()
}

// open loads the portal's page of user, the app in its frame, and waits for
// the app's ready, and then for the wasm to be stored (Load.WaitStored):
// the next open in this context is a user's coming back, not a reload in
// the same second.
func (f *fresh) open(user int) (*browser.Load, error) {
	l, err := f.Load(fmt.Sprintf("%s/?user=%d", f.p.PortalURL(), user), f.p.AppURL())
	if err != nil {
		return nil, err
	}
	if err := l.WaitStored(5 * time.Second); err != nil {
		return nil, err
	}
	return l, nil
}
