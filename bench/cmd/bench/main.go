//go:build !js

// Command bench measures the Pin All widget against the same widget in plain
// JavaScript, the same widget on the official Bitrix24 SDK, and the Go floor,
// in one headless Chromium, variants interleaved. Run it from the module root
// after make dist: make bench. docs/benchmarks.md says what each figure
// covers.
//
//	A  the widget: widget/ as make build leaves it (localhost), and the files
//	   of dist/pinall.zip (the plain-host profile)
//	B  bench/reference/: the same job in plain JavaScript, no build step
//	S  bench/sdk/: the same job on @bitrix24/b24jssdk, bundled with esbuild
//	C  bench/floor/: a Go program that only sets data-state=ready, through
//	   the widget's own page and loader
//	D  bench/floor/safejs/: C plus safejs and context
//
// Two profiles. Localhost: every variant served by its own in-process dev
// portal with .br/.gz negotiated, unpaced (start-up, clicks, 10,000 IDs,
// memory). Plain host: A, B and S served as Bitrix24 serves an uploaded zip
// (the bytes as they are, ETag + Cache-Control: no-cache; and again with no
// cache headers at all), paced on the server to 20 Mbit/s and 40 ms round
// trips (internal/devportal/pace.go): cold and warm opens.
//
// Times are taken inside the app's iframe with performance.now()
// (bench/cmd/bench/observer.js, injected before the document's own scripts);
// bytes from CDP Network events; requests per click from the portal's request
// log; memory from the iframe's renderer (Runtime.getHeapUsage after a GC,
// WebAssembly.Memory byteLength via Runtime.queryObjects).
//
// BENCH_RUNS (default 20) sets the localhost runs per variant,
// BENCH_PLAIN_RUNS (default 10) the plain-host runs per peer, BENCH_CLICKS
// (default 1000) the clicks of the memory test.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
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
	memFrom = 200   // the memory test's first measured click: the runtime's one-time step comes before it
	zipPath = "dist/pinall.zip"
)

type variant struct {
	name, desc string
	dir        string
	portal     *devportal.Portal
	clicks     bool // A, B and S have buttons; C and D do not
	m          *metrics
}

func main() {
	runs := flag.Int("runs", envInt("BENCH_RUNS", 20), "localhost runs per variant (BENCH_RUNS)")
	// Fewer plain-host runs: each is four paced opens per peer, and the
	// paced figures vary less than the localhost ones (the link, not the
	// machine, sets most of them); 10 keeps make bench near its old length.
	plainRuns := flag.Int("plain-runs", envInt("BENCH_PLAIN_RUNS", 10), "plain-host runs per peer (BENCH_PLAIN_RUNS)")
	clicks := flag.Int("clicks", envInt("BENCH_CLICKS", 1000), "clicks of the memory test (BENCH_CLICKS), > 200")
	out := flag.String("out", "bench/results.md", "where to write the results")
	only := flag.String("only", "", `"memory": only the memory test; "plain": only the plain-host profile (quick looks; the report's other figures stay empty)`)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	if _, err := os.Stat("go.mod"); err != nil {
		log.Fatal("run from the module root (make bench)")
	}
	if *clicks <= memFrom {
		log.Fatalf("BENCH_CLICKS=%d: the memory test measures between click %d and the last, want more", *clicks, memFrom)
	}
	for _, f := range []string{"index.html", "loader.js", "style.css"} {
		if _, err := os.Stat(filepath.Join("widget", f)); err != nil {
			log.Fatalf("widget/%s is missing: run make build", f)
		}
	}
	if _, err := os.Stat(zipPath); err != nil {
		log.Fatalf("%s is missing: run make dist", zipPath)
	}
	work, err := os.MkdirTemp("", "pinall-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	dirB, dirS, dirC, dirD := filepath.Join(work, "B"), filepath.Join(work, "S"), filepath.Join(work, "C"), filepath.Join(work, "D")
	if err := buildB(dirB); err != nil {
		log.Fatal(err)
	}
	if err := buildS(dirS); err != nil {
		log.Fatal(err)
	}
	if err := buildFloor(dirC, "./bench/floor"); err != nil {
		log.Fatal(err)
	}
	if err := buildFloor(dirD, "./bench/floor/safejs"); err != nil {
		log.Fatal(err)
	}

	vs := []*variant{
		{name: "A", desc: "Go widget (widget/ on localhost; dist/pinall.zip's files on the plain host)", dir: "widget", clicks: true},
		{name: "B", desc: "plain-JS reference (bench/reference/)", dir: dirB, clicks: true},
		{name: "S", desc: "official-SDK peer: @bitrix24/b24jssdk 2.2.0 as its docs show, bundled with esbuild (bench/sdk/)", dir: dirS, clicks: true},
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
	peers, err := startPlainPeers(vs[:3], zipPath)
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		for _, pp := range peers {
			pp.close()
		}
	}()

	r := &report{runs: *runs, plainRuns: *plainRuns, clicks: *clicks, vs: vs, peers: peers}
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
	began := time.Now()

	switch *only {
	case "memory":
		*runs, *plainRuns = 0, 0
	case "plain":
		*runs = 0
	}
	// The plain-host profile first, peers interleaved: A, B, S, A, B, S, ...
	for i := 0; i < *plainRuns; i++ {
		for _, pp := range peers {
			if err := plainRun(bctx, pp); err != nil {
				log.Fatalf("plain host, run %d, %s: %v", i+1, pp.name, err)
			}
		}
		log.Printf("plain host %d/%d: cold ready A %.0f ms, B %.0f ms, S %.0f ms", i+1, *plainRuns,
			last(peers[0].m.coldReady), last(peers[1].m.coldReady), last(peers[2].m.coldReady))
	}
	// Localhost, interleaved: A, B, S, C, D, A, ...
	for i := 0; i < *runs; i++ {
		for _, v := range vs {
			if err := oneRun(bctx, v); err != nil {
				log.Fatalf("run %d, %s: %v", i+1, v.name, err)
			}
		}
		log.Printf("run %d/%d: ready A %.0f ms, B %.0f ms, S %.0f ms, C %.0f ms, D %.0f ms", i+1, *runs,
			last(vs[0].m.readyCold), last(vs[1].m.readyCold), last(vs[2].m.readyCold), last(vs[3].m.readyCold), last(vs[4].m.readyCold))
	}
	for _, v := range vs {
		if *only == "plain" {
			break
		}
		// S's SDK paces its own calls (its default limiter: a burst of 50,
		// then 2 a second), so 1,000 clicks would take 8 minutes: its
		// memory is not measured; no target asks for it.
		if v.name == "S" {
			continue
		}
		if err := memoryRun(bctx, v, *clicks); err != nil {
			log.Fatalf("memory, %s: %v", v.name, err)
		}
		log.Printf("memory %s: done", v.name)
	}
	for _, v := range []*variant{vs[0], vs[3]} {
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
		loadStart, loadAvg(), runtime.NumCPU()),
		fmt.Sprintf("The run took %s (BENCH_RUNS=%d, BENCH_PLAIN_RUNS=%d, BENCH_CLICKS=%d)",
			time.Since(began).Round(time.Second), *runs, *plainRuns, *clicks))
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
	raw := filepath.Join(dir, "raw", "pinall.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-gcflags=all=-l", "-o", raw, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=nogreenteagc") // as make build
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build the floor: %w", err)
	}
	return servedLikeTheWidget(dir, raw)
}

// servedLikeTheWidget lays out dir as make build lays out widget/ for the
// raw wasm program raw: its gzip'd pinall.wasm and .br sibling, a build.js
// of its own (the loader caches by the hash written there: the widget's
// would never match), and the widget's page, loader and glue.
func servedLikeTheWidget(dir, raw string) error {
	for _, args := range [][]string{
		{"run", "scripts/precompress.go", "-o", dir, raw},
		{"run", "scripts/buildjs.go", "-version", "bench", "-o", filepath.Join(dir, "build.js"), raw},
	} {
		cmd := exec.Command("go", args...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
		}
	}
	return copyWidgetPage(dir)
}

// copyWidgetPage copies widget/'s files but its wasm programs (and their
// compressed copies) and build.js into dir: the widget's page, loader and
// glue, to run another program in.
func copyWidgetPage(dir string) error {
	entries, err := os.ReadDir("widget")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || strings.Contains(e.Name(), ".wasm") || e.Name() == "build.js" {
			continue
		}
		if err := copyFile(filepath.Join("widget", e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// buildS installs bench/sdk's npm packages when node_modules is missing or
// came from another package-lock.json, bundles the official-SDK peer with
// esbuild and lays it out in dir with the widget's style.css.
func buildS(dir string) error {
	sdk := filepath.Join("bench", "sdk")
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("the SDK peer needs Node.js 20+ and npm (make node): %s is not on PATH", tool)
		}
	}
	lock, err := os.ReadFile(filepath.Join(sdk, "package-lock.json"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(lock)
	stamp := filepath.Join(sdk, "node_modules", ".pinall-lock-sha256")
	if got, err := os.ReadFile(stamp); err != nil || string(got) != hex.EncodeToString(sum[:]) {
		if err := npm(sdk, "ci", "--no-audit", "--no-fund"); err != nil {
			return err
		}
		if err := os.WriteFile(stamp, []byte(hex.EncodeToString(sum[:])), 0o644); err != nil {
			return err
		}
	}
	if err := npm(sdk, "run", "--silent", "build"); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range [][2]string{
		{"bench/reference/index.html", "index.html"}, // the same page: only app.js differs
		{filepath.Join(sdk, "dist", "app.js"), "app.js"},
		{"widget/style.css", "style.css"},
	} {
		if err := copyFile(f[0], filepath.Join(dir, f[1])); err != nil {
			return err
		}
	}
	return nil
}

// npm runs npm in dir with its cache in dir/.npm-cache.
func npm(dir string, args ...string) error {
	cmd := exec.Command("npm", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(dir, ".npm-cache"),
		"npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm %s in %s: %w\n%s", strings.Join(args, " "), dir, err, out)
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
		if v.name == "B" || v.name == "S" {
			files, what = []string{"app.js"}, "app.js"
		}
		var all []byte
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(v.dir, f))
			if errors.Is(err, os.ErrNotExist) && f == "pinall.wasm" {
				b, err = os.ReadFile(filepath.Join(v.dir, f+".gz")) // a build that ships only the gzip'd wasm
			}
			if err != nil {
				return nil, err
			}
			all = append(all, gunzipped(b)...)
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

// gunzipped is b decompressed when it is gzip (the loader may ship the wasm
// so, told apart by its first bytes), else b: sizes are of the program.
func gunzipped(b []byte) []byte {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return b
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return b
	}
	return raw
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
	ms, _, reqs, after, n, err := clickOnce(t, warm.frame, p, 0)
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
	ms, full, _, _, n, err := clickOnce(t, big.frame, p, n10k)
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
	m.whole10k = append(m.whole10k, full)
	if verbose {
		log.Printf("%s: run %.1fs, of which 10k %.1fs", v.name, time.Since(tRun).Seconds(), time.Since(tBig).Seconds())
	}
	p.Reset()
	return nil
}

// clickOnce clicks #pin-all with the mouse and returns ms from the click
// event to data-state=done (both inside the iframe), ms from the click to
// the list complete, the REST requests the portal received up to done
// (OPTIONS included: the action's cost), those in the 500 ms after done (the
// dialog-name lookups that follow the result), and the rows in the complete
// list. With whole > 0 the list is complete at the first change to #sessions
// after which it holds whole li[data-session-id] and is not aria-busy
// (observer.js's armWhole); with 0, when #sessions is no longer aria-busy (or
// at done, if it was not busy then).
func clickOnce(t *tab, f *frameSession, p *devportal.Portal, whole int) (ms, full float64, reqs, after, rows int, err error) {
	x, y, err := t.framePoint(f, "#pin-all")
	if err != nil {
		return 0, 0, 0, 0, 0, err
	}
	if whole > 0 {
		var armed bool
		if err := f.evalInto(fmt.Sprintf(`__bench.armWhole(%d)`, whole), &armed); err != nil {
			return 0, 0, 0, 0, 0, err
		}
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
	if whole > 0 {
		var at float64
		if err := f.evalInto(`new Promise((ok, fail) => { const t0 = performance.now();
			const f = () => {
				if (__bench.whole >= 0) return ok(__bench.whole);
				if (performance.now() - t0 > 20000) return fail(new Error("the list never held all its rows, not busy, within 20 s"));
				setTimeout(f, 10);
			};
			f(); })`, &at); err != nil {
			return 0, 0, 0, 0, 0, err
		}
		full = at - w.Click
	}
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
		if r.Method == "" {
			k = r.HTTPMethod + " " + r.Path // a preflight names no REST method
		}
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

// memoryRun loads the variant and clicks pin/unpin alternately n times
// (element.click() inside the page, each awaited to done), measuring after
// click 2, click memFrom and click n.
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
	// Go's runtime maps its collector's metadata in a one-time step within
	// the first ~150 clicks (bench/results.md's history): flat means flat
	// from click memFrom on.
	if err := clickLoop(f, memFrom-2); err != nil {
		return err
	}
	if m.heapFrom, m.wasmFrom, err = f.memory(); err != nil {
		return err
	}
	// A midpoint tells a late one-time step from steady growth.
	mid := (memFrom + n) / 2
	if err := clickLoop(f, mid-memFrom); err != nil {
		return err
	}
	if m.heapMid, m.wasmMid, err = f.memory(); err != nil {
		return err
	}
	if err := clickLoop(f, n-mid); err != nil {
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
