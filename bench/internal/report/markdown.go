//go:build !js

package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/bench/internal/stats"
)

// Markdown writes the results as bench/results.md's generated part.
func (r *Results) Markdown() string {
	w := &writer{}
	w.p("# Pin All: benchmark results\n\n")
	w.p("Written by `make bench` (bench/cmd/bench); what each figure covers: docs/benchmarks.md. "+
		"Median (min-max). Plain host: %d runs per peer; localhost: %d runs per variant; each round runs every variant once, in turn.\n\n",
		r.PlainRuns, r.Runs)
	for _, v := range r.Variants {
		w.p("- **%s**: %s\n", v.Name, v.Desc)
	}
	w.p("\n## Machine\n\n")
	for _, l := range r.Machine {
		w.p("- %s\n", l)
	}
	r.targets(w)
	r.plainHost(w)
	r.coldByLang(w)
	r.localRatios(w)
	r.localFigures(w)
	r.packages(w)
	r.phases(w)
	r.profiles(w)
	return w.String()
}

type writer struct{ strings.Builder }

func (w *writer) p(format string, a ...any) { fmt.Fprintf(&w.Builder, format, a...) }

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "**FAIL**"
}

func ratioStr(q float64) string {
	if math.IsNaN(q) {
		return "-"
	}
	return fmt.Sprintf("x%.2f", q)
}

func (r *Results) targets(w *writer) {
	w.p("\n## Targets\n\nRatios of medians measured in this run (docs/benchmarks.md, \"The targets\").\n\n")
	w.p("| figure | measured | ratio | target | result |\n|---|---|---|---|---|\n")
	for _, g := range r.Targets() {
		w.p("| %s | %s | %s | %s | %s |\n", g.Figure, g.Measured, ratioStr(g.Ratio), g.Target, verdict(g.Pass))
	}
}

func (r *Results) plainVariants() []*Variant {
	var out []*Variant
	for _, v := range r.Variants {
		if v.Plain {
			out = append(out, v)
		}
	}
	return out
}

func (r *Results) plainHost(w *writer) {
	vs := r.plainVariants()
	if len(vs) == 0 {
		return
	}
	w.p("\n## Plain host: the app's files as Bitrix24 serves an uploaded zip, %s\n\n", r.Pace)
	w.p("Navigation start of the app's frame to ready (ms), and bytes from the app's host; cold: a fresh browser context, warm: the same context, opened again.\n\n")
	w.p("| figure |")
	for _, v := range vs {
		w.p(" %s |", v.Name)
	}
	for _, v := range vs[1:] {
		w.p(" %s/%s |", vs[0].Name, v.Name)
	}
	w.p("\n|---|%s%s\n", strings.Repeat("---|", len(vs)), strings.Repeat("---|", len(vs)-1))
	row := func(name string, f plainFigure, get func(*PlainHost) []float64) {
		w.p("| %s |", name)
		meds := make([]float64, len(vs))
		for i, v := range vs {
			s := stats.Of(get(&v.PlainHost))
			meds[i] = s.Med
			switch {
			case f == wasmBytes && !v.PlainHost.Wasm:
				w.p(" - (no wasm) |")
				meds[i] = math.NaN()
			case f == wordsBytes && !v.PlainHost.Words:
				w.p(" - (no words file) |")
				meds[i] = math.NaN()
			case s.N == 0:
				w.p(" - |")
			case f == hostReqs:
				w.p(" %s |", s.Format("%.0f"))
			case f != ms:
				w.p(" %s (%s-%s) |", kb(s.Med), kb(s.Min), kb(s.Max))
			default:
				w.p(" %s |", s.Format("%.1f"))
			}
		}
		for i := range vs[1:] {
			w.p(" %s |", ratioStr(stats.Ratio(meds[0], meds[i+1])))
		}
		w.p("\n")
	}
	// A cold open's bytes are the same on every host and browser: shown
	// once, the revalidating host's with storage allowed.
	for _, h := range []struct {
		cold, warm string
		bytes      bool
		get        func(*PlainHost) *Opens
	}{
		{"cold", "warm, storage allowed", true, func(m *PlainHost) *Opens { return &m.Reval }},
		{"storage refused, cold", "storage refused, warm", false, func(m *PlainHost) *Opens { return &m.Refused }},
		{"no cache headers, cold", "no cache headers, warm", false, func(m *PlainHost) *Opens { return &m.Bare }},
	} {
		if h.bytes {
			row("cold: bytes from the app's host", bytesFrom, func(m *PlainHost) []float64 { return h.get(m).Cold.Bytes })
			row("cold: wasm bytes", wasmBytes, func(m *PlainHost) []float64 { return h.get(m).Cold.Wasm })
			row("cold: words bytes", wordsBytes, func(m *PlainHost) []float64 { return h.get(m).Cold.Words })
		}
		row(h.cold+": navigation to ready (ms)", ms, func(m *PlainHost) []float64 { return h.get(m).Cold.Ready })
		row(h.warm+": navigation to ready (ms)", ms, func(m *PlainHost) []float64 { return h.get(m).Warm.Ready })
		row(h.warm+": bytes from the app's host", bytesFrom, func(m *PlainHost) []float64 { return h.get(m).Warm.Bytes })
		row(h.warm+": requests the app's host answered", hostReqs, func(m *PlainHost) []float64 { return h.get(m).Warm.Host })
		row(h.warm+": wasm bytes downloaded", wasmBytes, func(m *PlainHost) []float64 { return h.get(m).Warm.Wasm })
		row(h.warm+": words bytes downloaded", wordsBytes, func(m *PlainHost) []float64 { return h.get(m).Warm.Words })
	}
	w.p("| Cache Storage in the app's frame, default rules / storage refused |")
	for _, v := range vs {
		w.p(" %s / %s |", orDash(v.PlainHost.Reval.Storage), orDash(v.PlainHost.Refused.Storage))
	}
	w.p("%s\n", strings.Repeat(" |", len(vs)-1))
}

// plainFigure is what a plain-host row counts.
type plainFigure int

const (
	ms         plainFigure = iota // a time
	bytesFrom                     // bytes from the app's host
	wasmBytes                     // of which wasm files: "-" for a peer without
	wordsBytes                    // of which words files: "-" for a peer without
	hostReqs                      // requests the app's host answered
)

func (r *Results) coldByLang(w *writer) {
	G := r.Variant("A-de")
	if G == nil {
		return
	}
	ls, _, err := r.langColds(G)
	if err != nil || ls == nil {
		return
	}
	en := "-"
	if A := r.Variant("A"); A != nil && len(A.PlainHost.Reval.Cold.Bytes) > 0 {
		en = kbBytes(stats.Of(A.PlainHost.Reval.Cold.Bytes).Max)
	}
	w.p("\n## Plain host, cold: bytes from the app's host in each portal language\n\n")
	w.p("%s measured (A-de, the largest of its runs), the others derived from it and their words file; en measured (A): %s.\n\n", G.Lang, en)
	w.p("| LANG | words file | its bytes | cold open |\n|---|---|---|---|\n")
	for _, l := range ls {
		how := "derived"
		if l.Measured {
			how = "measured"
		}
		w.p("| %s | %s | %d B | %s, %s |\n", l.Lang, l.File, l.FileBytes, kbBytes(l.Bytes), how)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return strings.ReplaceAll(s, "|", "\\|")
}

// localFigure is one localhost figure, for both localhost tables.
type localFigure struct {
	name string
	get  func(*Local) []float64
}

var timeFigures = []localFigure{
	{"navigation to ready, cold", func(m *Local) []float64 { return m.Cold.Ready }},
	{"navigation to ready, warm", func(m *Local) []float64 { return m.Warm.Ready }},
	{"first click after ready: click to done", func(m *Local) []float64 { return m.FirstClick }},
	{"steady state, median of clicks 2..N: click to done", func(m *Local) []float64 { return m.SteadyClick }},
	{"10,000 IDs, click to done", func(m *Local) []float64 { return m.Click10k }},
	{"10,000 IDs, click to the whole list", func(m *Local) []float64 { return m.Whole10k }},
}

func (r *Results) localRatios(w *writer) {
	A := r.Variant("A")
	if A == nil {
		return
	}
	pairs := [][2]string{{"A", "B"}, {"A", "S"}, {"A", "C"}, {"A", "D"}, {"S", "B"}}
	w.p("\n## Localhost: ratios of medians\n\n| figure |")
	for _, p := range pairs {
		w.p(" %s/%s |", p[0], p[1])
	}
	w.p("\n|---|%s\n", strings.Repeat("---|", len(pairs)))
	for _, f := range timeFigures {
		w.p("| %s |", f.name)
		for _, p := range pairs {
			a, b := r.Variant(p[0]), r.Variant(p[1])
			q := math.NaN()
			if a != nil && b != nil {
				q = stats.Ratio(stats.Median(f.get(&a.Local)), stats.Median(f.get(&b.Local)))
			}
			w.p(" %s |", ratioStr(q))
		}
		w.p("\n")
	}
}

func (r *Results) localFigures(w *writer) {
	vs := r.localVariants()
	w.p("\n## Localhost figures\n\nms unless said; the first click and clicks 2..%d are on one page, just after the warm load.\n\n| figure |", r.SteadyClicks)
	for _, v := range vs {
		w.p(" %s |", v.Name)
	}
	w.p("\n|---|%s\n", strings.Repeat("---|", len(vs)))
	cells := func(name string, cell func(v *Variant) string) {
		w.p("| %s |", name)
		for _, v := range vs {
			w.p(" %s |", cell(v))
		}
		w.p("\n")
	}
	row := func(name, verb string, get func(*Local) []float64) {
		cells(name, func(v *Variant) string { return stats.Of(get(&v.Local)).Format(verb) })
	}
	kbRow := func(name string, get func(*Local) []float64) {
		cells(name, func(v *Variant) string {
			s := stats.Of(get(&v.Local))
			if s.N == 0 {
				return "-"
			}
			return fmt.Sprintf("%s (%s-%s)", kb(s.Med), kb(s.Min), kb(s.Max))
		})
	}
	kbRow("bytes transferred, cold load (app origin)", func(m *Local) []float64 { return m.Cold.Bytes })
	row("requests, cold load (app origin)", "%.0f", func(m *Local) []float64 { return m.Cold.Reqs })
	kbRow("bytes transferred, warm load", func(m *Local) []float64 { return m.Warm.Bytes })
	row("navigation start to ready, cold", "%.1f", func(m *Local) []float64 { return m.Cold.Ready })
	row("navigation start to ready, warm", "%.1f", func(m *Local) []float64 { return m.Warm.Ready })
	row("first click after ready: click to done", "%.1f", func(m *Local) []float64 { return m.FirstClick })
	row("of which: the REST response's last byte to done", "%.1f", func(m *Local) []float64 { return m.FirstRespToDone })
	row("steady state, median of clicks 2..N: click to done", "%.1f", func(m *Local) []float64 { return m.SteadyClick })
	row("of which: the REST response's last byte to done", "%.1f", func(m *Local) []float64 { return m.SteadyRespToDone })
	row("REST requests of the first click, up to done", "%.0f", func(m *Local) []float64 { return m.ReqsClick })
	row("REST requests after done (500 ms: dialog-name lookups)", "%.0f", func(m *Local) []float64 { return m.ReqsAfter })
	row("10,000 IDs, click to done", "%.1f", func(m *Local) []float64 { return m.Click10k })
	row("10,000 IDs, click to the whole list", "%.1f", func(m *Local) []float64 { return m.Whole10k })
	cells("shipped code, raw", func(v *Variant) string { return v.Size.What + ": " + kb(float64(v.Size.Raw)) })
	cells("shipped code, gzip -9", func(v *Variant) string { return kb(float64(v.Size.Gz)) })
	cells("shipped code, brotli -q 11", func(v *Variant) string {
		if v.Size.BrErr != "" {
			return "n/a"
		}
		return kb(float64(v.Size.Br))
	})
	cells("REST requests of one click (the last run's)", func(v *Variant) string { return orDash(v.Local.ClickMethods) })
	cells("served precompressed on localhost (.br/.gz beside it)", func(v *Variant) string {
		return yes(v.Size.PreBr) + "/" + yes(v.Size.PreGz)
	})
	mem := func(name string, first bool, f func(m Memory) string) {
		cells(name, func(v *Variant) string {
			m := v.Local.Memory
			switch {
			case v.Name == "S":
				return "- (not measured: the SDK's limiter)"
			case m.Clicks == 0 && !(first && m.After2.Heap > 0):
				return "-"
			}
			return f(m)
		})
	}
	mid := (r.MemFrom + r.Clicks) / 2
	mem("JS heap after click 2 (after GC)", true, func(m Memory) string { return kb(m.After2.Heap) })
	mem(fmt.Sprintf("JS heap, click 2 to click %d", r.MemFrom), false, func(m Memory) string { return signedKB(m.From.Heap - m.After2.Heap) })
	mem(fmt.Sprintf("JS heap, click %d to click %d", r.MemFrom, r.Clicks), false, func(m Memory) string { return signedKB(m.Last.Heap - m.From.Heap) })
	mem(fmt.Sprintf("JS heap, click %d to %d, then to %d", r.MemFrom, mid, r.Clicks), false, func(m Memory) string {
		return signedKB(m.Mid.Heap-m.From.Heap) + ", " + signedKB(m.Last.Heap-m.Mid.Heap)
	})
	mem("wasm linear memory after click 2", true, func(m Memory) string { return fmt.Sprintf("%.2f MB", m.After2.Wasm/(1<<20)) })
	mem(fmt.Sprintf("wasm linear memory, click 2 to click %d", r.MemFrom), false, func(m Memory) string { return signedKB(m.From.Wasm - m.After2.Wasm) })
	mem(fmt.Sprintf("wasm linear memory, click %d to click %d", r.MemFrom, r.Clicks), false, func(m Memory) string { return signedKB(m.Last.Wasm - m.From.Wasm) })
	mem(fmt.Sprintf("wasm linear memory, click %d to %d, then to %d", r.MemFrom, mid, r.Clicks), false, func(m Memory) string {
		return signedKB(m.Mid.Wasm-m.From.Wasm) + ", " + signedKB(m.Last.Wasm-m.Mid.Wasm)
	})
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// packageRows is how many packages the size table lists; the rest are
// summed in one row.
const packageRows = 30

func (r *Results) packages(w *writer) {
	a, okA := r.Packages["A"]
	d, okD := r.Packages["D"]
	if !okA || !okD {
		return
	}
	w.p("\n## pinall.wasm by package, against the floor D\n\n")
	w.p("Bytes of function bodies by Go package in A's and D's builds (the release builds' code, read from named builds), by what A adds first, and how many functions more A has; then the data section and the rest of each file.\n\n")
	w.p("| package | A | D | A - D | functions, A - D |\n|---|---|---|---|---|\n")
	names := map[string]bool{}
	for p := range a.Code {
		names[p] = true
	}
	for p := range d.Code {
		names[p] = true
	}
	order := make([]string, 0, len(names))
	for p := range names {
		order = append(order, p)
	}
	sort.Slice(order, func(i, j int) bool {
		di, dj := a.Code[order[i]]-d.Code[order[i]], a.Code[order[j]]-d.Code[order[j]]
		if di != dj {
			return di > dj
		}
		if a.Code[order[i]] != a.Code[order[j]] {
			return a.Code[order[i]] > a.Code[order[j]]
		}
		return order[i] < order[j]
	})
	var restA, restD, restFuncs, n int
	for i, p := range order {
		if i >= packageRows {
			restA, restD, restFuncs, n = restA+a.Code[p], restD+d.Code[p], restFuncs+a.Funcs[p]-d.Funcs[p], n+1
			continue
		}
		w.p("| %s | %s | %s | %s | %+d |\n", p, kb(float64(a.Code[p])), kb(float64(d.Code[p])), signedKB(float64(a.Code[p]-d.Code[p])), a.Funcs[p]-d.Funcs[p])
	}
	if n > 0 {
		w.p("| %d more packages | %s | %s | %s | %+d |\n", n, kb(float64(restA)), kb(float64(restD)), signedKB(float64(restA-restD)), restFuncs)
	}
	sum := func(m map[string]int) int {
		t := 0
		for _, c := range m {
			t += c
		}
		return t
	}
	w.p("| all code | %s | %s | %s | %+d |\n", kb(float64(sum(a.Code))), kb(float64(sum(d.Code))), signedKB(float64(sum(a.Code)-sum(d.Code))), sum(a.Funcs)-sum(d.Funcs))
	for _, x := range []struct {
		name string
		a, d int
	}{
		{"data section (types, the runtime's per-function tables, strings, globals of every package)", a.Data, d.Data},
		{"other sections (names excluded)", a.Other - a.Names, d.Other - d.Names},
		{"the release build's file", a.Total - a.Names, d.Total - d.Names},
	} {
		w.p("| %s | %s | %s | %s | |\n", x.name, kb(float64(x.a)), kb(float64(x.d)), signedKB(float64(x.a-x.d)))
	}
}

func (r *Results) phases(w *writer) {
	type col struct {
		name string
		ph   *Phases
	}
	var cols []col
	for _, warm := range []bool{false, true} {
		for _, n := range []string{"A", "C", "D"} {
			if v := r.Variant(n); v != nil && warm {
				cols = append(cols, col{n + " warm", &v.Local.Warm.Phases})
			} else if v != nil {
				cols = append(cols, col{n + " cold", &v.Local.Cold.Phases})
			}
		}
	}
	w.p("\n## Where start-up goes on localhost\n\nloader.js's performance marks, ms.\n\n| phase |")
	for _, c := range cols {
		w.p(" %s |", c.name)
	}
	w.p("\n|---|%s\n", strings.Repeat("---|", len(cols)))
	for _, ph := range []struct {
		name string
		get  func(*Phases) []float64
	}{
		{"navigation start to loader.js start (HTML, CSS, scripts)", func(x *Phases) []float64 { return x.Page }},
		{"loader start to the wasm's last byte", func(x *Phases) []float64 { return x.Download }},
		{"loader start to module compiled (streaming)", func(x *Phases) []float64 { return x.Compile }},
		{"compiled to ready (Go runtime, the program's start, frame handshake)", func(x *Phases) []float64 { return x.GoStart }},
	} {
		w.p("| %s |", ph.name)
		for _, c := range cols {
			w.p(" %s |", stats.Of(ph.get(c.ph)).Format("%.1f"))
		}
		w.p("\n")
	}
}

func (r *Results) profiles(w *writer) {
	table := func(name string, prof []browser.ProfLine) {
		if len(prof) == 0 {
			return
		}
		w.p("**%s**\n\n| self ms | function |\n|---|---|\n", name)
		for _, l := range prof {
			w.p("| %.1f | %s |\n", l.Ms, strings.ReplaceAll(l.Name, "|", "\\|"))
		}
		w.p("\n")
	}
	w.p("\n## Profiles\n\nOne cold load each up to ready, under V8's sampling profiler (100 µs), self time; A as its named build.\n\n")
	for _, n := range []string{"A", "C"} {
		if v := r.Variant(n); v != nil {
			table(n, v.Local.ProfileStart)
		}
	}
	w.p("One 10,000-ID click each, the same way.\n\n")
	for _, n := range []string{"A", "B"} {
		if v := r.Variant(n); v != nil {
			table(n, v.Local.Profile)
		}
	}
}
