package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/natschaos/natschaos/internal/compare"
)

// LabStat is one lab figure of a variant against its baseline, with the
// statistics natschaos qualify uses: both medians, the shift with its
// confidence interval, the U test and an outcome.
type LabStat struct {
	Figure string `json:"figure"` // peak, all_back_ms, final_skew, loss_silent
	compare.Result
}

// MarshalJSON writes the figure's name, then its comparison.
func (s LabStat) MarshalJSON() ([]byte, error) {
	return s.Result.MarshalWith(struct {
		Figure string `json:"figure"`
	}{s.Figure})
}

// labFigures are the figures the lab tests, each read from one run.
var labFigures = []struct {
	name  string
	value func(LabRun) (float64, bool)
	tol   compare.Tolerance
}{
	{"peak", func(r LabRun) (float64, bool) { return float64(r.Figures.Peak), true }, compare.Tolerance{Rel: 0.1, Abs: 1}},
	{"all_back_ms", func(r LabRun) (float64, bool) {
		return float64(r.Figures.AllBack.Microseconds()) / 1000, r.Figures.AllBack > 0
	}, compare.Tolerance{Rel: 0.1, Abs: 10}},
	{"final_skew", func(r LabRun) (float64, bool) { return r.Figures.FinalSkew, !math.IsNaN(r.Figures.FinalSkew) }, compare.Tolerance{Abs: 0.05}},
	{"loss_silent", func(r LabRun) (float64, bool) {
		if r.Figures.Loss == nil {
			return 0, false
		}
		return float64(r.Figures.Loss.Silent), true
	}, compare.Tolerance{}},
}

// labStats tests every lab figure of a variant's runs against its
// baseline's, and says in one line what changed significantly.
func labStats(variant, baseline []LabRun) ([]LabStat, string) {
	var out []LabStat
	var said []string
	for _, f := range labFigures {
		b, c := labValues(baseline, f.value), labValues(variant, f.value)
		if len(b) == 0 || len(c) == 0 {
			continue
		}
		r := compare.Values(b, c, compare.HigherIsWorse, f.tol, 0)
		out = append(out, LabStat{Figure: f.name, Result: r})
		if r.Outcome != compare.NoChange {
			said = append(said, fmt.Sprintf("%s %s (median %.4g → %.4g, p=%.3f)", f.name, r.Outcome, r.BaseMedian, r.CandMedian, r.P))
		}
	}
	switch {
	case len(out) == 0:
		return nil, ""
	case len(said) == 0 && len(variant) < 4:
		return out, fmt.Sprintf("no significant change over %d run(s) each (the U test needs ≥ 4 runs a side to see one)", len(variant))
	case len(said) == 0:
		return out, fmt.Sprintf("no significant change over %d runs each", len(variant))
	}
	return out, "significant: " + strings.Join(said, "; ")
}

func labValues(runs []LabRun, value func(LabRun) (float64, bool)) []float64 {
	var out []float64
	for _, r := range runs {
		if r.Err != "" {
			continue
		}
		if v, ok := value(r); ok {
			out = append(out, v)
		}
	}
	return out
}
