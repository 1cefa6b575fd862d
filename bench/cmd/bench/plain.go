//go:build !js

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pinall/pinall/internal/devportal"
)

// The plain-host profile: the app's files as Bitrix24 serves an uploaded zip
// (internal/devportal/plainhost.go), over a link paced on the server.
var plainPace = devportal.Pace{Mbps: 20, RTT: 40 * time.Millisecond}

// plainPeer is one variant on two plain hosts: one that revalidates (strong
// ETag, Cache-Control: no-cache) and one that sends no cache headers at all.
type plainPeer struct {
	name        string
	reval, bare *devportal.Portal
	m           plainMetrics
}

// plainMetrics holds a peer's samples. Bytes are encodedDataLength over the
// app origin's requests (headers and bodies as they crossed the wire); wasm
// bytes count only .wasm requests not answered 304.
type plainMetrics struct {
	coldBytes, coldReady, coldWasm []float64 // revalidating host, fresh browser context
	warmReady, warmBytes, warmWasm []float64 // the same context, opened again
	bareColdReady                  []float64 // no cache headers, fresh context
	bareWarmReady, bareWarmBytes   []float64 // the same context, opened again
	bareWarmWasm                   []float64
	wasm                           bool // the peer loads a .wasm at all
}

func (pp *plainPeer) close() {
	pp.reval.Close()
	pp.bare.Close()
}

// startPlainPeers serves A from the zip make dist builds (so the profile
// follows whatever the zip ships), B and S from their folders, each as
// a plain host, paced.
func startPlainPeers(vs []*variant, zip string) ([]*plainPeer, error) {
	var out []*plainPeer
	for _, v := range vs {
		pp := &plainPeer{name: v.name}
		for _, bare := range []bool{false, true} {
			cfg := devportal.Config{Pace: plainPace, NoCacheHeaders: bare}
			if v.name == "A" {
				cfg.AppZip = zip
			} else {
				cfg.WidgetDir, cfg.Plain = v.dir, true
			}
			p, err := devportal.Start(cfg)
			if err != nil {
				for _, o := range out {
					o.close()
				}
				if pp.reval != nil {
					pp.reval.Close()
				}
				return nil, fmt.Errorf("plain host for %s: %w", v.name, err)
			}
			if bare {
				pp.bare = p
			} else {
				pp.reval = p
			}
		}
		out = append(out, pp)
	}
	return out, nil
}

// plainRun is one cold and one warm open of a peer on each of its hosts,
// each host in a fresh browser context (empty HTTP cache, code cache, Cache
// Storage and connections).
func plainRun(bctx context.Context, pp *plainPeer) error {
	m := &pp.m
	for _, bare := range []bool{false, true} {
		p := pp.reval
		if bare {
			p = pp.bare
		}
		p.Reset()
		t, err := newTab(bctx)
		if err != nil {
			return err
		}
		page := fmt.Sprintf("%s/?user=%d", p.PortalURL(), user1)
		cold, err := t.load(page, p.AppURL())
		if err != nil {
			t.close()
			return fmt.Errorf("cold open (no cache headers %v): %w", bare, err)
		}
		warm, err := t.load(page, p.AppURL())
		t.close()
		if err != nil {
			return fmt.Errorf("warm open (no cache headers %v): %w", bare, err)
		}
		if verbose {
			logPlain(pp.name, bare, cold, warm)
		}
		m.wasm = m.wasm || cold.wasmReqs > 0
		if bare {
			m.bareColdReady = append(m.bareColdReady, cold.readyMs)
			m.bareWarmReady = append(m.bareWarmReady, warm.readyMs)
			m.bareWarmBytes = append(m.bareWarmBytes, warm.bytes)
			m.bareWarmWasm = append(m.bareWarmWasm, warm.wasmBytes)
			continue
		}
		m.coldBytes = append(m.coldBytes, cold.bytes)
		m.coldReady = append(m.coldReady, cold.readyMs)
		m.coldWasm = append(m.coldWasm, cold.wasmBytes)
		m.warmReady = append(m.warmReady, warm.readyMs)
		m.warmBytes = append(m.warmBytes, warm.bytes)
		m.warmWasm = append(m.warmWasm, warm.wasmBytes)
	}
	return nil
}

func logPlain(name string, bare bool, cold, warm *loadResult) {
	fmt.Printf("plain %s (no cache headers %v): cold %.0f ms %.1f KB (%d requests, wasm %.1f KB in %d); warm %.0f ms %.1f KB (wasm %.1f KB in %d)\n",
		name, bare, cold.readyMs, cold.bytes/1024, cold.requests, cold.wasmBytes/1024, cold.wasmReqs,
		warm.readyMs, warm.bytes/1024, warm.wasmBytes/1024, warm.wasmReqs)
}
