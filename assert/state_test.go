package assert

import (
	"slices"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

func TestStateFold(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").connect("c-1", "A", "A").connect("c-2", "B")
	b.at(1).add(sim.Event{Kind: sim.ServerLameDuck, Server: "B"})
	b.at(1.5).faultStart("f1", "freeze", "server:C", true, "C")
	b.at(2).observe("A", 1, "B", "C")
	b.at(3).exit("B").disconnect("c-2", "B", "EOF")
	st := Fold(b.events())

	if got := st.Running(); !slices.Equal(got, []string{"A", "C"}) {
		t.Errorf("running %v, want [A C]", got)
	}
	if !st.Frozen("C") || st.Frozen("A") {
		t.Errorf("frozen: C %v A %v", st.Frozen("C"), st.Frozen("A"))
	}
	if st.CutOff("C") == nil || st.CutOff("A") != nil {
		t.Errorf("a freeze cuts C's clients only")
	}
	if st.Membership.What != "exit B" || st.Membership.T != sec(3) {
		t.Errorf("membership change %+v", st.Membership)
	}
	if o := st.Servers["A"].Obs; o == nil || o.Clients != 1 || !slices.Equal(o.Peers, []string{"B", "C"}) {
		t.Errorf("observation of A: %+v", o)
	}
	c1, c2 := st.Clients["c-1"], st.Clients["c-2"]
	if !c1.Connected || c1.Server != "A" || c2.Connected || c2.Server != "" || c2.Since != sec(3) {
		t.Errorf("clients: %+v %+v", c1, c2)
	}

	b.at(4).faultEnd("f1")
	st = Fold(b.events())
	if st.Frozen("C") || st.Topology.What != "end freeze f1 of C" {
		t.Errorf("after the freeze ends: frozen %v, topology change %q", st.Frozen("C"), st.Topology.What)
	}
}

func TestStateSeparated(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C", "D")
	b.at(1).partition("p1", []string{"A"}, []string{"B", "C"})
	b.faultStart("f2", "down", "route:C-D", true, "C", "D")
	b.faultStart("f3", "latency", "route:A-D", false, "A", "D")
	st := Fold(b.events())
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"A", "B", true}, {"B", "A", true}, {"B", "C", false},
		{"C", "D", true},  // a cutting route fault
		{"A", "D", false}, // latency does not cut; D is in no group
	} {
		if got := st.Separated(c.a, c.b); got != c.want {
			t.Errorf("Separated(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if st.Topology.What != "down f2 on route:C-D" {
		t.Errorf("topology change %q: a latency fault is not one", st.Topology.What)
	}
}
