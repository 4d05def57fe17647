package assert

import (
	"strings"
	"testing"
	"time"
)

var within2s = MeshParams{Within: 2 * time.Second}

func TestMeshHoldsAfterEveryChange(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(3).kill("C")
	b.at(3.05).observe("A", 0, "B", "C").observe("B", 0, "A", "C") // not noticed yet
	b.at(3.3).meshed("A", "B")
	b.at(5).partition("p1", []string{"A"}, []string{"B"})
	b.at(5.4).observe("A", 0).observe("B", 0)
	b.at(8).faultEnd("p1")
	b.at(8.1).meshed("A", "B")
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "after each of 6 changes", "slowest 400ms, after partition p1 [A] | [B] at 5s")
}

func TestMeshFailsWhenRouteDoesNotForm(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(3).start("C")
	for s := 3.1; s < 6; s += 0.5 {
		b.at(s).observe("A", 0, "B", "C").observe("B", 0, "A").observe("C", 0, "A")
	}
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after start C at 3s the mesh did not hold within 2s", "B routes to [A] but expected [A C]", "C routes to [A] but expected [A B]")
	if r.At != sec(3) {
		t.Errorf("At %v, want the change at 3s", r.At)
	}
}

func TestMeshFailsOnBypassAcrossPartition(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(1).partition("p1", []string{"A"}, []string{"B", "C"})
	for s := 1.1; s < 4; s += 0.5 {
		// The route A–B survives the cut.
		b.at(s).observe("A", 0, "B").observe("B", 0, "A", "C").observe("C", 0, "B")
	}
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after partition p1 [A] | [B C] at 1s", "bypass: [B] across the cut")
}

func TestMeshDoesNotTrustObservationsFromBeforeTheChange(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(1).partition("p1", []string{"A"}, []string{"B"})
	b.at(1.1).observe("A", 0).observe("B", 0)
	b.at(1.2).faultEnd("p1")
	// Nothing observed after the heal: the last word on the graph is the
	// partitioned one, and the meshed one from before it is older still.
	b.at(4).add(serverLameDuck("A")) // just time passing
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after end partition p1 [A] | [B] at 1.2s", "A not observed since end partition p1")
}

func TestMeshUnverifiedWhenTheRunEnds(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(1).start("C")
	b.at(1.5).add(runEnd())
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Pass)
	if !strings.Contains(strings.Join(r.Details, "\n"), "start C at 1s: not verified") {
		t.Errorf("details should say start C was not verified: %q", r.Details)
	}
}

func TestMeshIgnoresTeardown(t *testing.T) {
	b := newTL(t)
	b.at(0).add(stepEnd(0)).start("A", "B").meshed("A", "B")
	b.at(1).add(stepEnd(1))
	b.at(2).exit("A", "B") // the runner stops the cluster: no change to converge after
	b.at(9).add(runEnd())
	wantVerdict(t, check(t, "mesh", within2s, b.events()), Pass)
}

func TestMeshParamsValidated(t *testing.T) {
	r := check(t, "mesh", MeshParams{}, newTL(t).start("A").events())
	wantVerdict(t, r, NotEvaluated)
	wantEvidence(t, r, "within must be > 0")
}

// A route that drops later, with no change to open a window, fails on the
// state at the end of the run.
func TestMeshJudgesTheEndState(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(4).observe("A", 0, "B").observe("B", 0, "A", "C").observe("C", 0, "B")
	b.at(5).add(runEnd())
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "at the end, 5s, the mesh did not hold", "A routes to [B] but expected [B C]")
}

func TestMeshPassCountsPairs(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(5).add(runEnd())
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "after each of 3 changes", "and at the end over 3 server pairs")
}
