package assert

import (
	"fmt"
	"testing"
	"time"
)

// leafHerd: n leaves link to A (first links: not counted), A restarts at
// 1s and they all link to it again within spread.
func leafHerd(t *testing.T, n int, spread time.Duration) *tl {
	b := newTL(t)
	b.at(0).start("A", "B")
	for i := range n {
		b.leafStart(fmt.Sprintf("L%d", i), "A").leafUp(fmt.Sprintf("L%d", i), "A", 1)
	}
	b.at(1).kill("A")
	for i := range n {
		b.leafDown(fmt.Sprintf("L%d", i), "A", 1)
	}
	b.at(1.01).start("A")
	for i := range n {
		b.at(1.02+(spread*time.Duration(i)/time.Duration(n)).Seconds()).leafUp(fmt.Sprintf("L%d", i), "A", 2)
	}
	return b.at(5)
}

func TestLeafHerdFailsOnAStampede(t *testing.T) {
	r := check(t, "leaf_herd", LeafHerdParams{Window: 100 * time.Millisecond, MaxPerServer: 50}, leafHerd(t, 200, 200*time.Millisecond).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "A accepted 100 leaf links in 100ms from 1.02s (max 50)")
}

func TestLeafHerdHoldsWhenSpread(t *testing.T) {
	r := check(t, "leaf_herd", LeafHerdParams{Window: 100 * time.Millisecond, MaxPerServer: 50}, leafHerd(t, 200, 2*time.Second).events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "(max 50); 200 leaf links again of 200 leaves onto 1 hub servers")
}

// First links after a leaf's start are no herd: nothing to measure.
func TestLeafHerdVacuousOnFirstLinksOnly(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A")
	for i := range 10 {
		b.leafStart(fmt.Sprintf("L%d", i), "A").leafUp(fmt.Sprintf("L%d", i), "A", 1)
	}
	r := check(t, "leaf_herd", LeafHerdParams{Window: time.Second}, b.at(2).events())
	if !r.Vacuous() {
		t.Fatalf("want vacuous, got %s %q", r.Verdict, r.Evidence)
	}
}
