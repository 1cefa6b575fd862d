//go:build !js

package e2e

// Chromium in the cross-engine scenarios: the chromedp harness of
// harness_test.go (the shared browser, a fresh browser context per page, the
// app's out-of-process iframe attached as its own target, real mouse events).

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pinall/pinall/internal/devportal"
)

type chromiumEngine struct{}

func startChromium() (engine, func(), error) {
	if _, err := chromiumPath(); err != nil {
		return nil, nil, err
	}
	// The browser itself starts with the first tab (sharedBrowser) and stops
	// in TestMain, with the rest of the chromedp tests.
	return chromiumEngine{}, func() {}, nil
}

func (chromiumEngine) newPage(t *testing.T) enginePage {
	return &chromiumPage{tab: newTab(t)}
}

// chromiumPage adapts a harness tab. Its console checks are the tab's own
// (newTab's cleanup).
type chromiumPage struct {
	tab *tab
	w   *widget
}

func (c *chromiumPage) openPortal(p *devportal.Portal, query string) {
	c.w = c.tab.openPortal(p, query)
}

func (c *chromiumPage) openApp(url string) { c.w = c.tab.openApp(url) }

// awaitJSON makes any expression's value (undefined too) a JSON value.
func awaitJSON(expr string) string {
	return `(async () => { const v = await (` + expr + `); return v === undefined ? null : v; })()`
}

func chromiumEval(ctx context.Context, expr string) (json.RawMessage, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](awaitJSON(expr), chromedp.EvalAwaitPromise))
}

func (c *chromiumPage) evalApp(expr string) (json.RawMessage, error) {
	return chromiumEval(c.w.ctx, expr)
}

func (c *chromiumPage) evalPortal(expr string) (json.RawMessage, error) {
	return chromiumEval(c.tab.ctx, expr)
}

func (c *chromiumPage) click(sel string) { c.w.click(sel) }

func (c *chromiumPage) console() []consoleLine { return c.tab.console() }

func (c *chromiumPage) allowConsole(pattern string) { c.tab.allowConsole(pattern) }
