package compare

import (
	"math"
	"strings"
	"testing"
)

func TestValuesFindsARegressionInTheWorseDirection(t *testing.T) {
	base := []float64{100, 104, 98, 101, 99}
	cand := []float64{205, 198, 210, 201, 199}
	r := Values(base, cand, HigherIsWorse, Tolerance{Rel: 0.2}, 0)
	if r.Outcome != Regression || !r.Significant {
		t.Fatalf("doubled reconnect time: %+v, want a significant regression", r)
	}
	if r.BaseMedian != 100 || r.CandMedian != 201 {
		t.Errorf("medians %v, %v; want 100, 201", r.BaseMedian, r.CandMedian)
	}
	if !(r.Lo <= r.Delta && r.Delta <= r.Hi) || r.Lo <= 0 || math.IsInf(r.Lo, 0) {
		t.Errorf("shift %v in [%v, %v]: want a finite interval above 0 around it", r.Delta, r.Lo, r.Hi)
	}
	if base[0] != 100 || cand[0] != 205 {
		t.Error("the samples were reordered")
	}
	// The same change in a figure where lower is worse is an improvement.
	if r := Values(base, cand, LowerIsWorse, Tolerance{Rel: 0.2}, 0); r.Outcome != Improvement {
		t.Errorf("higher pass rate: %s, want improvement", r.Outcome)
	}
	// And the other way round.
	if r := Values(cand, base, HigherIsWorse, Tolerance{Rel: 0.2}, 0); r.Outcome != Improvement {
		t.Errorf("halved reconnect time: %s, want improvement", r.Outcome)
	}
}

func TestValuesWithinToleranceIsNoChange(t *testing.T) {
	base := []float64{100, 101, 102, 103, 104}
	cand := []float64{110, 111, 112, 113, 114}
	r := Values(base, cand, HigherIsWorse, Tolerance{Rel: 0.2}, 0)
	if !r.Significant || r.Outcome != NoChange || !strings.Contains(r.Note, "tolerance") {
		t.Fatalf("10%% slower under a 20%% tolerance: %+v, want significant but no change", r)
	}
	if r := Values(base, cand, HigherIsWorse, Tolerance{Rel: 0.05}, 0); r.Outcome != Regression {
		t.Errorf("10%% slower under a 5%% tolerance: %s, want regression", r.Outcome)
	}
	if r := Values(base, cand, HigherIsWorse, Tolerance{Abs: 10}, 0); r.Outcome != NoChange {
		t.Errorf("+10 under an absolute tolerance of 10: %s, want no change", r.Outcome)
	}
}

func TestValuesOverlappingSamplesAreNoChange(t *testing.T) {
	base := []float64{100, 140, 90, 120, 105}
	cand := []float64{110, 95, 130, 101, 125}
	r := Values(base, cand, HigherIsWorse, Tolerance{}, 0)
	if r.Significant || r.Outcome != NoChange {
		t.Fatalf("overlapping samples: %+v, want no significant change", r)
	}
	if !(r.Lo < 0 && r.Hi > 0) {
		t.Errorf("interval [%v, %v] should hold 0", r.Lo, r.Hi)
	}
}

func TestValuesSmallOrEmptySamples(t *testing.T) {
	r := Values([]float64{1, 2}, []float64{8, 9}, HigherIsWorse, Tolerance{}, 0)
	if r.Significant || r.Outcome != NoChange || !strings.Contains(r.Note, "samples") {
		t.Errorf("two runs each: %+v, want no conclusion and a note asking for more samples", r)
	}
	if !math.IsInf(r.Lo, -1) || !math.IsInf(r.Hi, 1) {
		t.Errorf("two runs each: interval [%v, %v], want unbounded", r.Lo, r.Hi)
	}
	r = Values(nil, []float64{1}, HigherIsWorse, Tolerance{}, 0)
	if r.Outcome != NoChange || r.Note == "" {
		t.Errorf("empty side: %+v", r)
	}
	// All equal on both sides (no losses anywhere): no change.
	z := []float64{0, 0, 0, 0, 0}
	if r := Values(z, z, HigherIsWorse, Tolerance{}, 0); r.Outcome != NoChange || r.Significant {
		t.Errorf("all zeros: %+v", r)
	}
	// Losses appearing in every candidate run only: a regression.
	if r := Values(z, []float64{3, 5, 2, 4, 6}, HigherIsWorse, Tolerance{}, 0); r.Outcome != Regression {
		t.Errorf("losses on the candidate only: %+v, want regression", r)
	}
}

func TestVerdicts(t *testing.T) {
	r := Verdicts(0, 5, 5, 5, Tolerance{}, 0)
	if r.Outcome != Regression || r.BaseMedian != 1 || r.CandMedian != 0 {
		t.Fatalf("5 of 5 failing on the candidate only: %+v, want regression", r)
	}
	if math.Abs(r.P-1.0/252) > 1e-9 {
		t.Errorf("p = %v, want Fisher's 1/252", r.P)
	}
	r = Verdicts(0, 5, 1, 5, Tolerance{}, 0)
	if r.Outcome != NoChange || !strings.Contains(r.Note, "failed 1 of 5") {
		t.Errorf("one flaky failure: %+v, want no significant change, with the counts", r)
	}
	if r := Verdicts(5, 5, 0, 5, Tolerance{}, 0); r.Outcome != Improvement {
		t.Errorf("the candidate fixed it: %s, want improvement", r.Outcome)
	}
	if r := Verdicts(2, 5, 2, 5, Tolerance{}, 0); r.Outcome != NoChange || r.P != 1 {
		t.Errorf("same counts: %+v", r)
	}
	if got := Verdicts(0, 3, 3, 3, Tolerance{}, 0).Candidate; len(got) != 3 || got[0] != 0 {
		t.Errorf("candidate sample %v, want three failures as 0", got)
	}
}

func TestJSONCarriesUnboundedIntervalsAsNull(t *testing.T) {
	r := Values([]float64{1, 2}, []float64{8, 9}, HigherIsWorse, Tolerance{}, 0)
	b, err := r.MarshalWith(struct {
		Figure string `json:"figure"`
	}{"peak"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`{"figure":"peak","outcome":"no significant change"`, `"lo":null`, `"hi":null`, `"worse":"higher is worse"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}
