package assert

import (
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
	wantEvidence(t, r, "after each of 4 changes", "slowest 600ms, after start C at 2s")
}

func TestDiscoveryFailsWhenAClientNeverLearns(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "A", "B")
	b.at(2).start("C")
	b.at(2.3).add(clientDiscovered("c-1", "A", "B", "C"))
	b.at(5).add(clientDiscovered("c-1", "A", "B", "C"))
	r := check(t, "discovery", DiscoveryParams{Within: time.Second}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after start C at 2s discovery did not hold within 1s", "c-2 on B does not know [C]")
}
