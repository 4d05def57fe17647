package faults

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// leafRig is a hub A, B, C and leaves L0..Ln-1 behind one layer. Each
// leaf is configured with one hub (L0: A, L1: B, L2: C, L3: A ...) and the
// hub does not gossip its other servers, so a leaf cut from its hub stays
// cut: nothing hides a link that should have been cut.
type leafRig struct {
	l   *Layer
	tl  *sim.Timeline
	hub *sim.Cluster
	ln  *sim.LeafNodes
}

func startLeafRig(t *testing.T, leaves int) *leafRig {
	t.Helper()
	l, tl := newLayer(t, false)
	hub, err := sim.NewCluster(sim.ClusterSpec{
		Name: "hub", ObserveEvery: -1,
		Servers: []sim.ServerSpec{{Name: "A"}, {Name: "B"}, {Name: "C"}},
		Leaf:    &sim.LeafSpec{Accept: true, NoAdvertise: true},
	}, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	var specs []sim.LeafNodeSpec
	for i := 0; i < leaves; i++ {
		specs = append(specs, sim.LeafNodeSpec{Name: fmt.Sprintf("L%d", i), Hubs: []string{string(rune('A' + i%3))}})
	}
	ln, err := sim.NewLeafNodes(sim.LeafNodesSpec{
		Leaves: specs, ObserveEvery: -1,
		Leaf: sim.LeafSpec{ReconnectInterval: 50 * time.Millisecond},
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
	// The hub meshed first: the tests check a leaf fault leaves its
	// routes alone.
	testwait.NoError(t, 10*time.Second, "hub meshed", func() error {
		for _, o := range hub.Observe() {
			if len(o.Peers) != 2 {
				return fmt.Errorf("hub server %s routes to %v", o.Server, o.Peers)
			}
		}
		return nil
	})
	want := map[[2]string]int{}
	for i := 0; i < leaves; i++ {
		want[[2]string{fmt.Sprintf("L%d", i), string(rune('A' + i%3))}] = 1
	}
	testwait.NoError(t, 10*time.Second, "every leaf linked", func() error { return r.linksAre(want) })
	return r
}

// hubLinks are the leaf links the hub servers report now, by (leaf, hub),
// each with its connection id.
func (r *leafRig) hubLinks() map[[2]string][]uint64 {
	r.ln.ObserveLinks()
	up := map[[2]string]map[uint64]bool{}
	for _, ev := range r.tl.Events() {
		if ev.Detail != sim.LeafSideHub {
			continue
		}
		k := [2]string{ev.Server, ev.Target}
		switch ev.Kind {
		case sim.LeafUp:
			if up[k] == nil {
				up[k] = map[uint64]bool{}
			}
			up[k][ev.Count] = true
		case sim.LeafDown:
			delete(up[k], ev.Count)
		}
	}
	out := map[[2]string][]uint64{}
	for k, ids := range up {
		for id := range ids {
			out[k] = append(out[k], id)
		}
	}
	return out
}

// serverLinks counts the hub servers' leaf links by (leaf, hub).
func (r *leafRig) serverLinks() map[[2]string]int {
	servers := map[[2]string]int{}
	for k, ids := range r.hubLinks() {
		if len(ids) > 0 {
			servers[k] = len(ids)
		}
	}
	return servers
}

// serversReport checks the hub servers' leaf links alone.
func (r *leafRig) serversReport(want map[[2]string]int) error {
	if got := r.serverLinks(); !maps.Equal(got, want) {
		return fmt.Errorf("servers report %v, want %v", got, want)
	}
	return nil
}

// linksAre checks the servers' and the layer's leaf links against want,
// link for link: a link the servers report and the layer does not carry
// bypassed it.
func (r *leafRig) linksAre(want map[[2]string]int) error {
	servers := r.serverLinks()
	layer := r.l.LeafLinks()
	if !maps.Equal(servers, want) || !maps.Equal(layer, want) {
		return fmt.Errorf("leaf links: servers report %v, layer carries %v, want %v", servers, layer, want)
	}
	return nil
}

// A partition of one leaf link cuts exactly that link: every other leaf
// keeps the very connection it had (same id on its hub), the hub's routes
// stay, and the cut leaf comes back when the partition heals. The same
// for a leaf's every link and for a hub's whole leaf side. No leaf link
// the servers report is missing from the layer at any point.
func TestLeafPartitionIsExact(t *testing.T) {
	r := startLeafRig(t, 6)
	all := map[[2]string]int{{"L0", "A"}: 1, {"L1", "B"}: 1, {"L2", "C"}: 1, {"L3", "A"}: 1, {"L4", "B"}: 1, {"L5", "C"}: 1}
	for _, tc := range []struct {
		target string
		cut    [][2]string
	}{
		{"leaf:L0-A", [][2]string{{"L0", "A"}}},
		{"leaf:L4", [][2]string{{"L4", "B"}}},
		{"leaf:C", [][2]string{{"L2", "C"}, {"L5", "C"}}},
	} {
		before := r.hubLinks()
		id, err := r.l.PartitionLeaf(tc.target, ModeClose, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := maps.Clone(all)
		for _, k := range tc.cut {
			delete(want, k)
		}
		testwait.NoError(t, 5*time.Second, tc.target+" cut", func() error { return r.linksAre(want) })
		// Long enough for cut leaves to redial several times (every 50ms).
		testwait.Until(t, 5*time.Second, tc.target+" held a redial", func() bool { return r.l.Held() > 0 })
		if err := r.linksAre(want); err != nil {
			t.Fatalf("while %s is cut: %v", tc.target, err)
		}
		after := r.hubLinks()
		for k := range want {
			if fmt.Sprint(after[k]) != fmt.Sprint(before[k]) {
				t.Errorf("%s: link %v changed from %v to %v: not only the named links were cut", tc.target, k, before[k], after[k])
			}
		}
		if err := r.l.Heal(id); err != nil {
			t.Fatal(err)
		}
		testwait.NoError(t, 5*time.Second, tc.target+" healed", func() error { return r.linksAre(all) })
	}
	for _, o := range r.hub.Observe() {
		if len(o.Peers) != 2 {
			t.Errorf("hub server %s routes to %v: a leaf partition touched routes", o.Server, o.Peers)
		}
	}
	if n := r.l.Unidentified(); n != 0 {
		t.Errorf("%d unidentified dials: %v", n, r.l.Err())
	}
}

// Killing a leaf closes its link at once; killing a hub server closes the
// links of its leaves; both come back through the layer on restart.
func TestLeafLinksFollowServerLifecycle(t *testing.T) {
	r := startLeafRig(t, 3)
	l0, err := r.ln.Cluster("L0")
	if err != nil {
		t.Fatal(err)
	}
	if err := l0.Kill("L0"); err != nil {
		t.Fatal(err)
	}
	testwait.NoError(t, 5*time.Second, "L0 gone", func() error {
		return r.linksAre(map[[2]string]int{{"L1", "B"}: 1, {"L2", "C"}: 1})
	})
	if err := r.hub.Kill("B"); err != nil {
		t.Fatal(err)
	}
	testwait.NoError(t, 5*time.Second, "B gone", func() error { return r.linksAre(map[[2]string]int{{"L2", "C"}: 1}) })
	if err := l0.Restart("L0", ""); err != nil {
		t.Fatal(err)
	}
	if err := r.hub.Restart("B", ""); err != nil {
		t.Fatal(err)
	}
	testwait.NoError(t, 10*time.Second, "all back", func() error {
		return r.linksAre(map[[2]string]int{{"L0", "A"}: 1, {"L1", "B"}: 1, {"L2", "C"}: 1})
	})
}

// A leaf target that names no leaf or hub is refused with the forms.
func TestLeafTargetErrors(t *testing.T) {
	r := startLeafRig(t, 1)
	for _, target := range []string{"leaf:X", "leaf:L0-X", "leaf:A-L0"} {
		if _, err := r.l.PartitionLeaf(target, ModeClose, 0); err == nil {
			t.Errorf("%s: no error", target)
		}
	}
	if _, err := r.l.Inject(Spec{Target: "leaf:L0-A", Kind: "latency", Params: Values{"latency": 10 * time.Millisecond}}); err != nil {
		t.Errorf("latency on leaf:L0-A: %v", err)
	}
}

// The negative control of the no-bypass check: a leaf that dials a hub's
// real leafnode port goes around the layer, and the check sees a link
// the servers report but the layer does not carry.
func TestLeafBypassIsDetected(t *testing.T) {
	r := startLeafRig(t, 1)
	r.l.mu.Lock()
	real := r.l.servers["A"].leafUp
	r.l.mu.Unlock()
	rogue, err := sim.NewCluster(sim.ClusterSpec{
		Name: "X", ObserveEvery: -1,
		Servers: []sim.ServerSpec{{Name: "X"}},
		Leaf:    &sim.LeafSpec{Remotes: []string{"nats-leaf://" + real}},
	}, sim.NewTimeline(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rogue.Close() })
	if err := rogue.StartAll(); err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]int{{"L0", "A"}: 1}
	var last error
	testwait.Until(t, 5*time.Second, "the bypass seen", func() bool {
		last = r.linksAre(want)
		return last != nil
	})
	t.Logf("seen: %v", last)
	if r.l.LeafLinks()[[2]string{"X", "A"}] != 0 {
		t.Fatal("the layer carries the rogue link: it did not bypass")
	}
}
