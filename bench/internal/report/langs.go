//go:build !js

package report

import (
	"fmt"
	"slices"

	"github.com/pinall/pinall/bench/internal/stats"
)

// ZipWords is what dist/pinall.zip holds for the portal languages: every
// language's page is the same but for the words file it fetches.
type ZipWords struct {
	Langs []LangFile     // the portal LANGs, in the SDK's order
	Size  map[string]int // each words file's bytes as the zip holds them (as served), by name
}

// LangFile is the words file a portal language's page fetches.
type LangFile struct{ Lang, File string }

// LangCold is a cold open's bytes from the app's host in one portal
// language.
type LangCold struct {
	LangFile
	FileBytes int     // the words file's bytes
	Bytes     float64 // the open's
	Measured  bool    // measured in the browser; else derived
}

// ColdByLang gives every portal language's cold open: the language measured
// in the browser at its bytes, every other at those plus the difference of
// its words file and the measured language's. The rest of a cold open (the
// page, the wasm) is the same file in every language; only the words file's
// response headers may differ by a digit of Content-Length.
func (z ZipWords) ColdByLang(measured string, bytes float64) ([]LangCold, error) {
	i := slices.IndexFunc(z.Langs, func(l LangFile) bool { return l.Lang == measured })
	if i < 0 {
		return nil, fmt.Errorf("report: %q is not among the portal languages", measured)
	}
	base, ok := z.Size[z.Langs[i].File]
	if !ok {
		return nil, fmt.Errorf("report: the zip holds no %s", z.Langs[i].File)
	}
	out := make([]LangCold, len(z.Langs))
	for i, l := range z.Langs {
		n, ok := z.Size[l.File]
		if !ok {
			return nil, fmt.Errorf("report: the zip holds no %s (LANG %s)", l.File, l.Lang)
		}
		out[i] = LangCold{LangFile: l, FileBytes: n, Bytes: bytes + float64(n-base), Measured: l.Lang == measured}
	}
	return out, nil
}

// largestCold is the language whose cold open is the heaviest; the first of
// them on a tie. ok is false for none.
func largestCold(ls []LangCold) (l LangCold, ok bool) {
	for _, x := range ls {
		if !ok || x.Bytes > l.Bytes {
			l, ok = x, true
		}
	}
	return l, ok
}

// langColds is every portal language's cold open, derived from G's measured
// cold opens (the largest of its runs, also returned); nil when G has none.
func (r *Results) langColds(G *Variant) (ls []LangCold, measured float64, err error) {
	s := stats.Of(G.PlainHost.Reval.Cold.Bytes)
	if s.N == 0 {
		return nil, 0, nil
	}
	ls, err = r.Words.ColdByLang(G.Lang, s.Max)
	return ls, s.Max, err
}
