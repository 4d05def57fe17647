package assert

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// stranding: L0 is configured with A only; A dies at 1s while B runs;
// L0 links to B after `found` seconds (0: never).
func stranding(t *testing.T, found float64) *tl {
	b := newTL(t)
	b.at(0).start("A", "B").leafStart("L0", "A")
	b.at(0.1).leafUp("L0", "A", 1)
	b.at(1).kill("A")
	b.at(1.05).leafDown("L0", "A", 1)
	if found > 0 {
		b.at(1+found).leafUp("L0", "B", 2)
	}
	return b.at(5).observe("B", 0)
}

func TestLeafDiscoveryHoldsWhenTheLeafFindsAnother(t *testing.T) {
	r := check(t, "leaf_discovery", LeafDiscoveryParams{Within: time.Second}, stranding(t, 0.2).events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "1 leaves linked to a hub server they were not configured with in 1 windows", "slowest 200ms, L0")
}

func TestLeafDiscoveryFailsWhenTheLeafStaysAlone(t *testing.T) {
	r := check(t, "leaf_discovery", LeafDiscoveryParams{Within: time.Second}, stranding(t, 0).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "leaf L0, with its configured hub servers [A] down from 1s, linked to none of the running [B] within 1s")
}

func TestLeafDiscoveryFailsWhenTooSlow(t *testing.T) {
	r := check(t, "leaf_discovery", LeafDiscoveryParams{Within: time.Second}, stranding(t, 2).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "linked to B only at 3s (2s > 1s)")
}

// A window that closes before the bound (A is back at once) judges
// nothing; a run where no leaf is stranded is vacuous.
func TestLeafDiscoveryVacuousWithoutAWindow(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").leafStart("L0", "A")
	b.at(1).kill("A")
	b.at(1.1).add(sim.Event{Kind: sim.ServerStart, Server: "A", Detail: "restart"})
	r := check(t, "leaf_discovery", LeafDiscoveryParams{Within: time.Second}, b.at(3).events())
	if !r.Vacuous() {
		t.Fatalf("want vacuous, got %s %q", r.Verdict, r.Evidence)
	}
	wantEvidence(t, r, "1 windows too short")
}
