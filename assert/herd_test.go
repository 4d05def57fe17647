package assert

import (
	"fmt"
	"testing"
	"time"
)

// herd: n clients connect to A, A dies at 1s, and they all reconnect to B
// within spread.
func herd(t *testing.T, n int, spread time.Duration) *tl {
	b := newTL(t)
	b.at(0).start("A", "B")
	for i := range n {
		b.connect(fmt.Sprintf("c-%d", i), "A") // first connections: not counted
	}
	b.at(1).kill("A")
	for i := range n {
		b.at(1.01+(spread*time.Duration(i)/time.Duration(n)).Seconds()).reconnect(fmt.Sprintf("c-%d", i), "B")
	}
	return b
}

func TestHerdFailsOnAStampede(t *testing.T) {
	r := check(t, "herd", HerdParams{Window: 100 * time.Millisecond, MaxPerServer: 50}, herd(t, 200, 200*time.Millisecond).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "B accepted 100 reconnections in 100ms from 1.01s (max 50)")
	d := r.Data.(HerdData)
	if d.Peak != 100 || d.PeakServer != "B" || len(d.Series["B"]) != 13 || d.Series["B"][10] != 90 {
		t.Errorf("herd data %+v", d)
	}
}

func TestHerdHoldsWhenSpread(t *testing.T) {
	r := check(t, "herd", HerdParams{Window: 100 * time.Millisecond, MaxPerServer: 50}, herd(t, 200, 2*time.Second).events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "peak: B accepted 1", "reconnections in 100ms", "(max 50)")
}
