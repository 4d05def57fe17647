package sim_test

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// A hub of nats-server processes upgraded one server at a time to the
// embedded release, with an embedded leaf and a process leaf behind the
// layer: each leaf is linked again after every restart, and the layer
// carries (and has identified) every leaf link the hub reports.
func TestLeavesAcrossAHubRollingUpgrade(t *testing.T) {
	needBinaries(t, previousPatch)
	tl := sim.NewTimeline()
	l := faults.New(tl, faults.Options{})
	t.Cleanup(func() { l.Close() })
	hub, err := sim.NewCluster(sim.ClusterSpec{
		Name: "hub", ObserveEvery: -1,
		Servers: []sim.ServerSpec{{Name: "A", Version: previousPatch}, {Name: "B", Version: previousPatch}, {Name: "C", Version: previousPatch}},
		Leaf:    &sim.LeafSpec{Accept: true},
	}, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	ln, err := sim.NewLeafNodes(sim.LeafNodesSpec{
		Leaves: []sim.LeafNodeSpec{
			{Name: "L0", Hubs: []string{"A", "B", "C"}},
			{Name: "L1", Version: previousPatch, Hubs: []string{"A", "B", "C"}},
		},
		ObserveEvery: -1,
		Leaf:         sim.LeafSpec{ReconnectInterval: 100 * time.Millisecond},
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
	bothLinked := func(what string) {
		t.Helper()
		testwait.Until(t, 20*time.Second, what, func() bool {
			ln.ObserveLinks()
			on := map[string]int{}
			for _, ev := range tl.Events() {
				if ev.Detail != sim.LeafSideHub {
					continue
				}
				switch ev.Kind {
				case sim.LeafUp:
					on[ev.Server]++
				case sim.LeafDown:
					on[ev.Server]--
				}
			}
			links := 0
			for pair, n := range l.LeafLinks() {
				if pair[0] != "L0" && pair[0] != "L1" {
					return false
				}
				links += n
			}
			return on["L0"] == 1 && on["L1"] == 1 && links == 2
		})
	}
	bothLinked("leaves linked to the process hub")
	for _, s := range []string{"A", "B", "C"} {
		if err := hub.Restart(s, ""); err != nil {
			t.Fatal(err)
		}
		bothLinked("leaves linked after upgrading " + s)
	}
	if n := l.Unidentified(); n != 0 {
		t.Fatalf("%d unidentified dials: %v", n, l.Err())
	}
}

// Leaf TLS and a credential on a process hub and a process leaf, written
// into their configuration files, link them.
func TestProcessLeafTLSAndCredential(t *testing.T) {
	needBinaries(t, previousPatch)
	pki, err := sim.WriteRunPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tl := sim.NewTimeline()
	hub, err := sim.NewCluster(sim.ClusterSpec{
		Name: "hub", ObserveEvery: -1,
		Servers: []sim.ServerSpec{{Name: "A", Version: previousPatch}},
		Leaf:    &sim.LeafSpec{Accept: true, TLS: pki, User: "edge", Password: "pw"},
	}, tl, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	ln, err := sim.NewLeafNodes(sim.LeafNodesSpec{
		Leaves:       []sim.LeafNodeSpec{{Name: "L0", Version: previousPatch, Hubs: []string{"A"}}},
		ObserveEvery: -1,
		Leaf:         sim.LeafSpec{TLS: pki, User: "edge", Password: "pw", ReconnectInterval: 100 * time.Millisecond},
	}, hub, tl, nil)
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
	testwait.Until(t, 10*time.Second, "L0 linked to A over TLS", func() bool {
		ln.ObserveLinks()
		for _, ev := range tl.Events() {
			if ev.Kind == sim.LeafUp && ev.Detail == sim.LeafSideLeaf && ev.Server == "L0" && ev.Target == "A" {
				return true
			}
		}
		return false
	})
}
