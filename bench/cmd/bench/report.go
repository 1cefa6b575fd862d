//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/pinall/pinall/internal/devportal"
)

type contextT = context.Context

// metrics holds every sample of one variant.
type metrics struct {
	readyCold, readyWarm []float64 // ms, inside the iframe
	phasesCold           phases    // readyCold split at loader.js's marks
	phasesWarm           phases
	bytesCold, bytesWarm []float64 // encodedDataLength over the app's requests
	reqsCold             []float64
	click, click10k      []float64 // ms, click event to data-state=done
	full10k              []float64 // ms, click event to the list complete (no aria-busy)
	reqsClick            []float64 // REST requests per click up to done, OPTIONS included
	reqsAfter            []float64 // REST requests in the 500 ms after done (dialog-name lookups)
	heap0, heap1         float64   // JS heap used, before and after the clicks
	wasm0, wasm1         float64   // wasm linear memory
	memClicks            int
	clickMethods         string     // the REST requests of the last click
	profile              []profLine // the 10,000-ID click
	profileStart         []profLine // a cold load up to ready
}

// phases splits navigation-to-ready at loader.js's marks (ms each).
type phases struct {
	page     []float64 // navigation start to loader.js's start: HTML, CSS, scripts
	download []float64 // loader start to the wasm's last byte (resource timing)
	compile  []float64 // loader start to the module compiled and instantiated
	goStart  []float64 // compiled to data-state=ready: the Go runtime and the program's start
}

func (ph *phases) add(r *loadResult) {
	start, ok1 := r.marks["start"]
	compiled, ok2 := r.marks["compiled"]
	if !ok1 || !ok2 {
		return // a page without loader.js (B)
	}
	ph.page = append(ph.page, start)
	if d, ok := r.marks["downloaded"]; ok {
		ph.download = append(ph.download, d-start)
	}
	ph.compile = append(ph.compile, compiled-start)
	ph.goStart = append(ph.goStart, r.readyMs-compiled)
}

type stat struct{ med, min, max float64 }

func stats(xs []float64) stat {
	if len(xs) == 0 {
		return stat{math.NaN(), math.NaN(), math.NaN()}
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stat{med, s[0], s[len(s)-1]}
}

type report struct {
	runs, clicks int
	vs           []*variant
	sizes        []sizes
	machine      []string
}

func (r *report) markdown() string {
	var b strings.Builder
	A, B, C, D := r.vs[0].m, r.vs[1].m, r.vs[2].m, r.vs[3].m
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("# Pin All: benchmark results\n\n")
	p("Written by `make bench` (bench/cmd/bench); issue 4. %d runs per variant, interleaved A, B, C, D; median (min-max).\n\n", r.runs)
	for _, v := range r.vs {
		p("- **%s**: %s\n", v.name, v.desc)
	}
	p("\n## Machine\n\n")
	for _, l := range r.machine {
		p("- %s\n", l)
	}

	p("\n## Targets\n\n| target | measured | ratio | limit | result |\n|---|---|---|---|---|\n")
	verdict := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "**FAIL**"
	}
	sa := r.sizes[0]
	if sa.brErr == "" {
		p("| wasm brotli (A) | %s | - | <= 620 KB | %s |\n", kb(float64(sa.br)), verdict(float64(sa.br) <= 620*1024))
	} else {
		p("| wasm brotli (A) | not measured: %s | - | <= 620 KB | n/a |\n", sa.brErr)
	}
	ratio := func(name string, a, base stat, baseName string, limit float64) {
		q := a.med / base.med
		p("| %s | A %.1f ms vs %s %.1f ms | %.2f | <= %.2f | %s |\n", name, a.med, baseName, base.med, q, limit, verdict(q <= limit))
	}
	ratio("ready, cold cache: A/C", stats(A.readyCold), stats(C.readyCold), "C", 1.25)
	ratio("ready, warm cache: A/C", stats(A.readyWarm), stats(C.readyWarm), "C", 1.25)
	ratio("click to done: A/B", stats(A.click), stats(B.click), "B", 1.2)
	maxReq := stats(A.reqsClick)
	p("| HTTP requests per click up to done (A) | %s | - | exactly 1 | %s |\n", rangeStr(maxReq, "%.0f"), verdict(maxReq.min == 1 && maxReq.max == 1))
	ratio("10,000 IDs, click to done: A/B", stats(A.click10k), stats(B.click10k), "B", 1.5)
	a10 := stats(A.click10k)
	p("| 10,000 IDs, click to done (A) | %.1f ms | - | < 100 ms | %s |\n", a10.med, verdict(a10.med < 100))
	growth := (A.heap1 - A.heap0) + (A.wasm1 - A.wasm0)
	p("| memory growth over %d clicks (A: JS heap + wasm memory) | %s | - | < 1 MB | %s |\n", A.memClicks, signedKB(growth), verdict(growth < 1<<20))

	// D is no target: it shows how much of A's start-up the mandated
	// stack (safejs, context) takes before any widget code.
	p("\nThe floor with the mandated stack (D: C + safejs + context): ready cold D/C %.2f, warm %.2f; "+
		"A/D cold %.2f, warm %.2f; D's wasm %s brotli.\n",
		stats(D.readyCold).med/stats(C.readyCold).med, stats(D.readyWarm).med/stats(C.readyWarm).med,
		stats(A.readyCold).med/stats(D.readyCold).med, stats(A.readyWarm).med/stats(D.readyWarm).med,
		kb(float64(r.sizes[3].br)))

	p("\n## Figures\n\n| figure | A (Go widget) | B (plain JS) | C (Go floor) | D (floor + safejs) |\n|---|---|---|---|---|\n")
	row := func(name, format string, get func(*metrics) []float64) {
		p("| %s |", name)
		for _, v := range r.vs {
			xs := get(v.m)
			if len(xs) == 0 {
				p(" - |")
				continue
			}
			p(" %s |", rangeStr(stats(xs), format))
		}
		p("\n")
	}
	kbRow := func(name string, get func(*metrics) []float64) {
		p("| %s |", name)
		for _, v := range r.vs {
			s := stats(get(v.m))
			p(" %s (%s-%s) |", kb(s.med), kb(s.min), kb(s.max))
		}
		p("\n")
	}
	kbRow("bytes transferred, cold load (app origin)", func(m *metrics) []float64 { return m.bytesCold })
	row("requests, cold load (app origin)", "%.0f", func(m *metrics) []float64 { return m.reqsCold })
	kbRow("bytes transferred, warm load", func(m *metrics) []float64 { return m.bytesWarm })
	row("navigation start to ready, cold (ms)", "%.1f", func(m *metrics) []float64 { return m.readyCold })
	row("navigation start to ready, warm (ms)", "%.1f", func(m *metrics) []float64 { return m.readyWarm })
	row("click to done (ms)", "%.1f", func(m *metrics) []float64 { return m.click })
	row("REST requests per click, up to done", "%.0f", func(m *metrics) []float64 { return m.reqsClick })
	row("REST requests after done (500 ms: dialog-name lookups)", "%.0f", func(m *metrics) []float64 { return m.reqsAfter })
	row("click to done, 10,000 IDs (ms)", "%.1f", func(m *metrics) []float64 { return m.click10k })
	row("10,000 IDs, click to list complete (ms)", "%.1f", func(m *metrics) []float64 { return m.full10k })
	p("| shipped code, raw |")
	for _, s := range r.sizes {
		p(" %s: %s |", s.what, kb(float64(s.raw)))
	}
	p("\n| shipped code, gzip -9 |")
	for _, s := range r.sizes {
		p(" %s |", kb(float64(s.gz)))
	}
	p("\n| shipped code, brotli -q 11 |")
	for _, s := range r.sizes {
		if s.brErr != "" {
			p(" n/a |")
		} else {
			p(" %s |", kb(float64(s.br)))
		}
	}
	p("\n| REST requests of one click (the last run's) |")
	for _, v := range r.vs {
		if v.m.clickMethods == "" {
			p(" - |")
		} else {
			p(" %s |", v.m.clickMethods)
		}
	}
	p("\n| served precompressed (.br/.gz beside it) |")
	for _, s := range r.sizes {
		p(" %v/%v |", yes(s.precompressedBr), yes(s.preGz))
	}
	p("\n| JS heap after ready + 1 pin/unpin (after GC) |")
	for _, v := range r.vs {
		p(" %s |", kb(v.m.heap0))
	}
	p("\n| JS heap growth over the clicks |")
	for _, v := range r.vs {
		if v.m.memClicks == 0 {
			p(" - |")
		} else {
			p(" %s |", signedKB(v.m.heap1-v.m.heap0))
		}
	}
	p("\n| wasm linear memory after ready + 1 pin/unpin |")
	for _, v := range r.vs {
		p(" %s |", mb(v.m.wasm0))
	}
	p("\n| wasm linear memory growth over the clicks |")
	for _, v := range r.vs {
		if v.m.memClicks == 0 {
			p(" - |")
		} else {
			p(" %s |", signedKB(v.m.wasm1-v.m.wasm0))
		}
	}
	p("\n\n")

	p("## Where start-up goes (loader.js's performance marks; ms, median (min-max))\n\n")
	p("| phase | A cold | C cold | D cold | A warm | C warm | D warm |\n|---|---|---|---|---|---|---|\n")
	for _, ph := range []struct {
		name string
		get  func(*phases) []float64
	}{
		{"navigation start to loader.js start (HTML, CSS, scripts)", func(x *phases) []float64 { return x.page }},
		{"loader start to the wasm's last byte", func(x *phases) []float64 { return x.download }},
		{"loader start to module compiled (streaming)", func(x *phases) []float64 { return x.compile }},
		{"compiled to ready (Go runtime, the program's start, frame handshake)", func(x *phases) []float64 { return x.goStart }},
	} {
		p("| %s |", ph.name)
		for _, m := range []*phases{&A.phasesCold, &C.phasesCold, &D.phasesCold, &A.phasesWarm, &C.phasesWarm, &D.phasesWarm} {
			p(" %s |", rangeStr(stats(ph.get(m)), "%.1f"))
		}
		p("\n")
	}
	p("\n")

	p("One cold load each under the CPU profiler (100 µs sampling, self time, from the iframe's first script to ready).\n\n")
	for _, v := range []*variant{r.vs[0], r.vs[2]} {
		profTable(p, v.name, v.m.profileStart)
	}

	p("## Where the 10,000-ID click goes (one CDP Profiler run each, 100 µs sampling, self time)\n\n")
	p("A is profiled as a build of ./wasm without `-s -w`, so wasm functions keep their Go names; the timed runs above use the release build.\n\n")
	for _, v := range r.vs[:2] {
		profTable(p, v.name, v.m.profile)
	}

	p(`## How it is measured

- Each run opens a fresh browser context (empty HTTP and code cache), loads the dev portal page with the
  app in its cross-site iframe (an out-of-process iframe; site isolation on), then loads it again in the
  same context (warm cache), clicks **Pin all** once, then loads the page of an operator with 10,000 open
  sessions and clicks **Pin all** again. The portal's state is reset between runs.
- Times come from inside the iframe: bench/cmd/bench/observer.js is added with
  Page.addScriptToEvaluateOnNewDocument to the iframe's target while it is paused at attach
  (Target.setAutoAttach waitForDebuggerOnStart), before the app's own scripts; a MutationObserver on
  html[data-state] records performance.now() (ms from the iframe document's time origin, its navigation
  start). Click times run from the click event's timeStamp to the MutationObserver's record of done.
- A shows a result's first 200 rows at done and appends the rest in the next frames, #sessions
  aria-busy meanwhile; B builds every row before done. "Click to list complete" runs from the click to
  the observer's record of aria-busy leaving #sessions (or to done when the list was complete at done, as
  B's always is); the 10,000-ID click must end with all 10,000 rows, counted once the list is complete.
- Clicks are real mouse events sent to the top-level page at the button's position.
- Bytes: the sum of Network.loadingFinished encodedDataLength over the requests to the app's origin
  (document, CSS, scripts, wasm) until ready. Requests per click: the portal's request log under /rest/ (OPTIONS
  counted), split at done (the frame's Date.now() at done against the portal's arrival time, one clock): up to
  done is the action itself, the target's "exactly 1"; the 500 ms after done are A's dialog-name lookups
  (issue 7: one batch naming the first rows, started after done so the result never waits for them),
  reported apart. B does no lookups, so its click does less work than A's after done, not before it.
- Memory: in the iframe's renderer, after HeapProfiler.collectGarbage, Runtime.getHeapUsage (JS heap)
  and the byteLength of every WebAssembly.Memory (found with Runtime.queryObjects), before and after
  the clicks (element.click() in the page, pin and unpin alternating, each awaited to done).
- The dev portal's own page polls its state every 700 ms and renders the operator's sessions (10,000 rows
  for the 10k operator) in the top-level page's process: background load on the machine's cores shared by
  every variant alike.
- KB = 1,024 bytes.
`)
	return b.String()
}

func profTable(p func(string, ...any), name string, prof []profLine) {
	if len(prof) == 0 {
		return
	}
	p("**%s**\n\n| self ms | function |\n|---|---|\n", name)
	for _, l := range prof {
		p("| %.1f | %s |\n", l.ms, strings.ReplaceAll(l.name, "|", "\\|"))
	}
	p("\n")
}

func rangeStr(s stat, format string) string {
	return fmt.Sprintf(format+" ("+format+"-"+format+")", s.med, s.min, s.max)
}

func kb(n float64) string { return fmt.Sprintf("%.1f KB", n/1024) }
func mb(n float64) string { return fmt.Sprintf("%.2f MB", n/(1<<20)) }
func signedKB(n float64) string {
	return fmt.Sprintf("%+.1f KB", n/1024)
}
func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// machineInfo describes where the bench ran.
func machineInfo(bctx context.Context) []string {
	cpu := "unknown"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, v, _ := strings.Cut(l, ":")
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	chrome := "unknown"
	if v, err := chromedp.CallBrowser(bctx, browser.GetVersion, struct{}{}); err == nil {
		chrome = v.Product + " (" + v.UserAgent + ")"
	}
	goVer := runtime.Version()
	if out, err := exec.Command("go", "version").Output(); err == nil {
		goVer = strings.TrimSpace(string(out))
	}
	return []string{
		"CPU: " + cpu + fmt.Sprintf(", %d cores (runtime.NumCPU)", runtime.NumCPU()),
		"OS: " + runtime.GOOS + "/" + runtime.GOARCH,
		"Chromium: " + chrome + ", headless",
		"Go: " + goVer,
		"Date: " + time.Now().UTC().Format("2006-01-02 15:04 UTC"),
	}
}

// loadAvg is the 1-minute load average: other work on the machine skews
// absolute times (the interleaved ratios less so).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b))[0]
}

type profLine struct {
	name string
	ms   float64
}

// namedPortal serves v as profiled: for A a build of ./wasm that keeps its
// function names (no -s -w), so profiles say which Go code ran.
func namedPortal(v *variant) (*devportal.Portal, func(), error) {
	if v.name != "A" {
		return v.portal, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "pinall-bench-named-")
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-gcflags=all=-l", "-o", filepath.Join(dir, "pinall.wasm"), "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=nogreenteagc") // as make build
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("build ./wasm with names: %w", err)
	}
	for _, f := range []string{"index.html", "loader.js", "wasm_exec.js", "style.css"} {
		if err := copyFile(filepath.Join("widget", f), filepath.Join(dir, f)); err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
	}
	np, err := startPortal(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return np, func() { np.Close(); os.RemoveAll(dir) }, nil
}

// namedLoad opens user's portal page on the named build of v, in a fresh
// tab (cold cache); with profile the load itself is under the profiler.
func namedLoad(bctx context.Context, v *variant, user int, profile bool) (*tab, *devportal.Portal, *loadResult, func(), error) {
	p, done, err := namedPortal(v)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	p.Reset()
	t, err := newTab(bctx)
	if err != nil {
		p.Reset()
		done()
		return nil, nil, nil, nil, err
	}
	closeAll := func() { t.close(); p.Reset(); done() }
	t.profile = profile
	r, err := t.load(fmt.Sprintf("%s/?user=%d", p.PortalURL(), user), p.AppURL())
	if err != nil {
		closeAll()
		return nil, nil, nil, nil, err
	}
	return t, p, r, closeAll, nil
}

// profileStart records a CPU profile of the app's renderer from the
// iframe's first script to data-state=ready, on a cold cache.
func profileStart(bctx context.Context, v *variant) ([]profLine, error) {
	_, _, r, closeAll, err := namedLoad(bctx, v, user1, true)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	return r.profile, nil
}

// profile10k records a CPU profile of the app's renderer around one
// 10,000-ID click.
func profile10k(bctx context.Context, v *variant) ([]profLine, error) {
	t, p, r, closeAll, err := namedLoad(bctx, v, user10k, false)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	f := r.frame
	if err := f.startProfiler(); err != nil {
		return nil, err
	}
	if _, _, _, _, _, err := clickOnce(t, f, p); err != nil {
		return nil, err
	}
	return f.stopProfiler()
}

func (f *frameSession) startProfiler() error {
	for _, s := range []struct {
		m  string
		ps map[string]any
	}{{"Profiler.enable", nil}, {"Profiler.setSamplingInterval", map[string]any{"interval": 100}}, {"Profiler.start", nil}} {
		if s.ps == nil {
			s.ps = map[string]any{}
		}
		if _, err := f.call(s.m, s.ps); err != nil {
			return err
		}
	}
	return nil
}

// stopProfiler returns the top of the profile by self time.
func (f *frameSession) stopProfiler() ([]profLine, error) {
	raw, err := f.call("Profiler.stop", map[string]any{})
	if err != nil {
		return nil, err
	}
	var prof struct {
		Profile struct {
			Nodes []struct {
				ID        int `json:"id"`
				CallFrame struct {
					FunctionName string `json:"functionName"`
					URL          string `json:"url"`
				} `json:"callFrame"`
			} `json:"nodes"`
			Samples    []int     `json:"samples"`
			TimeDeltas []float64 `json:"timeDeltas"`
		} `json:"profile"`
	}
	if err := json.Unmarshal(raw, &prof); err != nil {
		return nil, err
	}
	name := map[int]string{}
	for _, n := range prof.Profile.Nodes {
		fn := n.CallFrame.FunctionName
		if fn == "" {
			fn = "(anonymous)"
		}
		if u := n.CallFrame.URL; u != "" {
			fn += " " + filepath.Base(strings.SplitN(u, "?", 2)[0])
		}
		name[n.ID] = fn
	}
	self := map[string]float64{}
	for i, id := range prof.Profile.Samples {
		if i+1 < len(prof.Profile.TimeDeltas) {
			self[name[id]] += prof.Profile.TimeDeltas[i+1] / 1000
		}
	}
	var out []profLine
	for n, ms := range self {
		if n == "(idle)" {
			continue
		}
		out = append(out, profLine{n, ms})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ms > out[j].ms })
	return out[:min(12, len(out))], nil
}
