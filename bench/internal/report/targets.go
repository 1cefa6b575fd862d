//go:build !js

package report

import (
	"fmt"
	"math"

	"github.com/pinall/pinall/bench/internal/stats"
)

// Grade is one target, graded.
type Grade struct {
	Figure   string // as docs/benchmarks.md's targets table names it
	Measured string
	Ratio    float64 // NaN when the target is not a ratio
	Target   string
	Pass     bool
}

// flatHeapKB is the JS heap growth between click MemFrom and the last that
// still counts as flat: 100 KB over 800 clicks is 128 bytes a click, less
// than one leaked object with a string.
const flatHeapKB = 100

// ratio grades a's median against base's: pass when a/base <= limit. A
// figure with no samples fails.
func ratio(figure string, a []float64, aName string, base []float64, baseName, unit string, limit float64) Grade {
	am, bm := stats.Median(a), stats.Median(base)
	q := stats.Ratio(am, bm)
	return Grade{
		Figure:   figure,
		Measured: fmt.Sprintf("%s %.1f %s vs %s %.1f %s", aName, am, unit, baseName, bm, unit),
		Ratio:    q,
		Target:   fmt.Sprintf("<= x%.2f", limit),
		Pass:     !math.IsNaN(q) && q <= limit,
	}
}

// Targets grades the run against docs/benchmarks.md's targets: ratios of
// medians measured in this run, A against its peers.
func (r *Results) Targets() []Grade {
	A, B, S, D := r.Variant("A"), r.Variant("B"), r.Variant("S"), r.Variant("D")
	if A == nil || B == nil || S == nil || D == nil {
		return nil
	}
	pA, pS, pD := &A.PlainHost, &S.PlainHost, &D.PlainHost
	var g []Grade
	cb := stats.Of(pA.ColdBytes)
	g = append(g, Grade{Figure: "plain host, cold: bytes from the app's host (A)", Measured: kb(cb.Med),
		Ratio: math.NaN(), Target: "<= 1,000 KB", Pass: cb.N > 0 && cb.Max <= 1000*1024})
	g = append(g,
		ratio("plain host, cold: ready / SDK peer's", pA.ColdReady, "A", pS.ColdReady, "S", "ms", 2.5),
		ratio("plain host, cold: ready / floor D's", pA.ColdReady, "A", pD.ColdReady, "D", "ms", 1.15))
	for _, w := range []struct {
		host string
		xs   []float64
	}{
		{"revalidating host", pA.WarmWasm},
		{"revalidating host, storage refused", pA.RefusedWarmWasm},
		{"host sending no cache headers", pA.BareWarmWasm},
	} {
		s := stats.Of(w.xs)
		g = append(g, Grade{Figure: "plain host, warm: wasm bytes downloaded (A), " + w.host,
			Measured: fmt.Sprintf("%s (max %s)", kb(s.Med), kb(s.Max)), Ratio: math.NaN(), Target: "0",
			Pass: s.N > 0 && s.Max == 0})
	}
	g = append(g,
		ratio("plain host, warm, storage allowed: ready / SDK peer's", pA.WarmReady, "A", pS.WarmReady, "S", "ms", 1.0),
		ratio("plain host, warm, storage refused: ready / SDK peer's", pA.RefusedWarmReady, "A", pS.RefusedWarmReady, "S", "ms", 1.15),
		ratio("localhost: first click after ready, click to done / plain JS", A.Local.FirstClick, "A", B.Local.FirstClick, "B", "ms", 1.2),
		ratio("localhost: steady state (median of clicks 2..N), click to done / plain JS", A.Local.SteadyClick, "A", B.Local.SteadyClick, "B", "ms", 1.2),
		ratio("localhost: 10,000 IDs, click to the whole list / plain JS", A.Local.Whole10k, "A", B.Local.Whole10k, "B", "ms", 1.2))
	gz := Grade{Figure: "pinall.wasm gzip -9 / floor D's", Ratio: stats.Ratio(float64(A.Size.Gz), float64(D.Size.Gz)),
		Measured: fmt.Sprintf("A %s vs D %s", kb(float64(A.Size.Gz)), kb(float64(D.Size.Gz))), Target: "<= x1.15"}
	gz.Pass = !math.IsNaN(gz.Ratio) && gz.Ratio <= 1.15
	g = append(g, gz)
	rq := stats.Of(A.Local.ReqsClick)
	g = append(g, Grade{Figure: "requests per click up to done (A)", Measured: rq.Format("%.0f"), Ratio: math.NaN(),
		Target: "1", Pass: rq.N > 0 && rq.Min == 1 && rq.Max == 1})
	m := A.Local.Memory
	heap, wasm := m.Last.Heap-m.From.Heap, m.Last.Wasm-m.From.Wasm
	g = append(g, Grade{Figure: fmt.Sprintf("memory between click %d and click %d (A)", r.MemFrom, m.Clicks),
		Measured: fmt.Sprintf("JS heap %s, wasm memory %s", signedKB(heap), signedKB(wasm)), Ratio: math.NaN(),
		Target: fmt.Sprintf("flat: wasm memory +0, JS heap < +%d KB", flatHeapKB),
		Pass:   m.Clicks > 0 && wasm == 0 && heap < flatHeapKB*1024})
	return g
}

func kb(n float64) string { return fmt.Sprintf("%.1f KB", n/1024) }

func signedKB(n float64) string { return fmt.Sprintf("%+.1f KB", n/1024) }
