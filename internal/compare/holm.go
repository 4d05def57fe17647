package compare

import (
	"fmt"
	"slices"
)

// Holm returns Holm's step-down adjustment of a family's p-values (Holm,
// 1979), in their order: sorted ascending, the i-th smallest of m (from
// 0) is multiplied by m−i, raised to the largest adjusted value before
// it, and capped at 1. Comparing the adjusted values with α keeps the
// chance that any member of a family with no real change comes out
// significant at most α, whatever the family's size and however its
// members depend on each other; comparing the raw p-values with α lets
// that chance grow towards 1−(1−α)^m.
func Holm(p []float64) []float64 {
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, len(p))
	running := 0.0
	for rank, i := range order {
		running = max(running, min(1, float64(len(p)-rank)*p[i]))
		out[i] = running
	}
	return out
}

// CorrectHolm decides a family of results (one scenario's figures) again
// on Holm's adjusted p-values (PHolm), so that the family as a whole
// reports a change that is not there at most α of the time. A result
// that could not be significant whatever its p-value (a side without
// values, or every sample of both sides equal) is left out of the family
// and keeps its outcome: counting it would only make the others'
// thresholds stricter (Tarone's refinement). Family is the family's size;
// Alone is the outcome a result had on its own p-value when the
// correction changed it.
func CorrectHolm(rs []*Result) {
	var family []*Result
	for _, r := range rs {
		if testable(r) {
			family = append(family, r)
		}
	}
	p := make([]float64, len(family))
	for i, r := range family {
		p[i] = r.P
	}
	for i, adj := range Holm(p) {
		family[i].adjust(adj, len(family))
	}
}

// testable says whether a result's samples leave its test anything to
// decide: both sides have values, and not all of them are equal.
func testable(r *Result) bool {
	if len(r.Baseline) == 0 || len(r.Candidate) == 0 {
		return false
	}
	first := r.Baseline[0]
	for _, s := range [][]float64{r.Baseline, r.Candidate} {
		for _, v := range s {
			if v != first {
				return true
			}
		}
	}
	return false
}

// adjust decides r again on its Holm-adjusted p-value among a family of m.
func (r *Result) adjust(pHolm float64, m int) {
	r.PHolm, r.Family = pHolm, m
	alone, wasSignificant := r.Outcome, r.Significant
	r.Significant = pHolm < r.Alpha
	r.Outcome = r.decide(r.CandMedian - r.BaseMedian)
	if wasSignificant && !r.Significant {
		r.Note = fmt.Sprintf("p=%.3f alone, %.3f after Holm's correction over the scenario's %d figures: not significant", r.P, pHolm, m)
	}
	if r.Outcome != alone {
		r.Alone = alone
	}
}

// SmallestP is the smallest p-value the U test can give samples of n1
// and n2 values (every candidate value beyond every baseline one).
func SmallestP(n1, n2 int) float64 {
	base, cand := make([]float64, n1), make([]float64, n2)
	for i := range base {
		base[i] = float64(i)
	}
	for i := range cand {
		cand[i] = float64(n1 + i)
	}
	return Values(base, cand, HigherIsWorse, Tolerance{}, 0).P
}
