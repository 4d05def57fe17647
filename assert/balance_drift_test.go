package assert

import (
	"math"
	"slices"
	"testing"
)

func TestBalanceParamsValidate(t *testing.T) {
	if err := (BalanceParams{MaxSkew: 0}).Validate(); err != nil {
		t.Errorf("max_skew 0 (equal counts) refused: %v", err)
	}
	if err := (BalanceParams{MaxSkew: -0.01}).Validate(); err == nil {
		t.Error("negative max_skew accepted")
	}
}

// A sample is taken once every running server has been observed since the
// last one; the worst skew is dated by its first occurrence.
func TestBalanceSamplesWholeRoundsAndDatesTheFirstWorst(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B")
	b.at(1).observe("A", 30).observe("B", 10) // round 1: skew 0.5
	b.at(2).observe("A", 30)                  // half a round: no sample
	b.at(3).observe("B", 10)                  // round 2: skew 0.5 again
	b.at(4).observe("A", 20).observe("B", 20) // round 3: skew 0
	r := check(t, "balance", BalanceParams{MaxSkew: 0.1}, b.events())
	wantVerdict(t, r, Pass)
	d := r.Data.(BalanceData)
	if len(d.Samples) != 3 {
		t.Errorf("%d samples, want 3 (one per complete round): %+v", len(d.Samples), d.Samples)
	}
	if math.Abs(d.Max-0.5) > 1e-9 || d.MaxAt != sec(1) {
		t.Errorf("max %.2f at %v, want 0.50 at 1s (its first occurrence)", d.Max, d.MaxAt)
	}
}

// downsample keeps the worst sample of each of n equal stretches of time,
// the earliest on a tie, and every sample when there are no more than n.
func TestDownsampleKeepsTheWorstOfEachStretch(t *testing.T) {
	skews := []float64{0.1, 0.5, 0.3, 0.2, 0.4, 0.4, 0.0, 0.9, 0.7, 0.6}
	var s []SkewSample
	for i, k := range skews {
		s = append(s, SkewSample{T: sec(1 + float64(i)), Skew: k}) // 1s..10s
	}
	got := downsample(s, 5) // stretches of two samples each
	want := []SkewSample{s[1], s[2], s[4], s[7], s[8]}
	if !slices.Equal(got, want) {
		t.Errorf("downsample = %v, want %v", got, want)
	}

	few := []SkewSample{{sec(0), 0.1}, {sec(0.1), 0.2}, {sec(10), 0.3}}
	if got := downsample(few, 3); !slices.Equal(got, few) {
		t.Errorf("downsample of 3 samples to 3 = %v, want them all", got)
	}
}
