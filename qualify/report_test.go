package qualify

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/internal/compare"
)

// Holm's correction runs over each scenario's figures, and a scenario
// whose family is too large for its run count says it was blind: at 5
// runs a side the U test's smallest p-value (0.008) times 9 figures
// exceeds α, so even a complete separation cannot count.
func TestReportCorrectsEachScenarioAndSaysWhenBlind(t *testing.T) {
	sep := func(n int, shift float64) (base, cand []float64) {
		for i := range n {
			base = append(base, float64(i))
			cand = append(cand, float64(i)+shift)
		}
		return base, cand
	}
	family := func(n, m int) []FigureResult {
		var figs []FigureResult
		for i := range m {
			b, c := sep(n, float64(i%3))
			if i == 0 {
				b, c = sep(n, 100) // every candidate run beyond every baseline run
			}
			figs = append(figs, FigureResult{Figure: "f" + itoa(i), Result: compare.Values(b, c, compare.HigherIsWorse, compare.Tolerance{}, 0)})
		}
		return figs
	}
	r := &Report{Alpha: compare.DefaultAlpha, Runs: 5}
	figs := family(5, 9)
	if figs[0].Outcome != compare.Regression {
		t.Fatalf("the separated figure alone: %s, want a regression", figs[0].Outcome)
	}
	blind := r.correct(figs, 5)
	if figs[0].Outcome != compare.NoChange || figs[0].Alone != compare.Regression || figs[0].Family != 9 {
		t.Errorf("after the correction: %s (alone %s, family %d), want no change among 9", figs[0].Outcome, figs[0].Alone, figs[0].Family)
	}
	if !strings.Contains(blind, "at 5 run(s) a side") || !strings.Contains(blind, "over 9 figures") {
		t.Errorf("blind: %q", blind)
	}
	figs = family(8, 9)
	if blind := r.correct(figs, 8); blind != "" || figs[0].Outcome != compare.Regression {
		t.Errorf("8 runs a side: %s, blind %q; want the regression kept and no blindness", figs[0].Outcome, blind)
	}
}
