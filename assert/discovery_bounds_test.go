package assert

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Boundary cases of discovery's per-client windows, and the counts the
// verdict reports for them.

type windowCounts struct{ windows, held, failed, dropped, unverified int }

// discoveryCounts reads the window counts from the first detail line.
func discoveryCounts(t *testing.T, r Result) windowCounts {
	t.Helper()
	var c windowCounts
	if len(r.Details) == 0 {
		t.Fatalf("%s: no details", r.Name)
	}
	_, err := fmt.Sscanf(r.Details[0], "%d windows: %d held, %d failed, %d not judged", &c.windows, &c.held, &c.failed, &c.dropped)
	if err != nil {
		t.Fatalf("details[0] %q: %v", r.Details[0], err)
	}
	i := strings.LastIndex(r.Details[0], ", ")
	if _, err := fmt.Sscanf(r.Details[0][i+2:], "%d not verified", &c.unverified); err != nil {
		t.Fatalf("details[0] %q: %v", r.Details[0], err)
	}
	return c
}

func wantCounts(t *testing.T, r Result, want windowCounts) {
	t.Helper()
	if got := discoveryCounts(t, r); got != want {
		t.Errorf("windows %+v, want %+v\ndetails:\n  %s", got, want, strings.Join(r.Details, "\n  "))
	}
}

// wantDetail asks for a detail line that starts with prefix and contains
// every part.
func wantDetail(t *testing.T, r Result, prefix string, parts ...string) {
	t.Helper()
	for _, d := range r.Details {
		if !strings.HasPrefix(d, prefix) {
			continue
		}
		for _, p := range parts {
			if !strings.Contains(d, p) {
				t.Errorf("detail %q lacks %q", d, p)
			}
		}
		return
	}
	t.Errorf("no detail starts with %q: %q", prefix, r.Details)
}

var within2sDiscovery = DiscoveryParams{Within: 2 * time.Second}

func TestDiscoveryHoldsWhenLearnedAtExactlyTheBound(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B")
	b.at(0.2).connect("c-1", "A", "A")
	b.at(2.2).add(clientDiscovered("c-1", "A", "B")) // 2s after connecting: inside
	b.at(5).add(runEnd())
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Pass)
	wantCounts(t, r, windowCounts{windows: 1, held: 1})
}

// A run without a run end ends at its last event, and a window whose
// bound is that event is judged.
func TestDiscoveryFailsAtTheBoundOfARunWithoutRunEnd(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B")
	b.at(0.2).connect("c-1", "A", "A")
	b.at(2.2).add(clientDiscovered("c-1", "A"))
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Fail)
	if r.At != sec(0.2) {
		t.Errorf("At %v, want the connection at 200ms", r.At)
	}
	wantCounts(t, r, windowCounts{windows: 1, failed: 1})
	wantDetail(t, r, "clients' own (re)connections from 200ms: 1 windows,", "0 held, 1 failed")
	if strings.Contains(strings.Join(r.Details, "\n"), "slowest") {
		t.Errorf("no window held, yet the details name a slowest one: %q", r.Details)
	}
	if strings.Contains(r.Evidence, "windows failed") {
		t.Errorf("evidence %q counts failed windows, but only one failed", r.Evidence)
	}
}

func TestDiscoveryCountsDroppedAndUnverifiedWindows(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B")
	b.at(1).connect("c-2", "B", "B")
	b.at(1.5).disconnect("c-2", "B", "EOF") // before its bound: not judged
	b.at(3).connect("c-3", "A", "A")
	b.at(3.5).add(runEnd()) // before c-3's bound: not verified
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Pass)
	wantCounts(t, r, windowCounts{windows: 3, held: 1, dropped: 1, unverified: 1})
}

func TestDiscoveryTalliesEachMembershipChange(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "A", "B")
	b.at(2).start("C")
	b.at(2.3).add(clientDiscovered("c-1", "A", "B", "C")).add(clientDiscovered("c-2", "A", "B", "C"))
	b.at(4).start("D")
	b.at(4.5).add(clientDiscovered("c-1", "A", "B", "C", "D"))
	b.at(9).add(runEnd())
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Fail)
	wantCounts(t, r, windowCounts{windows: 6, held: 5, failed: 1})
	// Both clients knew the servers on connecting: the first is named.
	wantDetail(t, r, "clients' own (re)connections from 0s: 2 windows,", "2 held, 0 failed, slowest 0s (c-1)")
	// A tie: the first client to learn C is named.
	wantDetail(t, r, "start C at 2s: 2 windows,", "2 held, 0 failed, slowest 300ms (c-1)")
	wantDetail(t, r, "start D at 4s: 2 windows,", "1 held, 1 failed, slowest 500ms (c-1)")
}

func TestDiscoveryNamesTheFirstOfTiedSlowestWindows(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "A", "B")
	b.at(2).start("C")
	b.at(2.3).add(clientDiscovered("c-1", "A", "B", "C")).add(clientDiscovered("c-2", "A", "B", "C"))
	b.at(5).add(runEnd())
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "slowest 300ms, c-1 after start C at 2s")
	wantCounts(t, r, windowCounts{windows: 4, held: 4})
}

// A client with two open windows: the older one fails at its bound, and
// the newer one still holds when the client learns the servers.
func TestDiscoveryExpiresOnlyTheWindowPastItsBound(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B")
	b.at(0.5).connect("c-1", "A", "A")
	b.at(2).start("C")
	b.at(2.1).add(clientDiscovered("c-1", "A", "B"))
	b.at(3).add(clientDiscovered("c-1", "A", "B", "C")) // 1s after start C
	b.at(6).add(runEnd())
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Fail)
	if r.At != sec(0.5) {
		t.Errorf("At %v, want the connection at 500ms", r.At)
	}
	wantCounts(t, r, windowCounts{windows: 2, held: 1, failed: 1})
	wantDetail(t, r, "start C at 2s: 1 windows,", "1 held, 0 failed, slowest 1s (c-1)")
}

func TestDiscoveryListsAtMostFiftyFailures(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B")
	for i := range 51 {
		b.at(0.1).connect(fmt.Sprintf("c-%02d", i), "A", "A")
	}
	b.at(5).add(runEnd())
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "(51 of 51 windows failed)")
	wantCounts(t, r, windowCounts{windows: 51, failed: 51})
	listed := 0
	for _, d := range r.Details {
		if strings.Contains(d, ": not within 2s of connection to A") {
			listed++
		}
	}
	if listed != 50 {
		t.Errorf("%d failures listed, want 50", listed)
	}
}

// A cut that ended exactly Within before the end leaves the clients that
// time to learn the servers: the end state is judged.
func TestDiscoveryJudgesTheEndWithinAfterTheLastCut(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B")
	b.at(1).partition("p1", []string{"A"}, []string{"B"})
	b.at(1.2).add(clientDiscovered("c-1", "A"))
	b.at(1.5).faultEnd("p1")
	b.at(3.5).add(runEnd()) // c-1 never learned B again
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Fail)
	if r.At != sec(3.5) {
		t.Errorf("At %v, want the end at 3.5s", r.At)
	}
	wantCounts(t, r, windowCounts{windows: 1, held: 1})
}

// A client whose only window passed while its server was frozen is judged
// on the end state alone: no window held, so none is named slowest.
func TestDiscoveryJudgedOnlyAtTheEndNamesNoSlowestWindow(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B")
	b.at(0.1).faultStart("f1", "freeze", "server:A", true, "A")
	b.at(0.2).connect("c-1", "A", "A", "B")
	b.at(3).faultEnd("f1")
	b.at(5.5).add(runEnd())
	r := check(t, "discovery", within2sDiscovery, b.events())
	wantVerdict(t, r, Pass)
	wantCounts(t, r, windowCounts{windows: 1, dropped: 1})
	wantDetail(t, r, "at the end, 5.5s: 1 connected clients judged")
	if strings.Contains(r.Evidence, "slowest") {
		t.Errorf("evidence %q names a slowest window, but none held", r.Evidence)
	}
}
