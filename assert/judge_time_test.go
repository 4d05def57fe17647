package assert

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// Judge dates each verdict: a check during the run at its event, the
// run's own verdicts at the timeline's end.
func TestJudgeDatesEachVerdict(t *testing.T) {
	exps, err := ExpectationsEvent([]Expectation{{Name: "no_duplicates"}})
	if err != nil {
		t.Fatal(err)
	}
	during := VerdictEvent(1, Result{Name: "mesh", Verdict: Pass, Evidence: "held"})
	during.T = 2 * time.Second
	events := []sim.Event{exps, during, {Kind: sim.RunEnd, T: 7 * time.Second, Detail: "completed"}}
	rs, err := Judge(events)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].JudgedAt != 2*time.Second || rs[1].JudgedAt != 7*time.Second {
		t.Fatalf("judged at: %+v", rs)
	}
}
