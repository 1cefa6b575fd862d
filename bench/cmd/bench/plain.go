//go:build !js

package main

import (
	"archive/zip"
	"fmt"
	"path/filepath"
	"time"

	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/bench/internal/report"
	"github.com/pinall/pinall/internal/buildjs"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/l10n"
)

// The plain host: the app's files as Bitrix24 serves an uploaded zip
// (internal/devportal/plainhost.go), over a link paced on the server.
var plainPace = devportal.Pace{Mbps: 20, RTT: 40 * time.Millisecond}

// startPlainHost serves v's zip (A, D) or v's folder as it is (B, S) as a
// plain host: revalidating (strong ETag, Cache-Control: no-cache), or with
// no cache headers at all (bare).
func startPlainHost(v *variant, bare bool) (*devportal.Portal, error) {
	cfg := devportal.Config{Pace: plainPace, NoCacheHeaders: bare, Lang: v.Lang}
	if v.zip != "" {
		cfg.AppZip = v.zip
	} else {
		cfg.WidgetDir, cfg.Plain = v.dir, true
	}
	p, err := devportal.Start(cfg)
	if err != nil {
		return nil, fmt.Errorf("plain host for %s: %w", v.Name, err)
	}
	return p, nil
}

// opens is one cold and one warm open of a peer in a fresh browser context.
func opens(b *browser.Browser, p *devportal.Portal) (cold, warm *browser.Load, err error) {
	f, err := newFresh(b, p)
	if err != nil {
		return nil, nil, err
	}
	defer f.close()
	if cold, err = f.open(user1); err != nil {
		return nil, nil, fmt.Errorf("cold open: %w", err)
	}
	if warm, err = f.open(user1); err != nil {
		return nil, nil, fmt.Errorf("warm open: %w", err)
	}
	return cold, warm, nil
}

// plainRun opens v on the revalidating host with Chromium's default storage
// rules and with storage refused, and on the host with no cache headers.
func plainRun(def, refused *browser.Browser, v *variant) error {
	m := &v.PlainHost
	for _, h := range []struct {
		name string
		b    *browser.Browser
		p    *devportal.Portal
		into *report.Opens
	}{
		{"revalidating host", def, v.reval, &m.Reval},
		{"revalidating host, storage refused", refused, v.reval, &m.Refused},
		{"no cache headers", def, v.bare, &m.Bare},
	} {
		cold, warm, err := opens(h.b, h.p)
		if err != nil {
			return fmt.Errorf("%s: %w", h.name, err)
		}
		logPlain(v.Name, h.name, cold, warm)
		h.into.Add(cold, warm)
		m.Wasm = m.Wasm || cold.Wasm.Reqs > 0
		m.Words = m.Words || cold.Words.Reqs > 0
	}
	return nil
}

func logPlain(name, host string, cold, warm *browser.Load) {
	if !verbose {
		return
	}
	fmt.Printf("plain %s (%s): cold %.0f ms %.1f KB (%d requests, wasm %.1f KB in %d, words %.1f KB in %d); warm %.0f ms %.1f KB (wasm %.1f KB in %d, words %.1f KB in %d), storage %s\n",
		name, host, cold.ReadyMs, cold.Bytes/1024, cold.Requests, cold.Wasm.Bytes/1024, cold.Wasm.Reqs, cold.Words.Bytes/1024, cold.Words.Reqs,
		warm.ReadyMs, warm.Bytes/1024, warm.Wasm.Bytes/1024, warm.Wasm.Reqs, warm.Words.Bytes/1024, warm.Words.Reqs, warm.Storage)
}

// zipWords reads the words files of the zip at path, their sizes as served,
// and which one each of the twenty portal languages' pages fetches (the
// rule widget/build.js applies, l10n.PortalOf).
func zipWords(path string) (report.ZipWords, error) {
	z := report.ZipWords{Size: map[string]int{}}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return z, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if ok, _ := filepath.Match(buildjs.WordsName("*"), f.Name); ok {
			z.Size[f.Name] = int(f.UncompressedSize64)
		}
	}
	if len(z.Size) == 0 {
		return z, fmt.Errorf("%s holds no words files: run make dist", path)
	}
	have := func(catalogue string) bool {
		_, ok := z.Size[buildjs.WordsName(catalogue)]
		return ok
	}
	for _, l := range devportal.PortalLangs {
		z.Langs = append(z.Langs, report.LangFile{Lang: l.Code, File: buildjs.WordsName(l10n.PortalOf(l.Code, have).Catalog)})
	}
	return z, nil
}
