package stats

import (
	"math"
	"testing"
)

func TestOf(t *testing.T) {
	for _, c := range []struct {
		xs            []float64
		med, min, max float64
	}{
		{[]float64{3}, 3, 3, 3},
		{[]float64{5, 1, 3}, 3, 1, 5},
		{[]float64{4, 1, 3, 2}, 2.5, 1, 4}, // even: the mean of the middle two
		{[]float64{10, 10, 10, 90}, 10, 10, 90},
	} {
		s := Of(c.xs)
		if s.Med != c.med || s.Min != c.min || s.Max != c.max || s.N != len(c.xs) {
			t.Errorf("Of(%v) = %+v, want med %v min %v max %v", c.xs, s, c.med, c.min, c.max)
		}
	}
}

func TestOfLeavesTheSampleAlone(t *testing.T) {
	xs := []float64{3, 1, 2}
	Of(xs)
	if xs[0] != 3 || xs[1] != 1 || xs[2] != 2 {
		t.Errorf("Of sorted its input: %v", xs)
	}
}

func TestEmptyIsNaNAndPrintsADash(t *testing.T) {
	s := Of(nil)
	if !math.IsNaN(s.Med) || !math.IsNaN(s.Min) || s.N != 0 {
		t.Errorf("Of(nil) = %+v, want NaNs", s)
	}
	if got := s.Format("%.1f"); got != "-" {
		t.Errorf("Format = %q, want -", got)
	}
	if got := (Summary{Med: 2, Min: 1, Max: 3.25, N: 3}).Format("%.1f"); got != "2.0 (1.0-3.2)" {
		t.Errorf("Format = %q", got)
	}
}

func TestPercentile(t *testing.T) {
	xs := []float64{40, 10, 30, 20, 50}
	for p, want := range map[float64]float64{0: 10, 25: 20, 50: 30, 90: 46, 100: 50} {
		if got := Percentile(xs, p); math.Abs(got-want) > 1e-9 {
			t.Errorf("Percentile(%v) = %v, want %v", p, got, want)
		}
	}
	for _, p := range []float64{-1, 101, math.NaN()} {
		if got := Percentile(xs, p); !math.IsNaN(got) {
			t.Errorf("Percentile(%v) = %v, want NaN", p, got)
		}
	}
}

func TestRatio(t *testing.T) {
	if got := Ratio(3, 2); got != 1.5 {
		t.Errorf("Ratio(3, 2) = %v", got)
	}
	for _, c := range [][2]float64{{1, 0}, {math.NaN(), 1}, {1, math.NaN()}} {
		if got := Ratio(c[0], c[1]); !math.IsNaN(got) {
			t.Errorf("Ratio(%v, %v) = %v, want NaN", c[0], c[1], got)
		}
	}
}

func TestMAD(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{7}, 0},
		{[]float64{1, 2, 3, 4, 5}, 1},          // deviations 2 1 0 1 2
		{[]float64{100, 101, 99, 100, 900}, 1}, // one wild sample moves it little
		{[]float64{150, 160}, 5},
	} {
		if got := MAD(c.xs); got != c.want {
			t.Errorf("MAD(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
	if got := MAD(nil); !math.IsNaN(got) {
		t.Errorf("MAD(nil) = %v, want NaN", got)
	}
}
