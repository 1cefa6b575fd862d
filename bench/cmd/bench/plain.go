//go:build !js

package main

import (
	"fmt"
	"time"

	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/internal/devportal"
)

// The plain host: the app's files as Bitrix24 serves an uploaded zip
// (internal/devportal/plainhost.go), over a link paced on the server.
var plainPace = devportal.Pace{Mbps: 20, RTT: 40 * time.Millisecond}

// startPlainHost serves v's zip (A, D) or v's folder as it is (B, S) as a
// plain host: revalidating (strong ETag, Cache-Control: no-cache), or with
// no cache headers at all (bare).
func startPlainHost(v *variant, bare bool) (*devportal.Portal, error) {
	cfg := devportal.Config{Pace: plainPace, NoCacheHeaders: bare}
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

// opens is one cold and one warm open of a peer in a fresh browser context
// (empty HTTP cache, code cache, Cache Storage and connections).
func opens(b *browser.Browser, p *devportal.Portal) (cold, warm *browser.Load, err error) {
	p.Reset()
	t, err := b.NewTab()
	if err != nil {
		return nil, nil, err
	}
	defer t.Close()
	page := fmt.Sprintf("%s/?user=%d", p.PortalURL(), user1)
	if cold, err = t.Load(page, p.AppURL()); err != nil {
		return nil, nil, fmt.Errorf("cold open: %w", err)
	}
	if warm, err = t.Load(page, p.AppURL()); err != nil {
		return nil, nil, fmt.Errorf("warm open: %w", err)
	}
	return cold, warm, nil
}

// plainRun opens v on the revalidating host with Chromium's default storage
// rules and with storage refused, and on the host with no cache headers.
func plainRun(def, refused *browser.Browser, v *variant) error {
	m := &v.PlainHost
	cold, warm, err := opens(def, v.reval)
	if err != nil {
		return err
	}
	logPlain(v.Name, "revalidating host", cold, warm)
	m.Wasm = m.Wasm || cold.WasmReqs > 0
	m.ColdBytes = append(m.ColdBytes, cold.Bytes)
	m.ColdReady = append(m.ColdReady, cold.ReadyMs)
	m.ColdWasm = append(m.ColdWasm, cold.WasmBytes)
	m.WarmReady = append(m.WarmReady, warm.ReadyMs)
	m.WarmBytes = append(m.WarmBytes, warm.Bytes)
	m.WarmWasm = append(m.WarmWasm, warm.WasmBytes)
	m.Storage = warm.Storage

	if cold, warm, err = opens(refused, v.reval); err != nil {
		return fmt.Errorf("storage refused: %w", err)
	}
	logPlain(v.Name, "revalidating host, storage refused", cold, warm)
	m.RefusedColdReady = append(m.RefusedColdReady, cold.ReadyMs)
	m.RefusedWarmReady = append(m.RefusedWarmReady, warm.ReadyMs)
	m.RefusedWarmBytes = append(m.RefusedWarmBytes, warm.Bytes)
	m.RefusedWarmWasm = append(m.RefusedWarmWasm, warm.WasmBytes)
	m.RefusedStorage = warm.Storage

	if cold, warm, err = opens(def, v.bare); err != nil {
		return fmt.Errorf("no cache headers: %w", err)
	}
	logPlain(v.Name, "no cache headers", cold, warm)
	m.BareColdReady = append(m.BareColdReady, cold.ReadyMs)
	m.BareWarmReady = append(m.BareWarmReady, warm.ReadyMs)
	m.BareWarmBytes = append(m.BareWarmBytes, warm.Bytes)
	m.BareWarmWasm = append(m.BareWarmWasm, warm.WasmBytes)
	return nil
}

func logPlain(name, host string, cold, warm *browser.Load) {
	if !verbose {
		return
	}
	fmt.Printf("plain %s (%s): cold %.0f ms %.1f KB (%d requests, wasm %.1f KB in %d); warm %.0f ms %.1f KB (wasm %.1f KB in %d), storage %s\n",
		name, host, cold.ReadyMs, cold.Bytes/1024, cold.Requests, cold.WasmBytes/1024, cold.WasmReqs,
		warm.ReadyMs, warm.Bytes/1024, warm.WasmBytes/1024, warm.WasmReqs, warm.Storage)
}
