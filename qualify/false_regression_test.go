package qualify

import (
	"os"
	"strconv"
	"testing"

	"github.com/natschaos/natschaos/internal/compare"
)

// TestFalseRegressionRate qualifies the same release against itself again
// and again and counts the qualifications that report any significant
// change: the false-regression rate docs/QUALIFICATION.md quotes. Long:
// NATSCHAOS_FALSE_REGRESSION=N runs N qualifications of 5 runs a side.
func TestFalseRegressionRate(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("NATSCHAOS_FALSE_REGRESSION"))
	if n <= 0 {
		t.Skip("set NATSCHAOS_FALSE_REGRESSION=N to run N same-release qualifications")
	}
	regressed, changed, alone, figures := 0, 0, 0, 0
	for i := range n {
		rep := qualifyOnce(t, Side{}, 5, int64(1000+10*i))
		anyChange, anyAlone := false, false
		for _, f := range rep.Scenarios[0].Figures {
			figures++
			if f.Outcome != compare.NoChange {
				anyChange = true
				t.Logf("qualification %d: %s %s (baseline %v, candidate %v, p=%.3f, Holm %.3f)", i+1, f.Figure, f.Outcome, f.Baseline, f.Candidate, f.P, f.PHolm)
			}
			if f.Outcome == compare.Regression || f.Alone == compare.Regression {
				anyAlone = true
			}
			if f.Alone != "" {
				t.Logf("qualification %d: %s %s on its own p-value, %s after Holm's correction (baseline %v, candidate %v, p=%.3f, Holm %.3f over %d)",
					i+1, f.Figure, f.Alone, f.Outcome, f.Baseline, f.Candidate, f.P, f.PHolm, f.Family)
			}
		}
		if rep.Regressions > 0 {
			regressed++
		}
		if anyAlone {
			alone++
		}
		if anyChange {
			changed++
		}
	}
	t.Logf("same release, %d qualifications of 5 runs a side, %d figures: %d reported a regression (%.0f%%), %d any significant change; %d would have without Holm's correction",
		n, figures, regressed, 100*float64(regressed)/float64(n), changed, alone)
	if regressed*10 > n { // more than one in ten: the tolerances are too tight
		t.Errorf("false-regression rate %d of %d", regressed, n)
	}
}
