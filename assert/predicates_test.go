package assert

import (
	"testing"
)

func TestMeshPredicate(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C")
	ok, why := Mesh(Fold(b.events()))
	wantOK(t, ok, why, false, "not observed since start C")

	b.at(0.1).meshed("A", "B", "C")
	ok, why = Mesh(Fold(b.events()))
	wantOK(t, ok, why, true, "A→[B C]")

	b.at(0.2).observe("C", 0, "A")
	ok, why = Mesh(Fold(b.events()))
	wantOK(t, ok, why, false, "C routes to [A] but expected [A B]")
}

func TestMeshPredicateBypassAcrossPartition(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(1).partition("p1", []string{"A"}, []string{"B", "C"})
	// A and B each still list the other after the cut: a bypass.
	b.at(1.1).observe("A", 0, "B").observe("B", 0, "A", "C").observe("C", 0, "B")
	ok, why := Mesh(Fold(b.events()))
	wantOK(t, ok, why, false, "A routes to [B] but expected []", "bypass: [B] across the cut")

	b.at(1.2).observe("A", 0).observe("B", 0, "C")
	ok, why = Mesh(Fold(b.events()))
	wantOK(t, ok, why, true)
}

func TestMeshPredicateStaleObservation(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(1).partition("p1", []string{"A"}, []string{"B"})
	b.at(1.1).observe("A", 0).observe("B", 0)
	b.at(2).faultEnd("p1")
	// The observations from before the heal show no route, which was right
	// then; they must not be read as the healed graph, nor the older ones
	// from before the partition, which showed the route.
	ok, why := Mesh(Fold(b.events()))
	wantOK(t, ok, why, false, "A not observed since end partition p1 [A] | [B] at 2s")

	b.at(2.1).meshed("A", "B")
	ok, why = Mesh(Fold(b.events()))
	wantOK(t, ok, why, true)
}

func TestMeshPredicateSkipsFrozen(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(1).faultStart("f1", "freeze", "server:C", true, "C")
	// A still lists frozen C, B no longer does: both fine, C not required.
	b.at(1.1).observe("A", 0, "B", "C").observe("B", 0, "A")
	ok, why := Mesh(Fold(b.events()))
	wantOK(t, ok, why, true)
}

func TestConnectedPredicate(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A").connect("c-2", "B")
	ok, why := Connected(Fold(b.events()))
	wantOK(t, ok, why, true, "all 2 clients connected")

	b.at(1).faultStart("f1", "freeze", "server:B", true, "B")
	ok, why = Connected(Fold(b.events()))
	wantOK(t, ok, why, false, "c-2 on frozen B")

	b.at(2).faultEnd("f1").faultStart("f2", "down", "client:A", true, "A")
	ok, why = Connected(Fold(b.events()))
	wantOK(t, ok, why, false, "c-1 on A cut off by down f2 on client:A")

	b.at(3).faultEnd("f2").faultStart("f3", "latency", "client:A", false, "A")
	ok, why = Connected(Fold(b.events()))
	wantOK(t, ok, why, true) // latency does not cut

	b.at(4).disconnect("c-1", "A", "EOF")
	ok, why = Connected(Fold(b.events()))
	wantOK(t, ok, why, false, "c-1 disconnected since 4s")
}

func TestDiscoveredPredicate(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "B")
	ok, why := Discovered(Fold(b.events()))
	wantOK(t, ok, why, false, "c-2 on B does not know [A]")

	b.at(1).add(clientDiscovered("c-2", "A", "B"))
	ok, why = Discovered(Fold(b.events()))
	wantOK(t, ok, why, true)

	// C starts across a partition from A and B: nobody can reach it.
	b.at(2).partition("p1", []string{"A", "B"}, []string{"C"}).start("C")
	ok, why = Discovered(Fold(b.events()))
	wantOK(t, ok, why, true)
	b.at(3).faultEnd("p1")
	ok, why = Discovered(Fold(b.events()))
	wantOK(t, ok, why, false, "2 of 2 connected clients miss servers")
}

func TestBalancedPredicate(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C")
	b.at(1).observe("A", 120).observe("B", 40)
	ok, why := Balanced(Fold(b.events()), 0.25)
	wantOK(t, ok, why, false, "no observation since start of [C]")

	b.observe("C", 40)
	ok, why = Balanced(Fold(b.events()), 0.25)
	wantOK(t, ok, why, false, "skew 0.80 > 0.25: A 120, B 40, C 40 clients (mean 66.7)")

	b.at(2).observe("A", 70).observe("B", 65).observe("C", 65)
	ok, why = Balanced(Fold(b.events()), 0.25)
	wantOK(t, ok, why, true, "skew 0.05")

	// A server in lame duck is sending its clients away: not counted.
	b.at(3).add(serverLameDuck("A")).observe("A", 10)
	ok, why = Balanced(Fold(b.events()), 0.25)
	wantOK(t, ok, why, true, "B 65, C 65")
}
