package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/compare"
)

// With five runs a side the lab says which figures changed significantly;
// with one it says it cannot tell.
func TestLabStatsSayWhatChangedSignificantly(t *testing.T) {
	none, jit := []string{"strategy=none"}, []string{"strategy=jittered_failover"}
	var runs []LabRun
	for i, p := range []int{400, 420, 390, 410, 405} {
		runs = append(runs, labRun("strategy=none", none, i+1, p, 0.1+float64(i)/100, time.Second, "fail"))
	}
	for i, p := range []int{50, 55, 48, 60, 52} {
		runs = append(runs, labRun("strategy=jittered_failover", jit, i+1, p, 0.12-float64(i)/100, time.Second+time.Duration(i)*time.Millisecond, "pass"))
	}
	c := Compare("s", "", 100*time.Millisecond, runs)
	row := c.Rows[1]
	var peak, skew *LabStat
	for i := range row.Stats {
		switch row.Stats[i].Figure {
		case "peak":
			peak = &row.Stats[i]
		case "final_skew":
			skew = &row.Stats[i]
		}
	}
	if peak == nil || peak.Outcome != compare.Improvement || peak.BaseMedian != 405 || peak.CandMedian != 52 {
		t.Fatalf("peak: %+v, want an improvement from median 405 to 52", peak)
	}
	if skew == nil || skew.Outcome != compare.NoChange {
		t.Errorf("final skew: %+v, want no significant change", skew)
	}
	if !strings.Contains(row.Improvement, "significant: peak improvement (median 405 → 52, p=0.008)") {
		t.Errorf("line: %q", row.Improvement)
	}
	one := Compare("s", "", 100*time.Millisecond, []LabRun{runs[0], runs[5]})
	if !strings.Contains(one.Rows[1].Improvement, "no significant change over 1 run(s) each (the U test needs") {
		t.Errorf("one run each: %q", one.Rows[1].Improvement)
	}
}
