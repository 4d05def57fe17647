package assert_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// The leaf properties on real servers: a hub A, B, C and embedded leaves
// behind the fault layer, judged from the recorded timeline.

type leafWorldSpec struct {
	leaves      int
	noAdvertise bool                      // the hub gossips no leafnode URLs
	reconnect   func(i int) time.Duration // per leaf; nil: 100ms
	groups      []sim.GroupSpec
}

type leafWorld struct {
	tl    *sim.Timeline
	layer *faults.Layer
	hub   *sim.Cluster
	ln    *sim.LeafNodes
	fleet *sim.Fleet
}

func startLeafWorld(t *testing.T, w leafWorldSpec) *leafWorld {
	t.Helper()
	tl := sim.NewTimeline()
	l := faults.New(tl, faults.Options{ClientProxies: true})
	t.Cleanup(func() { l.Close() })
	hub, err := sim.NewCluster(sim.ClusterSpec{
		Name:    "hub",
		Servers: []sim.ServerSpec{{Name: "A"}, {Name: "B"}, {Name: "C"}},
		Leaf:    &sim.LeafSpec{Accept: true, NoAdvertise: w.noAdvertise},
	}, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	var specs []sim.LeafNodeSpec
	for i := 0; i < w.leaves; i++ {
		s := sim.LeafNodeSpec{Name: fmt.Sprintf("L%d", i), Hubs: []string{"A"}, Reconnect: 100 * time.Millisecond}
		if w.reconnect != nil {
			s.Reconnect = w.reconnect(i)
		}
		specs = append(specs, s)
	}
	ln, err := sim.NewLeafNodes(sim.LeafNodesSpec{Leaves: specs}, hub, tl, l)
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
	lw := &leafWorld{tl: tl, layer: l, hub: hub, ln: ln}
	testwait.Until(t, 10*time.Second, "every leaf linked", func() bool { return len(lw.linked()) == w.leaves })
	if len(w.groups) > 0 {
		f, err := sim.NewFleetOn(ln.Directory(), tl, w.groups)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(f.Close)
		if err := f.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		lw.fleet = f
	}
	return lw
}

// linked maps each leaf to the hub it is linked to now, as the leaves
// report it.
func (w *leafWorld) linked() map[string]string {
	on := map[string]string{}
	for _, ev := range w.tl.Events() {
		if ev.Detail != sim.LeafSideLeaf {
			continue
		}
		switch {
		case ev.Kind == sim.LeafUp:
			on[ev.Server] = ev.Target
		case ev.Kind == sim.LeafDown && on[ev.Server] == ev.Target:
			delete(on, ev.Server)
		}
	}
	return on
}

// waitPast waits until the run's clock is d past t: a bound a property
// judges has to have passed.
func (w *leafWorld) waitPast(t *testing.T, at, d time.Duration) {
	t.Helper()
	testwait.Until(t, d+10*time.Second, "the bound to pass", func() bool { return w.tl.Since() > at+d })
}

// judge ends the steady run (receipts first, with a fleet) and evaluates.
func (w *leafWorld) judge(t *testing.T, exps ...assert.Expectation) []assert.Result {
	t.Helper()
	if w.fleet != nil {
		w.fleet.StopPublishing()
		w.fleet.Quiesce(200*time.Millisecond, 5*time.Second)
		w.fleet.RecordReceipts()
	}
	w.tl.Add(sim.Event{Kind: sim.RunEnd, Detail: "completed"})
	rs := assert.Evaluate(exps, w.tl.Events())
	for _, r := range rs {
		t.Logf("%s %s: %s", r.Name, r.Verdict, r.Evidence)
	}
	return rs
}

func want(t *testing.T, r assert.Result, v assert.Verdict, evidence string) {
	t.Helper()
	if r.Verdict != v || !strings.Contains(r.Evidence, evidence) {
		t.Errorf("%s: %s (%s), want %s with %q\n  %s", r.Name, r.Verdict, r.Evidence, v, evidence, strings.Join(r.Details, "\n  "))
	}
}

// Leaves configured with A alone: when A dies they find B or C by the
// hub's gossip (hold), or, when the hub gossips nothing, stay cut (fail).
func TestLeafReconnectAndDiscoveryOnRealServers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	for _, tc := range []struct {
		noAdvertise bool
		verdict     assert.Verdict
		reconnect   string
		discovery   string
	}{
		{false, assert.Pass, "3 leaf reconnects of 3 leaves", "3 leaves linked to a hub server they were not configured with"},
		{true, assert.Fail, "never linked again after its link to A went", "linked to none of the running [B C] within 1s"},
	} {
		t.Run(fmt.Sprintf("no_advertise=%v", tc.noAdvertise), func(t *testing.T) {
			w := startLeafWorld(t, leafWorldSpec{leaves: 3, noAdvertise: tc.noAdvertise})
			killed := w.tl.Since()
			if err := w.hub.Kill("A"); err != nil {
				t.Fatal(err)
			}
			if !tc.noAdvertise {
				testwait.Until(t, 10*time.Second, "leaves on B or C", func() bool {
					on := w.linked()
					return len(on) == 3 && on["L0"] != "A" && on["L1"] != "A" && on["L2"] != "A"
				})
			}
			w.waitPast(t, killed, 1500*time.Millisecond)
			rs := w.judge(t,
				assert.Expectation{Name: "leaf_reconnect", Params: assert.LeafReconnectParams{Max: 3 * time.Second}},
				assert.Expectation{Name: "leaf_discovery", Params: assert.LeafDiscoveryParams{Within: time.Second}})
			want(t, rs[0], tc.verdict, tc.reconnect)
			want(t, rs[1], tc.verdict, tc.discovery)
		})
	}
}

// A restarts under 30 leaves that know only A. With one reconnect
// interval they relink in step: a herd (fail at 10 per 200ms); with
// intervals spread from 100ms to 3s they come back a few at a time (hold).
func TestLeafHerdOnRealServers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	for _, tc := range []struct {
		name      string
		reconnect func(int) time.Duration
		verdict   assert.Verdict
		evidence  string
	}{
		{"same interval", func(int) time.Duration { return 300 * time.Millisecond }, assert.Fail, "(max 10)"},
		{"spread intervals", func(i int) time.Duration { return time.Duration(i+1) * 100 * time.Millisecond }, assert.Pass, "30 leaf links again of 30 leaves onto 1 hub servers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := startLeafWorld(t, leafWorldSpec{leaves: 30, noAdvertise: true, reconnect: tc.reconnect})
			if err := w.hub.Restart("A", ""); err != nil {
				t.Fatal(err)
			}
			testwait.Until(t, 15*time.Second, "every leaf back on A", func() bool {
				r := assert.Evaluate([]assert.Expectation{{Name: "leaf_herd", Params: assert.LeafHerdParams{Window: time.Second}}}, w.tl.Events())[0]
				return strings.Contains(r.Evidence, "30 leaf links again of 30 leaves")
			})
			rs := w.judge(t, assert.Expectation{Name: "leaf_herd", Params: assert.LeafHerdParams{Window: 200 * time.Millisecond, MaxPerServer: 10}})
			want(t, rs[0], tc.verdict, tc.evidence)
		})
	}
}

// A publisher and a subscriber on each side of a leaf link: after the
// link is cut and healed, and after the leaf restarts, messages flow
// both ways again (hold). A subscriber on the leaf that forgets its
// subscription when it reconnects (a planted defect standing for lost
// interest, as in nats-server #3515) stops receiving after the restart
// (fail).
func TestInterestOnRealServers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	for _, tc := range []struct {
		forget   int
		verdict  assert.Verdict
		evidence string
	}{
		{0, assert.Pass, "messages flowed again within 2s after 2 heals on 2 pairs"},
		{1, assert.Fail, "after the restart of leaf L0"},
	} {
		t.Run(fmt.Sprintf("forget=%d", tc.forget), func(t *testing.T) {
			opts := sim.ClientOptions{ReconnectWait: 50 * time.Millisecond}
			groups := []sim.GroupSpec{
				{Name: "hubpub", Count: 1, Servers: []string{"A"}, Options: opts, Publish: &sim.Publish{Subject: "up", Rate: 50}},
				{Name: "hubsub", Count: 1, Servers: []string{"A"}, Options: opts, Subscribe: []sim.Subscription{{Subject: "down"}}},
				{Name: "leafpub", Count: 1, Servers: []string{"L0"}, Options: opts, Publish: &sim.Publish{Subject: "down", Rate: 50}},
				{Name: "leafsub", Count: 1, Servers: []string{"L0"}, Options: opts, Subscribe: []sim.Subscription{{Subject: "up"}},
					Defect: sim.ClientDefect{ForgetSubsAfterReconnects: tc.forget}},
			}
			w := startLeafWorld(t, leafWorldSpec{leaves: 1, noAdvertise: true, groups: groups})
			// Messages must have flowed both ways before each cut for the
			// pairs to be judged: a second of traffic each time.
			w.waitPast(t, w.tl.Since(), time.Second)
			id, err := w.layer.PartitionLeaf("leaf:L0-A", faults.ModeClose, 0)
			if err != nil {
				t.Fatal(err)
			}
			testwait.Until(t, 5*time.Second, "L0 cut", func() bool { return w.linked()["L0"] == "" })
			if err := w.layer.Heal(id); err != nil {
				t.Fatal(err)
			}
			testwait.Until(t, 5*time.Second, "L0 back", func() bool { return w.linked()["L0"] == "A" })
			w.waitPast(t, w.tl.Since(), time.Second)
			l0, _ := w.ln.Cluster("L0")
			if err := l0.Restart("L0", ""); err != nil {
				t.Fatal(err)
			}
			restarted := w.tl.Since()
			testwait.Until(t, 5*time.Second, "L0 back after its restart", func() bool { return w.linked()["L0"] == "A" })
			w.waitPast(t, restarted, 3*time.Second)
			rs := w.judge(t, assert.Expectation{Name: "interest", Params: assert.InterestParams{Within: 2 * time.Second}})
			want(t, rs[0], tc.verdict, tc.evidence)
		})
	}
}
