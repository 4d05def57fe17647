package assert

import (
	"testing"
	"time"
)

// With leaves relinking and no client reconnecting, the lab's figures
// count leaf links: the same peak leaf_herd finds.
func TestLabFiguresCountLeafLinks(t *testing.T) {
	f := Herd(leafHerd(t, 200, 200*time.Millisecond).events(), 100*time.Millisecond)
	if f.Of != "leaf links" || f.Peak != 100 || f.PeakServer != "A" || f.PeakPerServer["A"] != 100 {
		t.Fatalf("figures of %q: peak %d on %s, per server %v; want leaf links, 100 on A", f.Of, f.Peak, f.PeakServer, f.PeakPerServer)
	}
	// Leaves lost A at 1s; the last was linked again at 1.219s.
	if f.FirstDisconnect != time.Second || f.AllBack != 219*time.Millisecond || f.Stranded != 0 {
		t.Errorf("leaf recovery: first %v, all back after %v, %d stranded; want 1s, 219ms, 0", f.FirstDisconnect, f.AllBack, f.Stranded)
	}
	f = Herd(herd(t, 200, 200*time.Millisecond).events(), 100*time.Millisecond)
	if f.Of != "reconnections" || f.Peak != 100 {
		t.Fatalf("client herd figures of %q, peak %d; want reconnections, 100", f.Of, f.Peak)
	}
}
