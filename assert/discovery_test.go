package assert

import (
	"strings"
	"testing"
	"time"
)

func TestDiscoveryHolds(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "A", "B")
	b.at(2).start("C")
	b.at(2.3).add(clientDiscovered("c-1", "A", "B", "C"))
	b.at(2.6).add(clientDiscovered("c-2", "A", "B", "C"))
	// A disconnected client is not judged until it is back.
	b.at(4).disconnect("c-1", "A", "EOF").kill("A")
	b.at(4.2).reconnect("c-1", "B", "A", "B", "C")
	r := check(t, "discovery", DiscoveryParams{Within: time.Second}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "in each of 6 windows over 2 clients", "slowest 600ms, c-2 after start C at 2s")
}

func TestDiscoveryFailsWhenAClientNeverLearns(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "A", "B")
	b.at(2).start("C")
	b.at(2.3).add(clientDiscovered("c-1", "A", "B", "C"))
	b.at(5).add(clientDiscovered("c-1", "A", "B", "C"))
	r := check(t, "discovery", DiscoveryParams{Within: time.Second}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after start C at 2s discovery did not hold within 1s for c-2", "c-2 on B does not know [C]")
}

// The case: servers that never tell clients about each other
// (cluster no_advertise), clients given one URL, and no membership change
// after the clients connected. Each connection opens a window.
func TestDiscoveryFailsWhenClientsCanNeverLearn(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(0.2).connect("c-1", "A", "A").connect("c-2", "A", "A")
	b.at(3).add(runEnd())
	r := check(t, "discovery", DiscoveryParams{Within: 2 * time.Second}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after connection to A at 200ms discovery did not hold within 2s for c-1", "c-1 on A does not know [B C]", "(2 of 2 windows failed)")
}

// A client that connects after the last membership change is judged on
// its own connection.
func TestDiscoveryJudgesClientsConnectingAfterTheLastChange(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B")
	b.at(1).start("C")
	b.at(1.1).add(clientDiscovered("c-1", "A", "B", "C"))
	b.at(2).connect("late-1", "A", "A", "B") // never learns C
	b.at(5).add(runEnd())
	r := check(t, "discovery", DiscoveryParams{Within: time.Second}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after connection to A at 2s discovery did not hold within 1s for late-1", "late-1 on A does not know [C]")
}

// A client whose windows all held but who forgets a server later, with
// no change to open a window, fails on the state at the end.
func TestDiscoveryJudgesTheEndState(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").connect("c-1", "A", "A", "B", "C")
	b.at(2).add(clientDiscovered("c-1", "A", "B"))
	b.at(5).add(runEnd())
	r := check(t, "discovery", DiscoveryParams{Within: time.Second}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "at the end, 5s, 1 of 1 connected clients miss servers: c-1 on A does not know [C]")
	if r.At != sec(5) {
		t.Errorf("At %v, want the end", r.At)
	}
}

// A change less than Within before the end leaves the end unverified, and
// a client that disconnects before its bound is not judged by that window.
func TestDiscoveryEndNotVerifiedAfterALateChange(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "A", "B")
	b.at(2).connect("c-3", "A", "A")
	b.at(2.5).disconnect("c-3", "A", "EOF")
	b.at(3).partition("p1", []string{"A"}, []string{"B", "C"})
	b.at(3.2).add(clientDiscovered("c-1", "A")).add(clientDiscovered("c-2", "B"))
	b.at(4).start("C")
	b.at(4.1).faultEnd("p1")
	b.at(4.5).add(runEnd())
	r := check(t, "discovery", DiscoveryParams{Within: time.Second}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "in each of 3 windows over 2 clients", "the end state was not verified: end partition p1 [A] | [B C] came less than 1s before the end")
	if d := strings.Join(r.Details, "\n"); !strings.Contains(d, "1 not judged") || !strings.Contains(d, "1 not verified") {
		t.Errorf("details %q", r.Details)
	}
}
