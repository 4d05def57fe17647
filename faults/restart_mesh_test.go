package faults

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// restartStall is the bound on re-meshing after a restart. A restart
// done directly re-meshes in 3–9 ms on two idle cores, and within a few
// hundred ms on two cores loaded twentyfold; when nats-server drops two
// crossing routes of a pair it redials only after its route reconnect
// delay of one second (plus up to 100 ms of jitter). So a mesh slower than
// this is a lost redial period, not load.
const restartStall = 800 * time.Millisecond

// starved is how late a 1 ms timer may fire during a restart before a
// slow mesh is put down to the machine: a process starved that long
// (other builds and tests on two cores) stalls a direct restart too.
const starved = 100 * time.Millisecond

// TestRestartMeshThroughLayer restarts a server of a full mesh of three
// through the layer, alternately killed and stopped, with downtimes
// spread over nats-server's 0–100 ms route retry jitter, and fails if any
// mesh (every server routing to both others, read from the servers)
// takes a route redial period. -short does 20 restarts. A slow restart
// during which the process itself was starved is done again (at most n
// times), and the log says so.
func TestRestartMeshThroughLayer(t *testing.T) {
	n := 100
	if testing.Short() {
		n = 20
	}
	c, l, _ := startCluster(t, clusterConfig{n: 3, topo: sim.TopologyFull, clientProxies: true})
	late := watchLateness(t)
	var stalls, redone []string
	var times []time.Duration
	for i := 0; len(times) < n; i++ {
		before := l.RouteDialRecord()
		how := "kill"
		if i%2 == 1 {
			how = "stop"
		}
		if err := downA(c, how); err != nil {
			t.Fatal(err)
		}
		testwait.Until(t, 5*time.Second, "B and C see A gone", func() bool { return peersWithout(c, "A") })
		// The downtime is part of the fault, not a wait for anything:
		// 0 to 100 ms, where the survivors' route retries fall.
		time.Sleep(time.Duration(i*37%11) * 10 * time.Millisecond)
		late.reset()
		start := time.Now()
		if err := c.Start("A"); err != nil {
			t.Fatal(err)
		}
		ok := testwait.Within(restartStall, func() bool { return graphIs(c, nil) })
		d := time.Since(start)
		if !ok {
			testwait.Until(t, 10*time.Second, "mesh after a stall", func() bool { return graphIs(c, nil) })
			d = time.Since(start)
			what := fmt.Sprintf("restart %d (%s): mesh after %v; the layer: %v", i, how, d.Round(time.Millisecond), l.RouteDialRecord().Sub(before))
			if lag := late.max(); lag >= starved && len(redone) < n {
				redone = append(redone, fmt.Sprintf("%s; a 1 ms timer fired %v late", what, lag.Round(time.Millisecond)))
				continue
			}
			stalls = append(stalls, what)
		}
		times = append(times, d)
	}
	slices.Sort(times)
	t.Logf("%d restarts: mesh p50 %v, p99 %v, max %v; %v", n, times[n/2], times[n*99/100], times[n-1], l.RouteDialRecord())
	for _, r := range redone {
		t.Logf("done again, the process was starved: %s", r)
	}
	for _, s := range stalls {
		t.Error(s)
	}
	if err := l.Err(); err != nil {
		t.Fatal(err)
	}
}

func downA(c *sim.Cluster, how string) error {
	if how == "kill" {
		return c.Kill("A")
	}
	return c.Stop("A")
}

// peersWithout says whether every running server has lost gone as a peer.
func peersWithout(c *sim.Cluster, gone string) bool {
	for _, o := range c.Observe() {
		if o.Running && slices.Contains(o.Peers, gone) {
			return false
		}
	}
	return true
}

// lateness tracks how late a 1 ms timer fires: how long this process
// waits for a core.
type lateness struct {
	mu  sync.Mutex
	top time.Duration
}

func watchLateness(t *testing.T) *lateness {
	lt := &lateness{}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				now := time.Now()
				lt.mu.Lock()
				lt.top = max(lt.top, now.Sub(last)-time.Millisecond)
				lt.mu.Unlock()
				last = now
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
	return lt
}

func (lt *lateness) reset() {
	lt.mu.Lock()
	lt.top = 0
	lt.mu.Unlock()
}

func (lt *lateness) max() time.Duration {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	return lt.top
}
