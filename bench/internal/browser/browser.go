//go:build !js

// Package browser drives headless Chromium for the bench: a fresh browser
// context per tab, the app's cross-site iframe reached before its document
// runs (to inject observer.js), page loads measured inside the iframe, real
// mouse clicks, memory and CPU profiles of the iframe's renderer.
package browser

import (
	"context"
	"fmt"
	"os"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/pinall/pinall/internal/chromium"
)

// Options choose how the browser is started.
type Options struct {
	// StorageRefused turns third-party storage partitioning off: Chromium
	// then refuses Cache Storage to the cross-site app frame, as a private
	// window or blocked third-party cookies do.
	StorageRefused bool
	// JSFlags are V8 flags for experiments (--js-flags).
	JSFlags string
}

// Browser is one headless Chromium with the project's flags
// (internal/chromium).
type Browser struct {
	ctx  context.Context
	stop func()
}

// Start starts Chromium.
func Start(o Options) (*Browser, error) {
	path, err := chromium.Path()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pinall-bench-chromium-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(dir)}
	opts = append(opts, chromium.Flags()...)
	opts = append(opts, chromedp.WindowSize(1440, 1200))
	if o.StorageRefused {
		opts = append(opts, chromium.StorageRefused())
	}
	if o.JSFlags != "" {
		opts = append(opts, chromedp.Flag("js-flags", o.JSFlags))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	stop := func() { bcancel(); acancel(); os.RemoveAll(dir) }
	if err := chromedp.Do(bctx); err != nil {
		stop()
		return nil, fmt.Errorf("start chromium (%s): %w", path, err)
	}
	return &Browser{ctx: bctx, stop: stop}, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() { b.stop() }

// Version is the browser's product and user agent.
func (b *Browser) Version() string {
	v, err := chromedp.CallBrowser(b.ctx, browser.GetVersion, struct{}{})
	if err != nil {
		return "unknown"
	}
	return v.Product + " (" + v.UserAgent + ")"
}
