package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// leafUpNow says which hub each leaf is linked to now, from the leaf
// side's LeafUp and LeafDown events.
func leafUpNow(tl *Timeline) map[string]string {
	on := map[string]string{}
	for _, ev := range tl.Events() {
		if ev.Detail != LeafSideLeaf {
			continue
		}
		switch ev.Kind {
		case LeafUp:
			on[ev.Server] = ev.Target
		case LeafDown:
			if on[ev.Server] == ev.Target {
				delete(on, ev.Server)
			}
		}
	}
	return on
}

func startHubAndLeaves(t *testing.T, net Network, leaves int) (*Timeline, *Cluster, *LeafNodes) {
	t.Helper()
	tl := NewTimeline()
	hub, err := NewCluster(ClusterSpec{
		Name:    "hub",
		Servers: []ServerSpec{{Name: "A"}, {Name: "B"}, {Name: "C"}},
		Options: ServerOptions{PingInterval: 200 * time.Millisecond, MaxPingsOut: 2},
		Leaf:    &LeafSpec{Accept: true},
	}, tl, net)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	var specs []LeafNodeSpec
	for i := 0; i < leaves; i++ {
		specs = append(specs, LeafNodeSpec{Name: fmt.Sprintf("L%d", i), Hubs: []string{"A"}})
	}
	ln, err := NewLeafNodes(LeafNodesSpec{Leaves: specs, Leaf: LeafSpec{ReconnectInterval: 100 * time.Millisecond}}, hub, tl, net)
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
	return tl, hub, ln
}

// Leaves dial the hub server they are configured with, learn the others
// by gossip, and reach one of them when theirs dies: both ends of every
// link are on the timeline, and leaf lifecycles are under leaf kinds.
func TestLeavesLinkAndMoveOnDirect(t *testing.T) {
	tl, hub, _ := startHubAndLeaves(t, nil, 2)
	testwait.Until(t, 10*time.Second, "both leaves on A", func() bool {
		on := leafUpNow(tl)
		return on["L0"] == "A" && on["L1"] == "A"
	})
	if err := hub.Kill("A"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "both leaves on B or C", func() bool {
		on := leafUpNow(tl)
		return on["L0"] != "" && on["L0"] != "A" && on["L1"] != "" && on["L1"] != "A"
	})
	var hubSide, starts int
	for _, ev := range tl.Events() {
		switch {
		case ev.Kind == LeafUp && ev.Detail == LeafSideHub:
			hubSide++
		case ev.Kind == LeafStart:
			starts++
			if len(ev.Known) != 1 || ev.Known[0] != "A" {
				t.Errorf("leaf_start of %s knows %v, want its configured hub [A]", ev.Server, ev.Known)
			}
		case ev.Kind == ServerStart && (ev.Server == "L0" || ev.Server == "L1"):
			t.Errorf("a leaf's start recorded as a hub server's: %+v", ev)
		}
	}
	if hubSide < 4 || starts != 2 {
		t.Errorf("hub-side leaf_up %d (want >= 4), leaf_start %d (want 2)", hubSide, starts)
	}
}
