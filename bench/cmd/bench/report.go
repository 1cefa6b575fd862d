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
	whole10k             []float64 // ms, click event to 10,000 li[data-session-id] in #sessions, not aria-busy
	reqsClick            []float64 // REST requests per click up to done, OPTIONS included
	reqsAfter            []float64 // REST requests in the 500 ms after done (dialog-name lookups)
	heap0, heap1         float64   // JS heap used after click 2 and after the last click
	wasm0, wasm1         float64   // wasm linear memory, the same
	heapFrom, wasmFrom   float64   // the same after click memFrom
	heapMid, wasmMid     float64   // the same halfway from click memFrom to the last
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
	runs, plainRuns, clicks int
	vs                      []*variant
	peers                   []*plainPeer
	sizes                   []sizes
	machine                 []string
}

func (r *report) v(name string) *variant {
	for _, v := range r.vs {
		if v.name == name {
			return v
		}
	}
	panic("no variant " + name)
}

func (r *report) markdown() string {
	var b strings.Builder
	A, B, S, C, D := r.v("A").m, r.v("B").m, r.v("S").m, r.v("C").m, r.v("D").m
	pA, pS := &r.peers[0].m, &r.peers[2].m
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("# Pin All: benchmark results\n\n")
	p("Written by `make bench` (bench/cmd/bench); docs/benchmarks.md says what each figure covers. "+
		"Plain host: runs per peer %d, interleaved A, B, S; localhost: runs per variant %d, interleaved A, B, S, C, D. "+
		"Median (min-max).\n\n", r.plainRuns, r.runs)
	for _, v := range r.vs {
		p("- **%s**: %s\n", v.name, v.desc)
	}
	p("\n## Machine\n\n")
	for _, l := range r.machine {
		p("- %s\n", l)
	}

	p("\n## Targets\n\nRatios of medians measured in this run; S is the official-SDK peer, B the plain-JS one.\n\n")
	p("| figure | measured | ratio | target | result |\n|---|---|---|---|---|\n")
	verdict := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "**FAIL**"
	}
	ratio := func(name string, a, base stat, baseName string, limit float64) {
		q := a.med / base.med
		p("| %s | A %.1f ms vs %s %.1f ms | x%.2f | <= x%.2f | %s |\n", name, a.med, baseName, base.med, q, limit, verdict(q <= limit))
	}
	cb := stats(pA.coldBytes)
	p("| plain host, cold: bytes from the app's host (A) | %s | - | <= 1,000 KB | %s |\n", kb(cb.med), verdict(cb.med <= 1000*1024))
	ratio("plain host, cold: navigation to ready / SDK peer's", stats(pA.coldReady), stats(pS.coldReady), "S", 2.5)
	for _, w := range []struct {
		host string
		xs   []float64
	}{{"ETag + no-cache (revalidating)", pA.warmWasm}, {"no cache headers at all", pA.bareWarmWasm}} {
		s := stats(w.xs)
		p("| plain host, warm: wasm bytes downloaded (A), host sending %s | %s (max %s) | - | 0 | %s |\n",
			w.host, kb(s.med), kb(s.max), verdict(len(w.xs) > 0 && s.max == 0))
	}
	ratio("plain host, warm: navigation to ready / SDK peer's (revalidating host)", stats(pA.warmReady), stats(pS.warmReady), "S", 1.25)
	ratio("localhost: click to done / plain JS", stats(A.click), stats(B.click), "B", 1.2)
	ratio("localhost: 10,000 IDs, click to the whole list / plain JS", stats(A.whole10k), stats(B.whole10k), "B", 1.5)
	rq := stats(A.reqsClick)
	p("| requests per click up to done (A) | %s | - | 1 | %s |\n", rangeStr(rq, "%.0f"), verdict(rq.min == 1 && rq.max == 1))
	heapG, wasmG := A.heap1-A.heapFrom, A.wasm1-A.wasmFrom
	p("| memory between click %d and click %d (A) | JS heap %s, wasm memory %s | - | flat: wasm memory +0, JS heap < +%d KB | %s |\n",
		memFrom, A.memClicks, signedKB(heapG), signedKB(wasmG), flatHeapKB, verdict(A.memClicks > 0 && wasmG == 0 && heapG < flatHeapKB*1024))

	p("\n## Plain host: the app's files as Bitrix24 serves an uploaded zip, %g Mbit/s, %d ms round trips\n\n",
		plainPace.Mbps, plainPace.RTT.Milliseconds())
	p("A's files are dist/pinall.zip's; B's and S's their folders'. Bytes: from the app's host, headers and bodies as they crossed the wire. " +
		"Ready: the app frame's navigation start to html[data-state=ready] (buttons enabled).\n\n")
	p("| figure | A (Go widget) | B (plain JS) | S (official SDK) | A/B | A/S |\n|---|---|---|---|---|---|\n")
	prow := func(name string, isKB bool, get func(*plainMetrics) []float64) {
		p("| %s |", name)
		var meds []float64
		for _, pp := range r.peers {
			st := stats(get(&pp.m))
			meds = append(meds, st.med)
			if strings.Contains(name, "wasm") && !pp.m.wasm {
				p(" - (no wasm) |")
				meds[len(meds)-1] = math.NaN()
			} else if isKB {
				p(" %s (%s-%s) |", kb(st.med), kb(st.min), kb(st.max))
			} else {
				p(" %s |", rangeStr(st, "%.1f"))
			}
		}
		p(" %s | %s |\n", ratioStr(meds[0], meds[1]), ratioStr(meds[0], meds[2]))
	}
	prow("cold: bytes from the app's host", true, func(m *plainMetrics) []float64 { return m.coldBytes })
	prow("cold: wasm bytes", true, func(m *plainMetrics) []float64 { return m.coldWasm })
	prow("cold: navigation to ready (ms)", false, func(m *plainMetrics) []float64 { return m.coldReady })
	prow("warm, revalidating host: navigation to ready (ms)", false, func(m *plainMetrics) []float64 { return m.warmReady })
	prow("warm, revalidating host: bytes from the app's host", true, func(m *plainMetrics) []float64 { return m.warmBytes })
	prow("warm, revalidating host: wasm bytes downloaded", true, func(m *plainMetrics) []float64 { return m.warmWasm })
	prow("no cache headers, cold: navigation to ready (ms)", false, func(m *plainMetrics) []float64 { return m.bareColdReady })
	prow("no cache headers, warm: navigation to ready (ms)", false, func(m *plainMetrics) []float64 { return m.bareWarmReady })
	prow("no cache headers, warm: bytes from the app's host", true, func(m *plainMetrics) []float64 { return m.bareWarmBytes })
	prow("no cache headers, warm: wasm bytes downloaded", true, func(m *plainMetrics) []float64 { return m.bareWarmWasm })

	p("\n## Localhost: ratios of medians\n\n| figure | A/B | A/S | A/C | S/B |\n|---|---|---|---|---|\n")
	for _, f := range []struct {
		name string
		get  func(*metrics) []float64
	}{
		{"navigation to ready, cold", func(m *metrics) []float64 { return m.readyCold }},
		{"navigation to ready, warm", func(m *metrics) []float64 { return m.readyWarm }},
		{"click to done", func(m *metrics) []float64 { return m.click }},
		{"10,000 IDs, click to done", func(m *metrics) []float64 { return m.click10k }},
		{"10,000 IDs, click to the whole list", func(m *metrics) []float64 { return m.whole10k }},
	} {
		a, bb, ss, c := stats(f.get(A)).med, stats(f.get(B)).med, stats(f.get(S)).med, stats(f.get(C)).med
		p("| %s | %s | %s | %s | %s |\n", f.name, ratioStr(a, bb), ratioStr(a, ss), ratioStr(a, c), ratioStr(ss, bb))
	}

	// D is no target: it shows how much of A's start-up the mandated
	// stack (safejs, context) takes before any widget code.
	p("\nThe floor with the mandated stack (D: C + safejs + context): ready cold D/C %.2f, warm %.2f; "+
		"A/D cold %.2f, warm %.2f; D's wasm %s brotli.\n",
		stats(D.readyCold).med/stats(C.readyCold).med, stats(D.readyWarm).med/stats(C.readyWarm).med,
		stats(A.readyCold).med/stats(D.readyCold).med, stats(A.readyWarm).med/stats(D.readyWarm).med,
		kb(float64(r.sizes[4].br)))

	p("\n## Localhost figures\n\n| figure |")
	for _, v := range r.vs {
		p(" %s |", v.name)
	}
	p("\n|---|")
	for range r.vs {
		p("---|")
	}
	p("\n")
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
	row("10,000 IDs, click to done (ms)", "%.1f", func(m *metrics) []float64 { return m.click10k })
	row("10,000 IDs, click to the whole list (ms)", "%.1f", func(m *metrics) []float64 { return m.whole10k })
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
	p("\n| served precompressed on localhost (.br/.gz beside it) |")
	for _, s := range r.sizes {
		p(" %v/%v |", yes(s.precompressedBr), yes(s.preGz))
	}
	memRow := func(name string, get func(*metrics) string) {
		p("\n| %s |", name)
		for _, v := range r.vs {
			if v.name == "S" {
				p(" - (not measured: the SDK's limiter) |")
				continue
			}
			if v.m.memClicks == 0 && !strings.Contains(name, "after click 2") {
				p(" - |")
			} else {
				p(" %s |", get(v.m))
			}
		}
	}
	memRow("JS heap after click 2 (after GC)", func(m *metrics) string { return kb(m.heap0) })
	memRow(fmt.Sprintf("JS heap, click 2 to click %d", memFrom), func(m *metrics) string { return signedKB(m.heapFrom - m.heap0) })
	mid := (memFrom + r.clicks) / 2
	memRow(fmt.Sprintf("JS heap, click %d to click %d", memFrom, r.clicks), func(m *metrics) string { return signedKB(m.heap1 - m.heapFrom) })
	memRow(fmt.Sprintf("JS heap, click %d to %d, then to %d", memFrom, mid, r.clicks), func(m *metrics) string {
		return signedKB(m.heapMid-m.heapFrom) + ", " + signedKB(m.heap1-m.heapMid)
	})
	memRow("wasm linear memory after click 2", func(m *metrics) string { return mb(m.wasm0) })
	memRow(fmt.Sprintf("wasm linear memory, click 2 to click %d", memFrom), func(m *metrics) string { return signedKB(m.wasmFrom - m.wasm0) })
	memRow(fmt.Sprintf("wasm linear memory, click %d to click %d", memFrom, r.clicks), func(m *metrics) string { return signedKB(m.wasm1 - m.wasmFrom) })
	memRow(fmt.Sprintf("wasm linear memory, click %d to %d, then to %d", memFrom, mid, r.clicks), func(m *metrics) string {
		return signedKB(m.wasmMid-m.wasmFrom) + ", " + signedKB(m.wasm1-m.wasmMid)
	})
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
	for _, v := range []*variant{r.v("A"), r.v("C")} {
		profTable(p, v.name, v.m.profileStart)
	}

	p("## Where the 10,000-ID click goes (one CDP Profiler run each, 100 µs sampling, self time)\n\n")
	p("A is profiled as a build of ./wasm without `-s -w`, so wasm functions keep their Go names; the timed runs above use the release build.\n\n")
	for _, v := range r.vs[:2] {
		profTable(p, v.name, v.m.profile)
	}

	p(`## How it is measured

docs/benchmarks.md has the whole account; in short:

- Plain host: A's files are dist/pinall.zip's, B's and S's their folders', each served by a dev portal as
  Bitrix24 serves an uploaded zip (internal/devportal/plainhost.go: the bytes as they are, no
  Content-Encoding, a strong ETag and Cache-Control: no-cache) and again by one that sends no cache
  headers at all, paced on the server (internal/devportal/pace.go: one round trip before each answer, one
  more on a new connection, the bodies over one 20 Mbit/s link shared by the origin's connections). Each
  run opens the peer in a fresh browser context (cold: empty HTTP cache, code cache, Cache Storage, no
  connections), then opens it again in the same context (warm).
- Localhost: each run opens a fresh browser context, loads the dev portal page with the app in its
  cross-site iframe (out of process; site isolation on), loads it again (warm), clicks **Pin all** once,
  then loads the page of an operator with 10,000 open sessions and clicks **Pin all** again. Files are
  served with .br/.gz negotiated, unpaced. The portal's state is reset between runs.
- Ready: from the app frame's navigation start (its performance time origin) to the observer's record
  of html[data-state=ready] (bench/cmd/bench/observer.js, injected before the app's scripts; a
  MutationObserver notes performance.now()). At ready the buttons are enabled (the DOM contract).
- Click to done: from the click event's timeStamp (a real mouse click at the button's position) to the
  observer's record of data-state=done. Click to the whole list (10,000 IDs): from the same click to the
  first change of #sessions after which it holds 10,000 li[data-session-id] and is not aria-busy.
- Bytes: the sum of Network.loadingFinished encodedDataLength (headers and bodies as they crossed the
  wire) over the requests to the app's origin until ready. Wasm bytes: the same over requests for a
  .wasm file whose answer on the wire (Network.responseReceivedExtraInfo) was not 304; a copy taken from
  Cache Storage makes no request and counts 0.
- Requests per click: the portal's request log under /rest/ (OPTIONS counted), split at done (the
  frame's Date.now() at done against the portal's arrival time, one clock); the 500 ms after done are
  A's dialog-name lookups, reported apart.
- Memory: in the iframe's renderer, after HeapProfiler.collectGarbage, Runtime.getHeapUsage (JS heap)
  and the byteLength of every WebAssembly.Memory (Runtime.queryObjects), after click 2, click 200 and the
  last click, and halfway from click 200 to the last (element.click() in the page, pin and unpin
  alternating, each awaited to done). Flat: wasm memory did not grow between click 200 and the last,
  and the JS heap grew less than 100 KB. S is not measured: its SDK paces its own calls (a burst of 50,
  then 2 a second), so 1,000 clicks would take 8 minutes.
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

// flatHeapKB is the JS heap growth between click memFrom and the last that
// still counts as flat: 100 KB over 800 clicks is 128 bytes a click, less
// than one leaked object with a string; the collector's own noise stays
// under it (B, whose code keeps nothing, grew +44 KB over 1,000 clicks).
const flatHeapKB = 100

func ratioStr(a, b float64) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "-"
	}
	return fmt.Sprintf("x%.2f", a/b)
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
	raw := filepath.Join(dir, "raw", "pinall.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-gcflags=all=-l", "-o", raw, "./wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=nogreenteagc") // as make build
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("build ./wasm with names: %w", err)
	}
	if err := servedLikeTheWidget(dir, raw); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
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
	if _, _, _, _, _, err := clickOnce(t, f, p, n10k); err != nil {
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
