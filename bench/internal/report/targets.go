//go:build !js

package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

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

// coldLimit is the cold open's bound in bytes: 1,000 KB of 1,024 bytes, the
// unit of every KB in the report.
const coldLimit = 1000 * 1024

// zero grades bytes that must not move: pass when every run of every
// sample measured 0, and each sample has runs.
func zero(figure string, samples ...[]float64) Grade {
	var all []float64
	ok := true
	for _, xs := range samples {
		ok = ok && len(xs) > 0
		all = append(all, xs...)
	}
	s := stats.Of(all)
	return Grade{Figure: figure, Measured: fmt.Sprintf("%s (max %s)", kb(s.Med), kb(s.Max)), Ratio: math.NaN(),
		Target: "0", Pass: ok && s.Max == 0}
}

// notSlower grades the German open's median against the English one's in
// the same run: pass when it is no more than the English median plus the
// run's own noise, the two samples' median absolute deviations combined
// (the root of the sum of their squares).
func notSlower(figure string, de, en []float64) Grade {
	dm, em := stats.Median(de), stats.Median(en)
	noise := math.Hypot(stats.MAD(de), stats.MAD(en))
	q := stats.Ratio(dm, em)
	return Grade{
		Figure:   figure,
		Measured: fmt.Sprintf("A-de %.1f ms vs A %.1f ms (noise %.1f ms)", dm, em, noise),
		Ratio:    q,
		Target:   "<= x1.00 + noise (" + ratioStr(stats.Ratio(em+noise, em)) + ")",
		Pass:     !math.IsNaN(q) && !math.IsNaN(noise) && dm <= em+noise,
	}
}

// coldAnyLang grades the cold open in every portal language: G's language
// as measured (the largest of its runs), the others derived from it by
// their words files' sizes (ZipWords.ColdByLang).
func (r *Results) coldAnyLang(G *Variant) Grade {
	g := Grade{Figure: "plain host, cold: bytes from the app's host, any portal language (A-de measured, the others derived)",
		Ratio: math.NaN(), Target: "<= 1,000 KB", Measured: "not measured"}
	ls, measured, err := r.langColds(G)
	if err != nil {
		g.Measured = err.Error()
		return g
	}
	if ls == nil {
		return g
	}
	top, _ := largestCold(ls)
	g.Measured = fmt.Sprintf("largest: %s (%s) %s; %s measured %s", top.Lang, top.File, kbBytes(top.Bytes), G.Lang, kbBytes(measured))
	g.Pass = top.Bytes <= coldLimit
	return g
}

// Targets grades the run against docs/benchmarks.md's targets: ratios of
// medians measured in this run, A against its peers.
func (r *Results) Targets() []Grade {
	A, B, S, D := r.Variant("A"), r.Variant("B"), r.Variant("S"), r.Variant("D")
	if A == nil || B == nil || S == nil || D == nil {
		return nil
	}
	G := r.Variant("A-de")
	if G == nil {
		G = &Variant{Name: "A-de"} // not measured: its figures fail
	}
	pA, pS, pD, pG := &A.PlainHost, &S.PlainHost, &D.PlainHost, &G.PlainHost
	var g []Grade
	cb := stats.Of(pA.Reval.Cold.Bytes)
	g = append(g, Grade{Figure: "plain host, cold: bytes from the app's host (A)", Measured: kb(cb.Med),
		Ratio: math.NaN(), Target: "<= 1,000 KB", Pass: cb.N > 0 && cb.Max <= coldLimit})
	g = append(g, r.coldAnyLang(G),
		ratio("plain host, cold: ready / SDK peer's", pA.Reval.Cold.Ready, "A", pS.Reval.Cold.Ready, "S", "ms", 2.5),
		ratio("plain host, cold: ready / floor D's", pA.Reval.Cold.Ready, "A", pD.Reval.Cold.Ready, "D", "ms", 1.15),
		zero("plain host, warm: wasm bytes downloaded (A), revalidating host", pA.Reval.Warm.Wasm),
		zero("plain host, warm: wasm bytes downloaded (A), revalidating host, storage refused", pA.Refused.Warm.Wasm),
		zero("plain host, warm: wasm bytes downloaded (A), host sending no cache headers", pA.Bare.Warm.Wasm),
		zero("plain host, warm, storage allowed: words bytes downloaded (A, A-de), revalidating host", pA.Reval.Warm.Words, pG.Reval.Warm.Words),
		zero("plain host, warm, storage allowed: words bytes downloaded (A, A-de), host sending no cache headers", pA.Bare.Warm.Words, pG.Bare.Warm.Words),
		ratio("plain host, warm, storage allowed: ready / SDK peer's", pA.Reval.Warm.Ready, "A", pS.Reval.Warm.Ready, "S", "ms", 1.0),
		ratio("plain host, warm, storage refused: ready / SDK peer's", pA.Refused.Warm.Ready, "A", pS.Refused.Warm.Ready, "S", "ms", 1.15),
		notSlower("plain host, warm, storage allowed: ready in German / in English (A-de / A)", pG.Reval.Warm.Ready, pA.Reval.Warm.Ready),
		notSlower("plain host, warm, storage refused: ready in German / in English (A-de / A)", pG.Refused.Warm.Ready, pA.Refused.Warm.Ready),
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

// kbBytes is n in KB and in bytes, digits grouped: "991.9 KB (1,015,707 B)".
func kbBytes(n float64) string {
	d := strconv.FormatFloat(math.Round(n), 'f', 0, 64)
	neg := strings.HasPrefix(d, "-")
	d = strings.TrimPrefix(d, "-")
	for i := len(d) - 3; i > 0; i -= 3 {
		d = d[:i] + "," + d[i:]
	}
	if neg {
		d = "-" + d
	}
	return kb(n) + " (" + d + " B)"
}

func signedKB(n float64) string { return fmt.Sprintf("%+.1f KB", n/1024) }
