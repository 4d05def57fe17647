package assert

import (
	"math"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

func TestBalanceHoldsAtTheEnd(t *testing.T) {
	b := newTL(t)
	b.at(0).add(stepEnd(0)).start("A", "B", "C")
	b.at(1).observe("A", 200).observe("B", 0).observe("C", 0) // everyone on A first
	b.at(5).observe("A", 70).observe("B", 66).observe("C", 64)
	b.at(6).add(stepEnd(1))
	b.at(7).exit("A", "B", "C") // teardown: not judged
	b.at(8).observe("C", 0)
	r := check(t, "balance", BalanceParams{MaxSkew: 0.25}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "at 6s, the last observation: skew 0.05 ≤ 0.25: A 70, B 66, C 64 clients")
	d, ok := r.Data.(BalanceData)
	if !ok || math.Abs(d.Max-2) > 1e-9 || d.MaxAt != sec(1) || math.Abs(d.Final-0.05) > 1e-9 || len(d.Samples) != 2 {
		t.Errorf("drift data %+v", r.Data)
	}
	if !strings.Contains(r.Details[0], "max skew seen 2.00 at 1s") {
		t.Errorf("details %q", r.Details)
	}
}

func TestBalanceFailsAtTheEnd(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C")
	b.at(1).observe("A", 70).observe("B", 66).observe("C", 64)
	b.at(2).kill("A")
	b.at(3).start("A")
	b.at(4).observe("A", 0).observe("B", 100).observe("C", 100)
	r := check(t, "balance", BalanceParams{MaxSkew: 0.25}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "skew 1.00 > 0.25: A 0, B 100, C 100 clients (mean 66.7)")
}

func TestBalanceNotEvaluatedWithoutObservations(t *testing.T) {
	r := check(t, "balance", BalanceParams{MaxSkew: 0.25}, newTL(t).start("A", "B").events())
	wantVerdict(t, r, NotEvaluated)
	wantEvidence(t, r, "no observation since start of [A B]")
}

// The fleet closes its clients silently at the end: what the servers
// report after its FleetClose is the teardown, not the final balance.
func TestBalanceIgnoresObservationsAfterTheFleetCloses(t *testing.T) {
	run := func(marker bool) Result {
		b := newTL(t)
		b.at(0).add(stepEnd(0)).start("A", "B")
		b.at(1).observe("A", 50).observe("B", 50)
		b.at(2).add(stepEnd(1))
		if marker {
			b.at(3).add(sim.Event{Kind: sim.FleetClose})
		}
		b.at(3.1).observe("A", 10).observe("B", 45)
		return check(t, "balance", BalanceParams{MaxSkew: 0.25}, b.events())
	}
	r := run(true)
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "A 50, B 50 clients")
	// Without the marker the same late reading is judged, and fails.
	wantVerdict(t, run(false), Fail)
}
