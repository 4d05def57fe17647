package assert

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// Boundary cases of the convergence shape that mesh uses: the window is
// closed at both ends, the end of the run bounds it, and the verdict's
// counts and first failure follow the order of the changes.

func convergeDataOf(t *testing.T, r Result) ConvergeData {
	t.Helper()
	d, ok := r.Data.(ConvergeData)
	if !ok {
		t.Fatalf("%s: Data is %T, want ConvergeData", r.Name, r.Data)
	}
	return d
}

func TestMeshHoldsAtExactlyTheBound(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(1).start("C")
	b.at(1.5).observe("A", 0, "B").observe("B", 0, "A")
	b.at(3).meshed("A", "B", "C") // 2s after start C: still inside the window
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Pass)
	if d := convergeDataOf(t, r); d.Changes != 3 || d.Held != 3 || d.Failed != 0 || d.Slowest != sec(2) {
		t.Errorf("data %+v, want 3 changes, 3 held, 0 failed, slowest 2s", d)
	}
}

func TestMeshFailsWhenTheRunEndsAtTheBoundUnmeshed(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(1).start("C")
	b.at(1.5).observe("A", 0, "B").observe("B", 0, "A").observe("C", 0)
	b.at(3).add(runEnd()) // the window ran its full 2s: it is judged
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	if r.At != sec(1) {
		t.Errorf("At %v, want the change at 1s", r.At)
	}
	if strings.Contains(r.Evidence, "changes failed") {
		t.Errorf("evidence %q counts failed changes, but only one failed", r.Evidence)
	}
	if d := convergeDataOf(t, r); d.Failed != 1 || d.Held != 2 {
		t.Errorf("data %+v, want 1 failed, 2 held", d)
	}
}

func TestMeshEndStateFailsAtTheLastEventWithoutRunEnd(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(5).observe("A", 0).observe("B", 0, "A") // a route dropped, no change explains it
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	if r.At != sec(5) {
		t.Errorf("At %v, want the last event at 5s (the end of a run without a run end)", r.At)
	}
}

// An empty timeline has no end to judge: mesh and discovery both have
// nothing to judge.
func TestEmptyTimelineIsVacuous(t *testing.T) {
	for name, params := range map[string]any{"mesh": within2s, "discovery": DiscoveryParams{Within: 2 * time.Second}} {
		r := check(t, name, params, nil)
		wantVerdict(t, r, Fail)
		if !r.Vacuous() {
			t.Errorf("%s: evidence %q, want vacuous", name, r.Evidence)
		}
	}
}

func TestConvergenceJudgesNoEndStateOfAnEmptyRun(t *testing.T) {
	cv := convergence{within: within2s.Within, trigger: func(st *State) Change { return st.Topology }, relevant: meshRelevant, holds: Mesh, subjects: livePairs}
	for _, events := range [][]sim.Event{nil, {runEnd()}} {
		outcomes, es := cv.run(events)
		if len(outcomes) != 0 || es.judged {
			t.Errorf("%d events: %d outcomes, end judged %v; want none: no state was recorded", len(events), len(outcomes), es.judged)
		}
	}
}

func TestMeshNamesTheFirstOfTiedSlowestChanges(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B")
	b.at(0.9).meshed("A", "B") // both starts took 900ms: the first is named
	b.at(3).start("C")
	b.at(3.2).meshed("A", "B", "C")
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "slowest 900ms, after start A at 0s")
	if d := convergeDataOf(t, r); d.Held != 3 || d.Slowest != sec(0.9) {
		t.Errorf("data %+v, want 3 held, slowest 900ms", d)
	}
	if details := strings.Join(r.Details, "\n"); !strings.Contains(details, "start C at 3s: held after 200ms") {
		t.Errorf("details should give start C's 200ms: %q", r.Details)
	}
}

func TestMeshFailsAtTheFirstOfTwoFailedChanges(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(1).start("C")
	b.at(1.5).start("D")
	for s := 1.6; s < 5; s += 0.5 { // C and D never join the mesh
		b.at(s).meshed("A", "B").observe("C", 0).observe("D", 0)
	}
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	if r.At != sec(1) {
		t.Errorf("At %v, want the first failed change, start C at 1s", r.At)
	}
	wantEvidence(t, r, "after start C at 1s", "(2 of 4 changes failed)")
	if d := convergeDataOf(t, r); d.Failed != 2 || d.Held != 2 {
		t.Errorf("data %+v, want 2 failed, 2 held", d)
	}
}
