//go:build !js

package report

import (
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pinall/pinall/bench/internal/browser"
	"github.com/pinall/pinall/internal/wasmbuild"
)

// results is a run where A meets every target but the two named in fail.
func results(fail ...string) *Results {
	failing := map[string]bool{}
	for _, f := range fail {
		failing[f] = true
	}
	slow := func(name string, ok, bad []float64) []float64 {
		if failing[name] {
			return bad
		}
		return ok
	}
	A := &Variant{Name: "A", Clicks: true, Plain: true, Size: Size{Gz: 900}}
	B := &Variant{Name: "B", Clicks: true, Plain: true}
	S := &Variant{Name: "S", Clicks: true, Plain: true}
	D := &Variant{Name: "D", Plain: true, Size: Size{Gz: 800}}
	C := &Variant{Name: "C"}
	A.PlainHost = PlainHost{Wasm: true,
		ColdBytes: []float64{900 * 1024, 900 * 1024}, ColdReady: []float64{600, 620, 640},
		WarmReady: slow("warm", []float64{140, 150, 160}, []float64{200, 210, 220}), WarmWasm: []float64{0, 0},
		RefusedWarmReady: []float64{150, 160}, RefusedWarmWasm: []float64{0, 0}, BareWarmWasm: []float64{0, 0}}
	S.PlainHost = PlainHost{ColdReady: []float64{300, 300, 300}, WarmReady: []float64{150, 150, 150}, RefusedWarmReady: []float64{150, 150}}
	D.PlainHost = PlainHost{Wasm: true, ColdReady: []float64{560, 580}}
	A.Local = Local{FirstClick: []float64{10, 11, 12}, SteadyClick: slow("steady", []float64{9, 9}, []float64{30, 30}),
		Whole10k: []float64{40}, ReqsClick: []float64{1, 1, 1},
		Memory: Memory{Clicks: 1000, From: browser.Memory{Heap: 1 << 20, Wasm: 4 << 20}, Last: browser.Memory{Heap: 1<<20 + 50*1024, Wasm: 4 << 20}}}
	B.Local = Local{FirstClick: []float64{10, 10, 10}, SteadyClick: []float64{9, 9}, Whole10k: []float64{40}}
	return &Results{MemFrom: 200, Variants: []*Variant{A, B, S, C, D}}
}

func grades(r *Results) map[string]Grade {
	out := map[string]Grade{}
	for _, g := range r.Targets() {
		out[g.Figure] = g
	}
	return out
}

func TestTargetsPassWhenEveryRatioIsWithin(t *testing.T) {
	for _, g := range results().Targets() {
		if !g.Pass {
			t.Errorf("%s: %s ratio %v, graded FAIL", g.Figure, g.Measured, g.Ratio)
		}
	}
}

func TestTargetsFailWhatIsOver(t *testing.T) {
	g := grades(results("warm", "steady"))
	warm := g["plain host, warm, storage allowed: ready / SDK peer's"]
	if warm.Pass || math.Abs(warm.Ratio-210.0/150) > 1e-9 {
		t.Errorf("warm: %+v, want FAIL at x1.40 (medians 210 / 150)", warm)
	}
	steady := g["localhost: steady state (median of clicks 2..N), click to done / plain JS"]
	if steady.Pass || steady.Ratio != 30.0/9 {
		t.Errorf("steady clicks: %+v, want FAIL", steady)
	}
	if first := g["localhost: first click after ready, click to done / plain JS"]; !first.Pass || first.Ratio != 1.1 {
		t.Errorf("first click: %+v, want PASS at x1.10", first)
	}
}

// A figure the run did not measure fails: a missing peer is no pass.
func TestTargetsFailWithoutSamples(t *testing.T) {
	r := results()
	r.Variant("B").Local.FirstClick = nil
	r.Variant("A").PlainHost.RefusedWarmWasm = nil
	r.Variant("A").Local.Memory.Clicks = 0
	g := grades(r)
	for _, f := range []string{
		"localhost: first click after ready, click to done / plain JS",
		"plain host, warm: wasm bytes downloaded (A), revalidating host, storage refused",
		"memory between click 200 and click 0 (A)",
	} {
		if got, ok := g[f]; !ok || got.Pass {
			t.Errorf("%s: %+v (found %v), want FAIL", f, got, ok)
		}
	}
}

func TestTargetsGradeMemoryAndRequests(t *testing.T) {
	r := results()
	A := r.Variant("A")
	A.Local.Memory.Last.Wasm += 64 << 10
	A.Local.ReqsClick = []float64{1, 2, 1}
	g := grades(r)
	if m := g["memory between click 200 and click 1000 (A)"]; m.Pass {
		t.Errorf("memory grew 64 KB of wasm: %+v, want FAIL", m)
	}
	if q := g["requests per click up to done (A)"]; q.Pass {
		t.Errorf("a click with 2 requests: %+v, want FAIL", q)
	}
}

// Variants are found by name: their order in the run changes nothing.
func TestTargetsFollowNamesNotPositions(t *testing.T) {
	a, b := results("warm"), results("warm")
	v := b.Variants
	b.Variants = []*Variant{v[4], v[2], v[0], v[3], v[1]}
	ga, gb := a.Targets(), b.Targets()
	if len(ga) != len(gb) || len(ga) == 0 {
		t.Fatalf("%d targets, then %d", len(ga), len(gb))
	}
	for i := range ga {
		if ga[i].Figure != gb[i].Figure || ga[i].Pass != gb[i].Pass || ga[i].Measured != gb[i].Measured {
			t.Errorf("reordered variants: %+v, then %+v", ga[i], gb[i])
		}
	}
}

// Every graded figure is in docs/benchmarks.md's targets table, where what
// it covers is said.
func TestTargetsAreTheDocs(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/benchmarks.md")
	if err != nil {
		t.Fatal(err)
	}
	number := regexp.MustCompile(`click \d+ and click \d+`)
	for _, g := range results().Targets() {
		figure := number.ReplaceAllString(g.Figure, "click 200 and click 1,000")
		if !strings.Contains(string(doc), "| "+figure+" |") {
			t.Errorf("docs/benchmarks.md's targets table has no row %q", figure)
		}
	}
}

// The report keeps tables and one-line captions: what a figure covers is
// said in docs/benchmarks.md only.
func TestMarkdownIsTablesAndCaptions(t *testing.T) {
	r := results()
	r.Packages = map[string]wasmbuild.Sizes{
		"A": {Code: map[string]int{"runtime": 100, "fmt": 50, "github.com/pinall/pinall/internal/b24": 70}, Data: 10, Other: 5, Total: 235},
		"D": {Code: map[string]int{"runtime": 100, "fmt": 50}, Data: 8, Other: 5, Total: 163},
	}
	md := r.Markdown()
	prev := ""
	for i, l := range strings.Split(md, "\n") {
		prose := l != "" && !strings.HasPrefix(l, "|") && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "- ") && !strings.HasPrefix(l, "**")
		if prose && prev != "" {
			t.Errorf("line %d: prose over two lines: %q after %q", i+1, l, prev)
		}
		if prose {
			prev = l
		} else {
			prev = ""
		}
	}
	if strings.Contains(md, "How it is measured") {
		t.Error("the report holds a copy of docs/benchmarks.md's account")
	}
	// The size table lists what A adds first.
	b24 := strings.Index(md, "| github.com/pinall/pinall/internal/b24 |")
	rt := strings.Index(md, "| runtime |")
	if b24 < 0 || rt < 0 || b24 > rt {
		t.Errorf("size table: b24 (A only) at %d, runtime (both) at %d: want b24 first", b24, rt)
	}
}
