//go:build !js

// Package report holds what one make bench run measured and writes it as
// bench/results.md: the targets graded PASS or FAIL, then the tables. What
// each figure covers is said in docs/benchmarks.md, and only there; the
// report keeps tables and one-line captions.
package report

import (
	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/internal/wasmbuild"
)

// Results is one run of the bench.
type Results struct {
	Runs, PlainRuns int // localhost runs per variant, plain-host runs per peer
	Clicks          int // clicks of the memory test
	SteadyClicks    int // clicks on one page per localhost run (click 1 and clicks 2..N)
	MemFrom         int // the memory test's first measured click
	Pace            string
	Machine         []string
	Variants        []*Variant
	// Packages splits A's and D's code by package (named builds).
	Packages map[string]wasmbuild.Sizes
	// Words is what the zip holds for each portal language, from which the
	// cold open of the languages not opened in the browser is derived.
	Words ZipWords
}

// Variant is one peer: its localhost figures, its plain-host figures and
// the size of what it ships.
type Variant struct {
	Name, Desc string
	Lang       string // the portal's LANG in its opens; "" is en
	Clicks     bool   // it has the buttons (C and D have not)
	Plain      bool   // it runs on the plain host too
	PlainOnly  bool   // it runs on the plain host only (A in another language)
	Local      Local
	PlainHost  PlainHost
	Size       Size
}

// Variant returns the variant called name, or nil.
func (r *Results) Variant(name string) *Variant {
	for _, v := range r.Variants {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// localVariants are the variants run on localhost.
func (r *Results) localVariants() []*Variant {
	var out []*Variant
	for _, v := range r.Variants {
		if !v.PlainOnly {
			out = append(out, v)
		}
	}
	return out
}

// Local holds a variant's localhost samples, one a run unless said.
type Local struct {
	Cold, Warm Loads
	// FirstClick is click 1 after ready, click event to done (ms);
	// SteadyClick the median of clicks 2..N on the same page.
	FirstClick, SteadyClick []float64
	// ...RespToDone: of which from the REST response's last byte to done.
	FirstRespToDone, SteadyRespToDone []float64
	ReqsClick                         []float64 // REST requests of click 1 up to done, OPTIONS included
	ReqsAfter                         []float64 // REST requests in the 500 ms after done (dialog-name lookups)
	ClickMethods                      string    // the REST requests of the last run's click 1
	Click10k, Whole10k                []float64 // 10,000 IDs: click to done, click to the whole list
	Memory                            Memory
	Profile, ProfileStart             []browser.ProfLine // a 10,000-ID click; a cold load up to ready
}

// Loads holds one kind of load's samples, one a run: a localhost load or a
// plain-host open. Each report reads the fields its table shows.
type Loads struct {
	Ready  []float64 // ms, navigation start to ready
	Bytes  []float64 // encodedDataLength over the app's requests (from the app's host)
	Reqs   []float64 // requests to the app's origin
	Host   []float64 // of Reqs, those the app's host answered (not the browser's caches)
	Wasm   []float64 // of Bytes, wasm files answered other than 304
	Words  []float64 // of Bytes, words files answered other than 304
	Phases Phases
}

// Add records one load.
func (l *Loads) Add(x *browser.Load) {
	l.Ready = append(l.Ready, x.ReadyMs)
	l.Bytes = append(l.Bytes, x.Bytes)
	l.Reqs = append(l.Reqs, float64(x.Requests))
	l.Host = append(l.Host, float64(x.HostRequests))
	l.Wasm = append(l.Wasm, x.Wasm.Bytes)
	l.Words = append(l.Words, x.Words.Bytes)
	l.Phases.Add(x)
}

// Phases splits navigation-to-ready at loader.js's marks (ms).
type Phases struct {
	Page     []float64 // navigation start to loader.js's start: HTML, CSS, scripts
	Download []float64 // loader start to the wasm's last byte (resource timing)
	Compile  []float64 // loader start to the module compiled and instantiated
	GoStart  []float64 // compiled to data-state=ready: the Go runtime and the program's start
}

// Add splits one load at its marks; a page without loader.js adds nothing.
func (ph *Phases) Add(l *browser.Load) {
	start, ok1 := l.Marks["start"]
	compiled, ok2 := l.Marks["compiled"]
	if !ok1 || !ok2 {
		return
	}
	ph.Page = append(ph.Page, start)
	if d, ok := l.Marks["downloaded"]; ok {
		ph.Download = append(ph.Download, d-start)
	}
	ph.Compile = append(ph.Compile, compiled-start)
	ph.GoStart = append(ph.GoStart, l.ReadyMs-compiled)
}

// Memory is the memory test: the renderer's memory after click 2, after
// click MemFrom, halfway to the last, after the last.
type Memory struct {
	After2, From, Mid, Last browser.Memory
	Clicks                  int // 0: not measured
}

// PlainHost holds a peer's plain-host samples: each run is a cold open and
// a warm one in a fresh browser context, on each host and browser.
type PlainHost struct {
	Wasm  bool // the peer loads a .wasm at all
	Words bool // the peer loads a words file (words-<catalogue>.json)
	// Reval: the revalidating host (ETag, Cache-Control: no-cache),
	// Chromium's default storage rules (Cache Storage allowed in the app's
	// frame). Refused: the same host, third-party storage refused (Cache
	// Storage throws). Bare: a host sending no cache headers at all, storage
	// allowed.
	Reval, Refused, Bare Opens
}

// Opens are one host and browser's samples: a cold open and a warm one a
// run.
type Opens struct {
	Cold, Warm Loads
	// Storage is what the app frame's Cache Storage said (the last run):
	// "allowed" or "refused (the error's name)".
	Storage string
}

// Add records a run's cold and warm open.
func (o *Opens) Add(cold, warm *browser.Load) {
	o.Cold.Add(cold)
	o.Warm.Add(warm)
	o.Storage = warm.Storage
}

// Size is what a variant ships: its wasm or its script.
type Size struct {
	What         string // "pinall.wasm", "app.js"
	Raw, Gz, Br  int
	BrErr        string // why Br is missing
	PreBr, PreGz bool   // served precompressed on localhost (.br/.gz beside it)
}
