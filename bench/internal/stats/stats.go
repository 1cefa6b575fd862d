// Package stats summarises the bench's samples: the median with the range,
// percentiles, the median absolute deviation, and ratios of medians.
package stats

import (
	"fmt"
	"math"
	"slices"
)

// Summary is a sample's median and range. N is 0 for an empty sample, whose
// figures are NaN.
type Summary struct {
	Med, Min, Max float64
	N             int
}

// Of summarises xs (unchanged). An even count's median is the mean of the
// two middle values.
func Of(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{Med: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	return Summary{Med: Percentile(xs, 50), Min: slices.Min(xs), Max: slices.Max(xs), N: len(xs)}
}

// Median is Of(xs).Med.
func Median(xs []float64) float64 { return Of(xs).Med }

// Percentile is the p-th percentile of xs (0 <= p <= 100), interpolated
// linearly between the closest ranks; NaN for an empty sample.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 || p < 0 || p > 100 || math.IsNaN(p) {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := p / 100 * float64(len(s)-1)
	lo := int(math.Floor(pos))
	if lo == len(s)-1 {
		return s[lo]
	}
	return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
}

// MAD is the median absolute deviation of xs from their median: how far a
// typical sample lies from the median, unmoved by a few wild ones. NaN for
// an empty sample.
func MAD(xs []float64) float64 {
	med := Median(xs)
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = math.Abs(x - med)
	}
	return Median(dev)
}

// Ratio is a / b, NaN when either is missing (NaN) or b is 0.
func Ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return a / b
}

// Format writes s as "med (min-max)" with verb (e.g. "%.1f"); "-" when
// empty.
func (s Summary) Format(verb string) string {
	if s.N == 0 {
		return "-"
	}
	return fmt.Sprintf(verb+" ("+verb+"-"+verb+")", s.Med, s.Min, s.Max)
}
