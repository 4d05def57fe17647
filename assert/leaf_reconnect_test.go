package assert

import (
	"strings"
	"testing"
	"time"
)

// leafOutages: L0 and L1 on A; A dies at 1s; L0 is back on B after
// back0 seconds, L1 after back1 (0: never).
func leafOutages(t *testing.T, back0, back1 float64) *tl {
	b := newTL(t)
	b.at(0).start("A", "B").leafStart("L0", "A").leafStart("L1", "A")
	b.at(0.1).leafUp("L0", "A", 1).leafUp("L1", "A", 1)
	b.at(1).kill("A")
	b.at(1.05).leafDown("L0", "A", 1).leafDown("L1", "A", 1)
	b.at(1+back0).leafUp("L0", "B", 2)
	if back1 > 0 {
		b.at(1+back1).leafUp("L1", "B", 2)
	}
	return b.at(5)
}

func TestLeafReconnectHoldsWithinBounds(t *testing.T) {
	r := check(t, "leaf_reconnect", LeafReconnectParams{Max: time.Second}, leafOutages(t, 0.3, 0.5).events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "2 leaf reconnects of 2 leaves (2 linked in all): max 450ms")
}

func TestLeafReconnectFailsOnASlowLeaf(t *testing.T) {
	r := check(t, "leaf_reconnect", LeafReconnectParams{Max: time.Second}, leafOutages(t, 0.3, 2).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "slowest leaf reconnect 1.95s > 1s: L1 lost A at 1.05s, linked to B at 3s")
}

func TestLeafReconnectFailsOnALeafNeverBack(t *testing.T) {
	r := check(t, "leaf_reconnect", LeafReconnectParams{}, leafOutages(t, 0.3, 0).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "leaf L1 never linked again after its link to A went at 1.05s")
}

// A leaf's own kill is not an outage of its links; with nothing else
// there is nothing to judge.
func TestLeafReconnectVacuousWithoutOutage(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A").leafStart("L0", "A")
	b.at(0.1).leafUp("L0", "A", 1)
	b.at(1).add(leafEv("leaf_kill", "L0")).leafDown("L0", "A", 1).add(leafEv("leaf_exit", "L0"))
	r := check(t, "leaf_reconnect", LeafReconnectParams{}, b.at(2).events())
	wantVerdict(t, r, Fail)
	if !r.Vacuous() {
		t.Fatalf("want vacuous, got %q", r.Evidence)
	}
	r = check(t, "leaf_reconnect", LeafReconnectParams{}, newTL(t).at(0).start("A").events())
	if !r.Vacuous() {
		t.Fatalf("want vacuous, got %q", r.Evidence)
	}
}

// The bounds are inclusive, and a bound left at zero is not checked: L0
// is back after 250ms, L1 after 450ms.
func TestLeafReconnectBounds(t *testing.T) {
	events := leafOutages(t, 0.3, 0.5).events()
	for _, c := range []struct {
		params LeafReconnectParams
		want   Verdict
		text   string
	}{
		{LeafReconnectParams{}, Pass, "max 450ms"},
		{LeafReconnectParams{Max: 450 * time.Millisecond}, Pass, "max 450ms"},
		{LeafReconnectParams{Max: 449 * time.Millisecond}, Fail, "slowest leaf reconnect 450ms > 449ms"},
		{LeafReconnectParams{P99: 450 * time.Millisecond}, Pass, "max 450ms"},
		{LeafReconnectParams{P99: time.Second}, Pass, "max 450ms"},
		{LeafReconnectParams{P99: 449 * time.Millisecond}, Fail, "p99 leaf reconnect 450ms > 449ms over 2 reconnects"},
	} {
		r := check(t, "leaf_reconnect", c.params, events)
		if r.Verdict != c.want || !strings.Contains(r.Evidence, c.text) {
			t.Errorf("%+v: %s (%s), want %s with %q", c.params, r.Verdict, r.Evidence, c.want, c.text)
		}
	}
}
