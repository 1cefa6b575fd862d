//go:build !js

// Package chromium holds the one set of flags every headless Chromium of the
// project starts with: the end-to-end tests, the bench and the screenshots.
package chromium

import (
	"errors"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// Path is the Chromium binary on PATH.
func Path() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("chromium is not on PATH: run make chromium")
}

// Flags are headless Chromium's flags for this project: quiet and
// deterministic, and nothing that weakens security. Site isolation and web
// security stay on, so the app runs in its own renderer as an
// out-of-process iframe, with the browser's real origin checks, as in a
// portal. Callers add the binary, a fresh user data dir and a window size.
func Flags() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		// Without these Chromium keeps trying a network it has not got.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// A page in a background tab keeps its timers and its frames.
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("force-color-profile", "srgb"),
	}
}

// StorageRefused is the flag that makes a cross-site frame's storage
// refused, as a private window, blocked third-party cookies or Playwright's
// default launch do: with third-party storage partitioning off, caches.open
// throws SecurityError in the app's frame.
func StorageRefused() chromedp.ExecAllocatorOption {
	return chromedp.Flag("disable-features", "ThirdPartyStoragePartitioning")
}
