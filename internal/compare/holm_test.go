package compare

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The textbook example, checked against R's p.adjust(p, "holm").
func TestHolmAdjustsAsTheTextbook(t *testing.T) {
	got := Holm([]float64{0.01, 0.04, 0.03, 0.005})
	want := []float64{0.03, 0.06, 0.06, 0.02}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("Holm = %v, want %v", got, want)
		}
	}
	// Capped at 1, monotone in the raw order, ties kept together.
	got = Holm([]float64{0.5, 0.02, 0.02, 0.9})
	want = []float64{1, 0.08, 0.08, 1}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("Holm = %v, want %v", got, want)
		}
	}
	if len(Holm(nil)) != 0 {
		t.Error("an empty family has no adjusted values")
	}
}

// A lone, barely significant figure among several stops counting; a
// strong one still does; figures whose samples leave nothing to decide
// are not counted in the family.
func TestCorrectHolmOverAScenariosFigures(t *testing.T) {
	strong := Values([]float64{100, 101, 102, 103, 104, 105, 106, 107}, []float64{200, 201, 202, 203, 204, 205, 206, 207}, HigherIsWorse, Tolerance{}, 0)
	weak := Values([]float64{100, 102, 104, 106, 108, 110, 112, 114}, []float64{107, 109, 111, 113, 115, 117, 119, 121}, HigherIsWorse, Tolerance{}, 0)
	noise := []Result{
		Values([]float64{1, 5, 3, 7, 2, 6, 4, 8}, []float64{2, 6, 4, 8, 1, 5, 3, 7}, HigherIsWorse, Tolerance{}, 0),
		Values([]float64{3, 1, 4, 1, 5, 9, 2, 6}, []float64{5, 3, 5, 8, 9, 7, 9, 3}, HigherIsWorse, Tolerance{}, 0),
		Values([]float64{10, 12, 11, 13, 9, 14, 8, 15}, []float64{11, 10, 12, 14, 13, 9, 15, 8}, HigherIsWorse, Tolerance{}, 0),
	}
	constant := Values([]float64{0, 0, 0, 0, 0, 0, 0, 0}, []float64{0, 0, 0, 0, 0, 0, 0, 0}, HigherIsWorse, Tolerance{}, 0)
	verdicts := Verdicts(0, 8, 0, 8, Tolerance{}, 0) // every run passed on both sides
	empty := Values(nil, []float64{1}, HigherIsWorse, Tolerance{}, 0)
	if weak.Outcome != Regression || weak.P > 0.05 || weak.P < 0.05/6 {
		t.Fatalf("the weak change should be a regression on its own, p between α/6 and α: %+v", weak)
	}
	rs := []*Result{&weak, &strong, &noise[0], &noise[1], &noise[2], &constant, &verdicts, &empty}
	CorrectHolm(rs)
	if strong.Outcome != Regression || strong.Family != 5 || strong.Alone != "" {
		t.Errorf("strong: %s in a family of %d (alone %q), want a regression among 5", strong.Outcome, strong.Family, strong.Alone)
	}
	if weak.Outcome != NoChange || weak.Alone != Regression || weak.Significant || !strings.Contains(weak.Note, "Holm") {
		t.Errorf("weak: %+v, want no change after the correction, a regression alone, and a note", weak)
	}
	if !(weak.PHolm > weak.P) || weak.PHolm < 0.05 {
		t.Errorf("weak: adjusted p %v from %v", weak.PHolm, weak.P)
	}
	for _, r := range []*Result{&constant, &verdicts, &empty} {
		if r.Family != 0 || r.Outcome != NoChange {
			t.Errorf("%+v: nothing to decide, so not in the family", *r)
		}
	}
}

// The reason for the correction, measured: families of 10 figures with no
// real change (both sides drawn from one distribution, 8 runs a side, no
// tolerance). On their own p-values about one family in five has a
// figure "regress"; after Holm's correction at most α of them do.
func TestCorrectHolmKeepsTheFamilyWiseRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	draw := func() []float64 {
		s := make([]float64, 8)
		for i := range s {
			s[i] = rng.NormFloat64()
		}
		return s
	}
	const families, m = 400, 10
	alone, corrected := 0, 0
	for range families {
		rs := make([]*Result, m)
		for i := range rs {
			r := Values(draw(), draw(), HigherIsWorse, Tolerance{}, 0)
			rs[i] = &r
		}
		anyAlone := false
		for _, r := range rs {
			anyAlone = anyAlone || r.Outcome == Regression
		}
		CorrectHolm(rs)
		anyCorrected := false
		for _, r := range rs {
			anyCorrected = anyCorrected || r.Outcome == Regression
		}
		if anyAlone {
			alone++
		}
		if anyCorrected {
			corrected++
		}
	}
	t.Logf("%d families of %d unchanged figures: %d with a false regression alone, %d after Holm", families, m, alone, corrected)
	if alone < families/10 {
		t.Errorf("only %d of %d families regressed alone: the test cannot show the correction's effect", alone, families)
	}
	if corrected > families*5/100 {
		t.Errorf("%d of %d families regressed after the correction, want at most 5%%", corrected, families)
	}
}

// The smallest p-values the U test reaches, which bound what a corrected
// family can show: 2/C(10,5) at 5 runs a side, 2/C(16,8) at 8.
func TestSmallestP(t *testing.T) {
	for _, c := range []struct {
		n    int
		want float64
	}{{5, 2.0 / 252}, {6, 2.0 / 924}, {8, 2.0 / 12870}} {
		if got := SmallestP(c.n, c.n); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("SmallestP(%d, %d) = %v, want %v", c.n, c.n, got, c.want)
		}
	}
}
