//go:build !js

package main

import (
	"log"
	"path/filepath"

	"github.com/pinall/pinall/bench/internal/browser"
)

// profileAll records, once each, a cold load of A and C up to ready and a
// 10,000-ID click of A and B under V8's profiler. A runs as its named build
// (packageSizes made it), so wasm functions keep their Go names.
func profileAll(b *browser.Browser, vs []*variant, work string) {
	byName := map[string]*variant{}
	for _, v := range vs {
		byName[v.Name] = v
	}
	named := &variant{Variant: byName["A"].Variant, dir: filepath.Join(work, "named", "A")}
	if err := servedLikeTheWidget(named.dir, namedWasm(work)); err != nil {
		log.Printf("profiles: lay out A's named build: %v (skipped)", err)
		return
	}
	p, err := startPortal(named.dir)
	if err != nil {
		log.Printf("profiles: %v (skipped)", err)
		return
	}
	defer p.Close()
	named.portal = p
	for _, v := range []*variant{named, byName["C"]} {
		prof, err := profileStart(b, v)
		if err != nil {
			log.Printf("start-up profile, %s: %v (skipped)", v.Name, err)
		}
		v.Local.ProfileStart = prof
	}
	for _, v := range []*variant{named, byName["B"]} {
		prof, err := profile10k(b, v)
		if err != nil {
			log.Printf("profile, %s: %v (skipped)", v.Name, err)
		}
		v.Local.Profile = prof
	}
}

// profileStart records a CPU profile of the app's renderer from the
// iframe's first script to data-state=ready, on a cold cache.
func profileStart(b *browser.Browser, v *variant) ([]browser.ProfLine, error) {
	t, err := newFresh(b, v.portal)
	if err != nil {
		return nil, err
	}
	defer t.close()
	t.Profile = true
	r, err := t.open(user1)
	if err != nil {
		return nil, err
	}
	return r.Profile, nil
}

// profile10k records a CPU profile of the app's renderer around one
// 10,000-ID click.
func profile10k(b *browser.Browser, v *variant) ([]browser.ProfLine, error) {
	t, err := newFresh(b, v.portal)
	if err != nil {
		return nil, err
	}
	defer t.close()
	r, err := t.open(user10k)
	if err != nil {
		return nil, err
	}
	if err := r.Frame.StartProfiler(); err != nil {
		return nil, err
	}
	if _, err := clickOnce(t.Tab, r.Frame, v.portal, n10k, afterDone); err != nil {
		return nil, err
	}
	return r.Frame.StopProfiler()
}
