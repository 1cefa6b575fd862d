//go:build !js

// Command bench measures the Pin All widget against the same widget in plain
// JavaScript, the same widget on the official Bitrix24 SDK, and the Go
// floors, in headless Chromium, the variants taking turns within each round.
// Run it from the module root after make dist: make bench. It writes
// bench/results.md; docs/benchmarks.md says what each figure covers.
//
//	A  the widget: widget/ as make build leaves it (localhost), and the files
//	   of dist/pinall.zip (the plain host)
//	A-de  A in a German portal, on the plain host only
//	B  bench/reference/: the same job in plain JavaScript, no build step
//	S  bench/sdk/: the same job on @bitrix24/b24jssdk, bundled with esbuild
//	C  bench/floor/: a Go program that only sets data-state=ready, through
//	   the widget's own page and loader
//	D  bench/floor/safejs/: C plus safejs and context, zipped as A is for
//	   the plain host
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/bench/internal/report"
	"github.com/pinall/pinall/internal/devportal"
)

const (
	user1   = 1     // the demo operator: a handful of open sessions
	user10k = 3     // the operator who gets Config.ExtraSessions
	n10k    = 10000 // sessions in the 10k test
	memFrom = 200   // the memory test's first measured click: the runtime's one-time step comes before it
	zipPath = "dist/pinall.zip"
)

// variant is a report.Variant with what the bench needs to run it.
type variant struct {
	*report.Variant
	dir         string            // its files, laid out as served on localhost
	portal      *devportal.Portal // localhost
	zip         string            // the plain host serves this zip; "" = dir's files as they are
	ships       string            // the file whose size is reported: "pinall.wasm" or "app.js"
	reval, bare *devportal.Portal // the plain hosts: revalidating, no cache headers
}

func main() {
	runs := flag.Int("runs", envInt("BENCH_RUNS", 20), "localhost runs per variant (BENCH_RUNS)")
	plainRuns := flag.Int("plain-runs", envInt("BENCH_PLAIN_RUNS", 10), "plain-host runs per peer (BENCH_PLAIN_RUNS)")
	clicks := flag.Int("clicks", envInt("BENCH_CLICKS", 1000), "clicks of the memory test (BENCH_CLICKS), > 200")
	pageClicks := flag.Int("page-clicks", envInt("BENCH_PAGE_CLICKS", 8), "clicks on one page per localhost run: the first and the steady state (BENCH_PAGE_CLICKS), >= 3")
	out := flag.String("out", "bench/results.md", "where to write the results")
	only := flag.String("only", "", `"memory": only the memory test; "plain": only the plain host (quick looks; the other figures stay empty)`)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	if _, err := os.Stat("go.mod"); err != nil {
		log.Fatal("run from the module root (make bench)")
	}
	if *clicks <= memFrom {
		log.Fatalf("BENCH_CLICKS=%d: the memory test measures between click %d and the last, want more", *clicks, memFrom)
	}
	if *pageClicks < 3 {
		log.Fatalf("BENCH_PAGE_CLICKS=%d: the steady state is the median of clicks 2..N, want N >= 3", *pageClicks)
	}
	for _, f := range []string{"index.html", "loader.js", "style.css"} {
		if _, err := os.Stat(filepath.Join("widget", f)); err != nil {
			log.Fatalf("widget/%s is missing: run make build", f)
		}
	}
	if _, err := os.Stat(zipPath); err != nil {
		log.Fatalf("%s is missing: run make dist", zipPath)
	}
	switch *only {
	case "memory":
		*runs, *plainRuns = 0, 0
	case "plain":
		*runs = 0
	}
	work, err := os.MkdirTemp("", "pinall-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)

	vs, err := buildVariants(work)
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		for _, v := range vs {
			v.close()
		}
	}()
	res := &report.Results{Runs: *runs, PlainRuns: *plainRuns, Clicks: *clicks, SteadyClicks: *pageClicks,
		MemFrom: memFrom, Pace: fmt.Sprintf("%g Mbit/s, %d ms round trips", plainPace.Mbps, plainPace.RTT.Milliseconds())}
	for _, v := range vs {
		res.Variants = append(res.Variants, v.Variant)
	}
	if res.Packages, err = packageSizes(work); err != nil {
		log.Fatal(err)
	}
	if res.Words, err = zipWords(zipPath); err != nil {
		log.Fatal(err)
	}

	jsFlags := os.Getenv("BENCH_JS_FLAGS") // V8 experiments, e.g. --no-wasm-lazy-compilation
	def, err := browser.Start(browser.Options{JSFlags: jsFlags})
	if err != nil {
		log.Fatal(err)
	}
	defer def.Close()
	refused, err := browser.Start(browser.Options{StorageRefused: true, JSFlags: jsFlags})
	if err != nil {
		log.Fatal(err)
	}
	defer refused.Close()
	res.Machine = machineInfo(def)
	loadStart := loadAvg()
	began := time.Now()

	// The plain host first. A round opens every peer in turn, so the
	// machine's load falls on all of them alike.
	for i := range *plainRuns {
		for _, v := range vs {
			if !v.Plain {
				continue
			}
			if err := plainRun(def, refused, v); err != nil {
				log.Fatalf("plain host, run %d, %s: %v", i+1, v.Name, err)
			}
		}
		log.Printf("plain host %d/%d: cold ready%s", i+1, *plainRuns, lastOf(vs, func(v *variant) []float64 { return v.PlainHost.Reval.Cold.Ready }))
	}
	for i := range *runs {
		for _, v := range vs {
			if v.PlainOnly {
				continue
			}
			if err := localRun(def, v, *pageClicks); err != nil {
				log.Fatalf("run %d, %s: %v", i+1, v.Name, err)
			}
		}
		log.Printf("run %d/%d: ready%s", i+1, *runs, lastOf(vs, func(v *variant) []float64 { return v.Local.Cold.Ready }))
	}
	for _, v := range vs {
		// S's SDK paces its own calls (its default limiter: a burst of 50,
		// then 2 a second), so 1,000 clicks would take 8 minutes: its
		// memory is not measured; no target asks for it.
		if *only == "plain" || v.Name == "S" || v.PlainOnly {
			continue
		}
		if err := memoryRun(def, v, *clicks); err != nil {
			log.Fatalf("memory, %s: %v", v.Name, err)
		}
		log.Printf("memory %s: done", v.Name)
	}
	if *only == "" {
		profileAll(def, vs, work)
	}

	res.Machine = append(res.Machine, fmt.Sprintf("Load average (1 min) at start / end of the runs: %s / %s on %d cores",
		loadStart, loadAvg(), runtime.NumCPU()),
		fmt.Sprintf("The run took %s (BENCH_RUNS=%d, BENCH_PLAIN_RUNS=%d, BENCH_PAGE_CLICKS=%d, BENCH_CLICKS=%d)",
			time.Since(began).Round(time.Second), *runs, *plainRuns, *pageClicks, *clicks))
	md := res.Markdown()
	fmt.Print(md)
	md += keptHistory(*out)
	if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s", *out)
}

var verbose = os.Getenv("BENCH_VERBOSE") != ""

// historyMark starts the hand-written part of results.md (earlier runs, each
// optimisation's before and after): a new run replaces what is above it only.
const historyMark = "<!-- history: kept by make bench -->"

func keptHistory(path string) string {
	old, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if i := bytes.Index(old, []byte(historyMark)); i >= 0 {
		return "\n" + string(old[i:])
	}
	return ""
}

func envInt(name string, def int) int {
	if s := os.Getenv(name); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
		log.Fatalf("%s=%q: want a positive number", name, s)
	}
	return def
}

// lastOf lists each variant's last sample of a figure, for the progress log.
func lastOf(vs []*variant, get func(*variant) []float64) string {
	s := ""
	for _, v := range vs {
		if xs := get(v); len(xs) > 0 {
			s += fmt.Sprintf(" %s %.0f ms", v.Name, xs[len(xs)-1])
		}
	}
	return s
}

func (v *variant) close() {
	for _, p := range []*devportal.Portal{v.portal, v.reval, v.bare} {
		if p != nil {
			p.Close()
		}
	}
}
