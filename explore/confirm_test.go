package explore

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
)

// fakeRuns is an explorer whose runs are scripted: each schedule, by name,
// returns the verdicts listed for it in turn (then passes).
func fakeRuns(t *testing.T, script map[string][]string) (*explorer, map[string]int) {
	t.Helper()
	calls := map[string]int{}
	e := &explorer{ctx: context.Background(), o: Options{ShrinkTime: time.Minute, Progress: io.Discard, Run: scenarios.Options{Out: t.TempDir()}}, memo: map[string]*scenarios.Outcome{}}
	e.exec = func(_ context.Context, sc *scenarios.Scenario, _ scenarios.Options) *scenarios.Outcome {
		i := calls[sc.Name]
		calls[sc.Name]++
		verdict := "pass"
		if i < len(script[sc.Name]) {
			verdict = script[sc.Name][i]
		}
		return scripted(verdict)
	}
	return e, calls
}

// scripted is an outcome: "pass", "no_loss" (that property fails), or
// "error".
func scripted(v string) *scenarios.Outcome {
	switch v {
	case "pass":
		return &scenarios.Outcome{Verdict: scenarios.VerdictPass}
	case "error":
		return &scenarios.Outcome{Verdict: scenarios.VerdictError}
	default:
		return &scenarios.Outcome{Verdict: scenarios.VerdictFail, Results: []assert.Result{{Name: v, Verdict: assert.Fail}}}
	}
}

// schedule is a failing schedule of n kills, as rapid accepted it.
func schedule(name string, n int, failed string) *failing {
	sc := &scenarios.Scenario{Name: name}
	for i := 0; i < n; i++ {
		sc.Steps = append(sc.Steps, scenarios.Step{Action: &scenarios.Kill{}})
	}
	return &failing{sc: sc, text: []byte(name), out: scripted(failed)}
}

func TestConfirmKeepsASmallestScheduleThatFailsAgain(t *testing.T) {
	e, calls := fakeRuns(t, map[string][]string{"one": {"pass", "no_loss"}})
	for _, f := range []*failing{schedule("five", 5, "no_loss"), schedule("one", 1, "no_loss")} {
		e.accept(f)
	}
	e.confirm()
	if e.fail.sc.Name != "one" || e.fail.replays != 2 || e.fail.steppedBack != 0 || e.fail.flaky {
		t.Fatalf("kept %s (replay %d, stepped back %d, flaky %v), want one, confirmed on replay 2", e.fail.sc.Name, e.fail.replays, e.fail.steppedBack, e.fail.flaky)
	}
	if calls["five"] != 0 {
		t.Errorf("replayed the larger schedule %d times, want none", calls["five"])
	}
}

func TestConfirmStepsBackPastAScheduleThatFailedByChance(t *testing.T) {
	// "one" failed once during shrinking and passes both replays; "two"
	// fails again, but on a different property first: only the same
	// failure counts.
	e, calls := fakeRuns(t, map[string][]string{"two": {"no_duplicates", "no_loss"}})
	for _, f := range []*failing{schedule("five", 5, "no_loss"), schedule("two", 2, "no_loss"), schedule("one", 1, "no_loss")} {
		e.accept(f)
	}
	e.accept(schedule("one", 1, "no_loss")) // rapid's replay of the smallest is not a new schedule
	e.confirm()
	if e.fail.sc.Name != "two" || e.fail.replays != 2 || e.fail.steppedBack != 1 || e.fail.flaky {
		t.Fatalf("kept %s (replay %d, stepped back %d, flaky %v), want two, confirmed on replay 2 after stepping back once", e.fail.sc.Name, e.fail.replays, e.fail.steppedBack, e.fail.flaky)
	}
	if calls["one"] != defaultConfirm || calls["five"] != 0 {
		t.Errorf("replays: one %d, five %d; want %d and 0", calls["one"], calls["five"], defaultConfirm)
	}
	f := &Failure{Reproduced: e.fail.replays, SteppedBack: e.fail.steppedBack}
	if got := f.Confirmation(); !strings.Contains(got, "replay 2") || !strings.Contains(got, "1 smaller") {
		t.Errorf("confirmation line %q", got)
	}
}

func TestConfirmMarksAFailureNothingReproducesFlaky(t *testing.T) {
	e, calls := fakeRuns(t, nil)
	for _, f := range []*failing{schedule("three", 3, "error"), schedule("one", 1, "error")} {
		e.accept(f)
	}
	e.confirm()
	if e.fail.sc.Name != "one" || !e.fail.flaky || e.fail.replays != 0 {
		t.Fatalf("kept %s (flaky %v, replay %d), want the smallest, flaky, unconfirmed", e.fail.sc.Name, e.fail.flaky, e.fail.replays)
	}
	if calls["one"] != defaultConfirm || calls["three"] != defaultConfirm {
		t.Errorf("replays %v, want %d of each", calls, defaultConfirm)
	}
	if got := (&Failure{Flaky: true}).Confirmation(); !strings.HasPrefix(got, "Flaky") {
		t.Errorf("confirmation line %q", got)
	}
}

func TestConfirmCanBeTurnedOff(t *testing.T) {
	e, calls := fakeRuns(t, nil)
	e.o.Confirm = -1
	e.accept(schedule("one", 1, "no_loss"))
	e.confirm()
	if len(calls) != 0 || e.fail.sc.Name != "one" || e.fail.flaky {
		t.Fatalf("with Confirm -1: replays %v, kept %s, flaky %v; want no replay, one as it was", calls, e.fail.sc.Name, e.fail.flaky)
	}
}
