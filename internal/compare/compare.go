package compare

import (
	"fmt"
	"math"
	"slices"

	"github.com/aclements/go-moremath/stats"
	"golang.org/x/perf/benchmath"
)

// Worse says which way a figure gets worse.
type Worse int

const (
	// HigherIsWorse: a reconnect time, a peak, a loss count.
	HigherIsWorse Worse = iota
	// LowerIsWorse: a pass rate.
	LowerIsWorse
)

func (w Worse) String() string {
	if w == LowerIsWorse {
		return "lower is worse"
	}
	return "higher is worse"
}

// Outcome is a figure's conclusion.
type Outcome string

const (
	Regression  Outcome = "regression"
	Improvement Outcome = "improvement"
	NoChange    Outcome = "no significant change"
)

// DefaultAlpha is the significance level, benchstat's.
const DefaultAlpha = 0.05

// Tolerance is how large a significant change must be to count: the
// larger of Rel × |baseline median| and Abs.
type Tolerance struct {
	Rel float64 `json:"rel"` // 0.2 is 20%
	Abs float64 `json:"abs"` // in the figure's unit
}

// Allows says whether a change of delta from base is within tolerance.
func (t Tolerance) Allows(delta, base float64) bool {
	return math.Abs(delta) <= max(t.Rel*math.Abs(base), t.Abs)
}

func (t Tolerance) String() string {
	switch {
	case t.Rel > 0 && t.Abs > 0:
		return fmt.Sprintf("%g%% or %g", t.Rel*100, t.Abs)
	case t.Abs > 0:
		return fmt.Sprintf("%g", t.Abs)
	default:
		return fmt.Sprintf("%g%%", t.Rel*100)
	}
}

// Result compares one figure's baseline and candidate samples.
type Result struct {
	Baseline  []float64 `json:"baseline"`
	Candidate []float64 `json:"candidate"`
	// BaseMedian and CandMedian are the sides' medians.
	BaseMedian float64 `json:"base_median"`
	CandMedian float64 `json:"cand_median"`
	// Delta is the candidate's shift from the baseline (Hodges–Lehmann:
	// the median of every candidate − baseline difference), and [Lo, Hi]
	// its interval at Confidence (±Inf when the samples are too small for
	// one).
	Delta      float64 `json:"delta"`
	Lo         float64 `json:"lo"`
	Hi         float64 `json:"hi"`
	Confidence float64 `json:"confidence"`
	// P is the test's p-value (Mann–Whitney U, or Fisher's exact test for
	// failure counts); Significant is P < Alpha until CorrectHolm.
	P           float64   `json:"p"`
	Alpha       float64   `json:"alpha"`
	Significant bool      `json:"significant"`
	Worse       Worse     `json:"worse"`
	Tolerance   Tolerance `json:"tolerance"`
	Outcome     Outcome   `json:"outcome"`
	// PHolm and Family, once CorrectHolm has run: P adjusted by Holm's
	// method over the Family figures it was compared with; Significant is
	// then PHolm < Alpha (Family 0: not corrected, P decides). Alone is
	// the outcome P alone gave when the correction changed it.
	PHolm  float64 `json:"p_holm"`
	Family int     `json:"family"`
	Alone  Outcome `json:"outcome_alone"`
	// Note says why a difference did not count, or what the test could
	// not do (too few samples).
	Note string `json:"note,omitempty"`
}

// Values compares two samples of a figure with the Mann–Whitney U test.
// alpha ≤ 0 means DefaultAlpha.
func Values(base, cand []float64, worse Worse, tol Tolerance, alpha float64) Result {
	if alpha <= 0 {
		alpha = DefaultAlpha
	}
	r := Result{Baseline: base, Candidate: cand, Worse: worse, Tolerance: tol, Alpha: alpha, P: 1, Outcome: NoChange}
	if len(base) == 0 || len(cand) == 0 {
		r.BaseMedian, r.CandMedian, r.Delta, r.Lo, r.Hi = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		r.Note = "nothing to compare: a side has no value"
		return r
	}
	th := &benchmath.Thresholds{CompareAlpha: alpha}
	// NewSample sorts in place: the result keeps the runs' order.
	b, c := benchmath.NewSample(slices.Clone(base), th), benchmath.NewSample(slices.Clone(cand), th)
	r.BaseMedian = benchmath.AssumeNothing.Summary(b, 1-alpha).Center
	r.CandMedian = benchmath.AssumeNothing.Summary(c, 1-alpha).Center
	cmp := benchmath.AssumeNothing.Compare(b, c)
	r.P = cmp.P
	if len(cmp.Warnings) > 0 {
		r.Note = cmp.Warnings[0].Error()
	}
	r.Delta, r.Lo, r.Hi, r.Confidence = shift(b.Values, c.Values, alpha)
	r.Significant = r.P < alpha
	r.Outcome = r.decide(r.CandMedian - r.BaseMedian)
	return r
}

// decide turns a significant change of the medians into an outcome.
func (r *Result) decide(change float64) Outcome {
	if !r.Significant {
		return NoChange
	}
	if change == 0 {
		change = r.Delta // equal medians, shifted samples
	}
	if r.Tolerance.Allows(change, r.BaseMedian) {
		r.Note = fmt.Sprintf("significant but within tolerance %s", r.Tolerance)
		return NoChange
	}
	if (change > 0) == (r.Worse == HigherIsWorse) {
		return Regression
	}
	return Improvement
}

// shift is the Hodges–Lehmann estimate of cand − base and its Moses
// interval: the differences ranked k+1 and mn−k, k the largest count
// with P(U ≤ k) ≤ alpha/2 under the null hypothesis.
func shift(base, cand []float64, alpha float64) (est, lo, hi, confidence float64) {
	d := make([]float64, 0, len(base)*len(cand))
	for _, x := range base {
		for _, y := range cand {
			d = append(d, y-x)
		}
	}
	slices.Sort(d)
	est = stats.Sample{Xs: d, Sorted: true}.Quantile(0.5)
	u := stats.UDist{N1: len(base), N2: len(cand)}
	if u.CDF(0) > alpha/2 {
		return est, math.Inf(-1), math.Inf(1), 1
	}
	k := 0
	for u.CDF(float64(k+1)) <= alpha/2 {
		k++
	}
	return est, d[k], d[len(d)-1-k], 1 - 2*u.CDF(float64(k))
}

// Verdicts compares failure counts: fails of n runs on each side, with
// Fisher's exact test, one-sided in the direction the candidate moved.
// The figure is the pass rate (lower is worse); a candidate that fails
// more often, significantly, is a regression.
func Verdicts(baseFails, baseN, candFails, candN int, tol Tolerance, alpha float64) Result {
	if alpha <= 0 {
		alpha = DefaultAlpha
	}
	rate := func(f, n int) float64 {
		if n == 0 {
			return math.NaN()
		}
		return float64(n-f) / float64(n)
	}
	r := Result{Worse: LowerIsWorse, Tolerance: tol, Alpha: alpha, P: 1, Outcome: NoChange,
		BaseMedian: rate(baseFails, baseN), CandMedian: rate(candFails, candN)}
	r.Baseline, r.Candidate = passes(baseFails, baseN), passes(candFails, candN)
	r.Delta, r.Lo, r.Hi, r.Confidence = r.CandMedian-r.BaseMedian, math.NaN(), math.NaN(), 0
	if baseN == 0 || candN == 0 {
		r.Note = "nothing to compare: a side has no verdict"
		return r
	}
	h := stats.HypergeometicDist{N: baseN + candN, K: baseFails + candFails, Draws: candN}
	switch {
	case candFails*baseN > baseFails*candN: // the candidate fails more often
		r.P = 1 - h.CDF(float64(candFails-1))
	case candFails*baseN < baseFails*candN:
		r.P = h.CDF(float64(candFails))
	}
	r.Significant = r.P < alpha
	r.Outcome = r.decide(r.Delta)
	if r.Outcome == NoChange && candFails*baseN > baseFails*candN && r.Note == "" {
		r.Note = fmt.Sprintf("the candidate failed %d of %d, the baseline %d of %d: not significant (p=%.2f)", candFails, candN, baseFails, baseN, r.P)
	}
	return r
}

// passes is a verdict sample as 1 (pass) and 0 (fail), for the charts.
func passes(fails, n int) []float64 {
	out := make([]float64, n)
	for i := fails; i < n; i++ {
		out[i] = 1
	}
	return out
}
