//go:build !js

// Command bench measures the Pin All widget against a plain-JavaScript
// reference and the Go floor, in one headless Chromium, variants interleaved
// (issue 4). Run it from the module root after make build: make bench.
//
//	A  the widget as make build leaves it in widget/
//	B  bench/reference/: the same job in plain JavaScript, no build step
//	C  bench/floor/: a Go program that only sets data-state=ready, through
//	   the widget's own index.html, loader.js and wasm_exec.js
//
// Each variant is served by its own in-process dev portal. Times are taken
// inside the app's iframe with performance.now() (bench/cmd/bench/observer.js,
// injected before the document's own scripts); bytes from CDP Network events;
// requests per click from the portal's request log; memory from the iframe's
// renderer (Runtime.getHeapUsage after a GC, WebAssembly.Memory byteLength
// via Runtime.queryObjects).
//
// BENCH_RUNS (default 20) sets the runs per variant, BENCH_CLICKS (default
// 1000) the clicks of the memory test.
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/devportal"
)

const (
	user1   = 1     // the demo operator: a handful of open sessions
	user10k = 3     // the operator who gets Config.ExtraSessions
	n10k    = 10000 // sessions in the 10k test
)

type variant struct {
	name, desc string
	dir        string
	portal     *devportal.Portal
	clicks     bool // B and A have buttons; C does not
	m          *metrics
}

func main() {
	runs := flag.Int("runs", envInt("BENCH_RUNS", 20), "runs per variant (BENCH_RUNS)")
	clicks := flag.Int("clicks", envInt("BENCH_CLICKS", 1000), "clicks of the memory test (BENCH_CLICKS)")
	out := flag.String("out", "bench/results.md", "where to write the results")
	only := flag.String("only", "", `"memory": only the memory test (a quick look while tuning; the report's other figures stay empty)`)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	if _, err := os.Stat("go.mod"); err != nil {
		log.Fatal("run from the module root (make bench)")
	}
	for _, f := range []string{"index.html", "loader.js", "wasm_exec.js", "pinall.wasm", "style.css"} {
		if _, err := os.Stat(filepath.Join("widget", f)); err != nil {
			log.Fatalf("widget/%s is missing: run make build", f)
		}
	}
	work, err := os.MkdirTemp("", "pinall-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	dirB, dirC, dirD := filepath.Join(work, "B"), filepath.Join(work, "C"), filepath.Join(work, "D")
	if err := buildB(dirB); err != nil {
		log.Fatal(err)
	}
	if err := buildFloor(dirC, "./bench/floor"); err != nil {
		log.Fatal(err)
	}
	if err := buildFloor(dirD, "./bench/floor/safejs"); err != nil {
		log.Fatal(err)
	}

	vs := []*variant{
		{name: "A", desc: "Go widget (widget/)", dir: "widget", clicks: true},
		{name: "B", desc: "plain-JS reference (bench/reference/)", dir: dirB, clicks: true},
		{name: "C", desc: "Go floor (bench/floor/)", dir: dirC},
		{name: "D", desc: "Go floor + safejs + context, the stack the widget must carry (bench/floor/safejs/)", dir: dirD},
	}
	for _, v := range vs {
		v.m = &metrics{}
		p, err := startPortal(v.dir)
		if err != nil {
			log.Fatal(err)
		}
		defer p.Close()
		v.portal = p
	}

	r := &report{runs: *runs, clicks: *clicks, vs: vs}
	if r.sizes, err = measureSizes(vs); err != nil {
		log.Fatal(err)
	}

	bctx, stop, err := startBrowser()
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	r.machine = machineInfo(bctx)
	loadStart := loadAvg()

	if *only == "memory" {
		*runs = 0
	}
	// Interleaved: A, B, C, A, B, C, ...
	for i := 0; i < *runs; i++ {
		for _, v := range vs {
			if err := oneRun(bctx, v); err != nil {
				log.Fatalf("run %d, %s: %v", i+1, v.name, err)
			}
		}
		log.Printf("run %d/%d: A ready %.0f ms, B %.0f ms, C %.0f ms, D %.0f ms", i+1, *runs,
			last(vs[0].m.readyCold), last(vs[1].m.readyCold), last(vs[2].m.readyCold), last(vs[3].m.readyCold))
	}
	for _, v := range vs {
		if err := memoryRun(bctx, v, *clicks); err != nil {
			log.Fatalf("memory, %s: %v", v.name, err)
		}
		log.Printf("memory %s: done", v.name)
	}
	for _, v := range []*variant{vs[0], vs[2]} {
		if *only != "" {
			break
		}
		if v.m.profileStart, err = profileStart(bctx, v); err != nil {
			log.Printf("start-up profile, %s: %v (skipped)", v.name, err)
		}
	}
	for _, v := range vs[:2] {
		if *only != "" {
			break
		}
		if v.m.profile, err = profile10k(bctx, v); err != nil {
			log.Printf("profile, %s: %v (skipped)", v.name, err)
		}
	}

	r.machine = append(r.machine, fmt.Sprintf("Load average (1 min) at start / end of the runs: %s / %s on %d cores",
		loadStart, loadAvg(), runtime.NumCPU()))
	md := r.markdown()
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

func last(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[len(xs)-1]
}

// buildB lays out the reference widget: bench/reference/ plus the widget's
// own style.css.
func buildB(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range [][2]string{
		{"bench/reference/index.html", "index.html"},
		{"bench/reference/app.js", "app.js"},
		{"widget/style.css", "style.css"},
	} {
		if err := copyFile(f[0], filepath.Join(dir, f[1])); err != nil {
			return err
		}
	}
	return nil
}

// buildFloor builds a floor program (C, D) with the widget's release flags
// and serves it with the widget's page, loader and wasm_exec.js.
func buildFloor(dir, pkg string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-gcflags=all=-l", "-o", filepath.Join(dir, "pinall.wasm"), pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=nogreenteagc") // as make build
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build the floor: %w", err)
	}
	// Served like the widget: make build precompresses it, so must the floor.
	cmd = exec.Command("go", "run", "scripts/precompress.go", filepath.Join(dir, "pinall.wasm"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("precompress the floor: %w", err)
	}
	for _, f := range []string{"index.html", "build.js", "loader.js", "wasm_exec.js", "style.css"} {
		if err := copyFile(filepath.Join("widget", f), filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// sizes of what each variant ships: the wasm (A, C) or the scripts (B).
type sizes struct {
	name                   string
	what                   string
	raw, gz, br            int
	brErr                  string
	precompressedBr, preGz bool
}

func measureSizes(vs []*variant) ([]sizes, error) {
	var out []sizes
	for _, v := range vs {
		files := []string{"pinall.wasm"}
		what := "pinall.wasm"
		if v.name == "B" {
			files, what = []string{"app.js"}, "app.js"
		}
		var all []byte
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(v.dir, f))
			if err != nil {
				return nil, err
			}
			all = append(all, b...)
		}
		s := sizes{name: v.name, what: what, raw: len(all)}
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(all)
		w.Close()
		s.gz = gz.Len()
		s.br, s.brErr = brotliSize(all)
		_, e1 := os.Stat(filepath.Join(v.dir, files[0]+".br"))
		_, e2 := os.Stat(filepath.Join(v.dir, files[0]+".gz"))
		s.precompressedBr, s.preGz = e1 == nil, e2 == nil
		out = append(out, s)
	}
	return out, nil
}

// brotliSize compresses with the brotli CLI at quality 11 (Debian package
// brotli; make bench installs it when it can).
func brotliSize(b []byte) (int, string) {
	path, err := exec.LookPath("brotli")
	if err != nil {
		return 0, "brotli CLI not found (apt-get install brotli)"
	}
	cmd := exec.Command(path, "-q", "11", "-c")
	cmd.Stdin = bytes.NewReader(b)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return 0, "brotli: " + err.Error()
	}
	return out.Len(), ""
}

// oneRun is one cold load, one warm load, one click and one 10k click of a
// variant, in a fresh browser context.
func oneRun(bctx contextT, v *variant) error {
	p, m := v.portal, v.m
	p.Reset()
	tRun := time.Now()
	t, err := newTab(bctx)
	if err != nil {
		return err
	}
	defer t.close()
	page := fmt.Sprintf("%s/?user=%d", p.PortalURL(), user1)
	cold, err := t.load(page, p.AppURL())
	if err != nil {
		return fmt.Errorf("cold load: %w", err)
	}
	m.readyCold = append(m.readyCold, cold.readyMs)
	m.phasesCold.add(cold)
	m.bytesCold = append(m.bytesCold, cold.bytes)
	m.reqsCold = append(m.reqsCold, float64(cold.requests))
	warm, err := t.load(page, p.AppURL())
	if err != nil {
		return fmt.Errorf("warm load: %w", err)
	}
	m.readyWarm = append(m.readyWarm, warm.readyMs)
	m.phasesWarm.add(warm)
	m.bytesWarm = append(m.bytesWarm, warm.bytes)
	if !v.clicks {
		return nil
	}
	logged := restRequests(p)
	ms, _, reqs, after, n, err := clickOnce(t, warm.frame, p)
	m.clickMethods = restMethods(p, logged)
	if err != nil {
		return fmt.Errorf("click: %w", err)
	}
	if n == 0 {
		return errors.New("click: the result held no sessions")
	}
	m.click = append(m.click, ms)
	m.reqsClick = append(m.reqsClick, float64(reqs))
	m.reqsAfter = append(m.reqsAfter, float64(after))

	tBig := time.Now()
	big, err := t.load(fmt.Sprintf("%s/?user=%d", p.PortalURL(), user10k), p.AppURL())
	if err != nil {
		return fmt.Errorf("10k load: %w", err)
	}
	tClick := time.Now()
	ms, full, _, _, n, err := clickOnce(t, big.frame, p)
	if verbose {
		log.Printf("%s: 10k load %.1fs, click %.1fs (in page %.0f ms)", v.name, tClick.Sub(tBig).Seconds(), time.Since(tClick).Seconds(), ms)
	}
	if err != nil {
		return fmt.Errorf("10k click: %w", err)
	}
	if n < n10k {
		return fmt.Errorf("10k click: the list holds %d rows, want >= %d", n, n10k)
	}
	m.click10k = append(m.click10k, ms)
	m.full10k = append(m.full10k, full)
	if verbose {
		log.Printf("%s: run %.1fs, of which 10k %.1fs", v.name, time.Since(tRun).Seconds(), time.Since(tBig).Seconds())
	}
	p.Reset()
	return nil
}

// clickOnce clicks #pin-all with the mouse and returns ms from the click
// event to data-state=done (both inside the iframe), ms from the click to
// the list complete (A appends the rows past the first screenful after done,
// #sessions aria-busy="true" meanwhile; a list not busy at done is complete
// then), the REST requests the portal received up to done (OPTIONS
// included: the action's cost), those in the 500 ms after done (the
// dialog-name lookups that follow the result, issue 7), and the rows in the
// complete list.
func clickOnce(t *tab, f *frameSession, p *devportal.Portal) (ms, full float64, reqs, after, rows int, err error) {
	x, y, err := t.framePoint(f, "#pin-all")
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	from, err := f.seq()
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	before := restRequests(p)
	// A click the layout moved away from would never end: check that the app
	// saw it (its state moved on), and click again if not.
	for try := 1; ; try++ {
		if err := t.click(x, y); err != nil {
			return 0, 0, 0, 0, 0, err
		}
		var moved bool
		err := f.evalInto(fmt.Sprintf(`new Promise((ok) => { const t0 = performance.now();
			const f = () => (__bench.seq > %d || performance.now() - t0 > 3000) ? ok(__bench.seq > %d) : setTimeout(f, 20);
			f(); })`, from, from), &moved)
		if err != nil {
			return 0, 0, 0, 0, 0, err
		}
		if moved {
			break
		}
		if try == 3 {
			return 0, 0, 0, 0, 0, errors.New("three clicks on #pin-all did not reach the app")
		}
		if x, y, err = t.framePoint(f, "#pin-all"); err != nil {
			return 0, 0, 0, 0, 0, err
		}
	}
	w, err := f.waitState(from, "done", "error")
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	if w.State != "done" {
		return 0, 0, 0, 0, 0, fmt.Errorf("the click ended in %q", w.State)
	}
	if w.Click < 0 {
		return 0, 0, 0, 0, 0, errors.New("no click event reached the app")
	}
	// Rows are counted once the list is complete; its time is the observer's
	// record of aria-busy leaving #sessions, or done if that came first.
	var end struct {
		Rows int     `json:"rows"`
		Idle float64 `json:"idle"`
	}
	if err := f.evalInto(`new Promise((ok, fail) => { const t0 = performance.now();
		const f = () => {
			if (!document.querySelector('#sessions[aria-busy="true"]')) return ok({ idle: __bench.idle,
				rows: document.querySelectorAll("#sessions li[data-session-id]").length });
			if (performance.now() - t0 > 10000) return fail(new Error("#sessions still aria-busy after 10 s"));
			setTimeout(f, 10);
		};
		f(); })`, &end); err != nil {
		return 0, 0, 0, 0, 0, err
	}
	rows, full = end.Rows, max(w.T, end.Idle)-w.Click
	// Split at done on the wall clock: the portal logs each request as it
	// arrives, the observer notes Date.now() with done (same machine clock).
	time.Sleep(500 * time.Millisecond)
	done := time.UnixMilli(int64(w.Wall))
	i := 0
	for _, r := range p.Requests() {
		if !strings.HasPrefix(r.Path, "/rest/") {
			continue
		}
		if i++; i <= before {
			continue
		}
		if r.Time.After(done) {
			after++
		} else {
			reqs++
		}
	}
	return w.T - w.Click, full, reqs, after, rows, nil
}

func restRequests(p *devportal.Portal) int {
	n := 0
	for _, r := range p.Requests() {
		if strings.HasPrefix(r.Path, "/rest/") {
			n++
		}
	}
	return n
}

// restMethods lists the REST requests logged since the first n, as
// "HTTP method REST method" with counts.
func restMethods(p *devportal.Portal, n int) string {
	count := map[string]int{}
	var order []string
	i := 0
	for _, r := range p.Requests() {
		if !strings.HasPrefix(r.Path, "/rest/") {
			continue
		}
		if i++; i <= n {
			continue
		}
		k := r.HTTPMethod + " " + r.Method
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	var parts []string
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%d x %s", count[k], k))
	}
	return strings.Join(parts, ", ")
}

// memoryRun loads the variant, measures, clicks pin/unpin alternately n
// times (element.click() inside the page, each awaited to done), measures
// again.
func memoryRun(bctx contextT, v *variant, n int) error {
	p, m := v.portal, v.m
	p.Reset()
	defer p.Reset()
	t, err := newTab(bctx)
	if err != nil {
		return err
	}
	defer t.close()
	r, err := t.load(fmt.Sprintf("%s/?user=%d", p.PortalURL(), user1), p.AppURL())
	if err != nil {
		return err
	}
	f := r.frame
	// One round first, so both measurements see a page that has shown a list.
	if v.clicks {
		if err := clickLoop(f, 2); err != nil {
			return err
		}
	}
	if m.heap0, m.wasm0, err = f.memory(); err != nil {
		return err
	}
	if !v.clicks {
		m.heap1, m.wasm1 = m.heap0, m.wasm0
		return nil
	}
	if err := clickLoop(f, n); err != nil {
		return err
	}
	m.memClicks = n
	m.heap1, m.wasm1, err = f.memory()
	return err
}

func clickLoop(f *frameSession, n int) error {
	var done int
	err := f.evalInto(fmt.Sprintf(`(async () => {
		const pin = document.getElementById("pin-all"), unpin = document.getElementById("unpin-all");
		let done = 0;
		for (let i = 0; i < %d; i++) {
			const from = __bench.seq;
			(i %% 2 ? unpin : pin).click();
			const w = await __bench.wait(["done", "error"], from);
			if (w.state === "done") done++;
		}
		return done;
	})()`, n), &done)
	if err != nil {
		return err
	}
	if done != n {
		return fmt.Errorf("%d of %d clicks reached done", done, n)
	}
	return nil
}

// startPortal serves dir with the demo data plus 10,000 open sessions for
// user10k, and a rate limit out of the way of 1,000 clicks.
func startPortal(dir string) (*devportal.Portal, error) {
	return devportal.Start(devportal.Config{
		WidgetDir: dir, UserID: user10k, ExtraSessions: n10k,
		RateLimit: devportal.RateLimit{PerSecond: 1e6, Burst: 1e6},
	})
}
