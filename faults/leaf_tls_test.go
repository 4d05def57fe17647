package faults

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// TLS leaves pass the layer unidentified (OpaqueLeaves): their links
// work, a hub's whole leaf side can still be cut, and a target naming a
// leaf is refused rather than applied to links it cannot see.
func TestLeafTLSThroughOpaqueLayer(t *testing.T) {
	pki, err := sim.WriteRunPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tl := sim.NewTimeline()
	l := New(tl, Options{OpaqueLeaves: true})
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	})
	hub, err := sim.NewCluster(sim.ClusterSpec{
		Name: "hub", ObserveEvery: -1, Servers: []sim.ServerSpec{{Name: "A"}, {Name: "B"}},
		Leaf: &sim.LeafSpec{Accept: true, NoAdvertise: true, TLS: pki, User: "leaf", Password: "s3cret"},
	}, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	ln, err := sim.NewLeafNodes(sim.LeafNodesSpec{
		Leaves:       []sim.LeafNodeSpec{{Name: "L0", Hubs: []string{"A"}}},
		ObserveEvery: -1,
		Leaf:         sim.LeafSpec{TLS: pki, User: "leaf", Password: "s3cret", ReconnectInterval: 50 * time.Millisecond},
	}, hub, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	if err := hub.StartAll(); err != nil {
		t.Fatal(err)
	}
	if err := ln.StartAll(); err != nil {
		t.Fatal(err)
	}
	r := &leafRig{l: l, tl: tl, hub: hub, ln: ln}
	testwait.NoError(t, 10*time.Second, "TLS leaf linked", func() error {
		return r.serversReport(map[[2]string]int{{"L0", "A"}: 1})
	})
	if got := l.LeafLinks(); got[[2]string{"", "A"}] != 1 {
		t.Fatalf("layer carries %v, want one opaque link to A", got)
	}
	if _, err := l.PartitionLeaf("leaf:L0-A", ModeClose, 0); err == nil {
		t.Fatal("a partition naming a TLS leaf was accepted")
	}
	id, err := l.PartitionLeaf("leaf:A", ModeClose, 0)
	if err != nil {
		t.Fatal(err)
	}
	testwait.NoError(t, 5*time.Second, "A's leaf side cut", func() error { return r.serversReport(map[[2]string]int{}) })
	testwait.Until(t, 5*time.Second, "a redial held", func() bool { return l.Held() > 0 })
	if err := r.serversReport(map[[2]string]int{}); err != nil {
		t.Fatalf("while cut: %v", err)
	}
	if err := l.Heal(id); err != nil {
		t.Fatal(err)
	}
	testwait.NoError(t, 5*time.Second, "back", func() error { return r.serversReport(map[[2]string]int{{"L0", "A"}: 1}) })
}
