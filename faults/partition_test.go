package faults

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

var twoThree = [][]string{{"A", "B"}, {"C", "D", "E"}}

// {A,B}|{C,D,E} on five servers takes down exactly the six cross pairs,
// keeps A-B and C-D-E, and the full mesh returns on heal, whether the
// mesh was configured (full) or gossiped (seed).
func TestPartitionRouteGraph(t *testing.T) {
	for _, topo := range []sim.Topology{sim.TopologyFull, sim.TopologySeed} {
		t.Run(string(topo), func(t *testing.T) {
			c, l, tl := startCluster(t, clusterConfig{n: 5, topo: topo})
			start := time.Now()
			id, err := l.Partition(twoThree, ModeClose, 0)
			if err != nil {
				t.Fatal(err)
			}
			testwait.Until(t, 3*time.Second, "partitioned graph", func() bool { return graphIs(c, twoThree) })
			cut := time.Since(start)
			if err := routeLinksMatch(c, l, twoThree); err != nil {
				t.Fatal(err)
			}
			// Every cut route redials (configured ones after nats-server's 1s
			// delay); the dials are held, unseen by the servers, until the heal.
			testwait.NoError(t, 10*time.Second, "redials held", func() error { return heldOnEveryCutPair(l) })
			if !graphIs(c, twoThree) {
				t.Fatal("held redials leaked through the cut")
			}
			start = time.Now()
			heal(t, l, id)
			testwait.Until(t, 5*time.Second, "full mesh after heal", func() bool { return graphIs(c, nil) })
			t.Logf("close mode: cut visible in %v, mesh back %v after heal", cut.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
			testwait.Until(t, 2*time.Second, "links on every pair", func() bool { return routeLinksMatch(c, l, nil) == nil })
			checkWindow(t, tl, id, "partition", true)
		})
	}
}

// Stall mode closes nothing: the servers find out by their route pings
// (100ms here, so about 300-400ms).
func TestPartitionStall(t *testing.T) {
	c, l, _ := startCluster(t, clusterConfig{n: 5, topo: sim.TopologySeed,
		opts: sim.ServerOptions{PingInterval: 100 * time.Millisecond, MaxPingsOut: 2}})
	start := time.Now()
	id, err := l.Partition(twoThree, ModeStall, 0)
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "partitioned graph", func() bool { return graphIs(c, twoThree) })
	cut := time.Since(start)
	if cut < 150*time.Millisecond {
		t.Fatalf("stalled routes went in %v: faster than the route pings could notice", cut)
	}
	testwait.Until(t, 2*time.Second, "cut links closed by the servers", func() bool { return routeLinksMatch(c, l, twoThree) == nil })
	testwait.NoError(t, 10*time.Second, "redials held", func() error { return heldOnEveryCutPair(l) })
	start = time.Now()
	heal(t, l, id)
	testwait.Until(t, 5*time.Second, "full mesh after heal", func() bool { return graphIs(c, nil) })
	t.Logf("stall mode: cut visible in %v, mesh back %v after heal", cut.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// heldOnEveryCutPair says whether a redial of each of the six routes
// twoThree cuts has been held. Not "held now": a held dial lives until the
// dialler's own pings give up on it, and it redials later, so under load
// the 24 dials are seldom all held at the same instant.
func heldOnEveryCutPair(l *Layer) error {
	want := []string{"A-C", "A-D", "A-E", "B-C", "B-D", "B-E"}
	if got := l.HeldPairs(); !slices.Equal(got, want) {
		return fmt.Errorf("held on %v, want %v (%d held now)", got, want, l.Held())
	}
	return nil
}
