package faults

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// Latency on route:A-B slows A-B traffic only; upstream means A to B,
// whichever side dialled each of the pair's links.
func TestRouteLatencyPerPair(t *testing.T) {
	c, l, tl := startCluster(t, clusterConfig{n: 3, topo: sim.TopologyFull})
	for _, name := range []string{"B", "C"} {
		nc := connect(t, clientURL(t, c, name))
		if _, err := nc.Subscribe("svc."+name, func(m *nats.Msg) { m.Respond(nil) }); err != nil {
			t.Fatal(err)
		}
		nc.Flush()
	}
	onA, onB := connect(t, clientURL(t, c, "A")), connect(t, clientURL(t, c, "B"))
	// rtt is the best of three requests: the floor is what latency moves.
	rtt := func(nc *nats.Conn, subj string) time.Duration {
		best := time.Hour
		for i := 0; i < 3; i++ {
			start := time.Now()
			if _, err := nc.Request(subj, nil, 2*time.Second); err != nil {
				t.Fatalf("request %s: %v", subj, err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	testwait.Until(t, 3*time.Second, "interest propagated", func() bool {
		_, e1 := onA.Request("svc.B", nil, 100*time.Millisecond)
		_, e2 := onA.Request("svc.C", nil, 100*time.Millisecond)
		_, e3 := onB.Request("svc.C", nil, 100*time.Millisecond)
		return e1 == nil && e2 == nil && e3 == nil
	})
	t.Logf("base: A-B %v, A-C %v, B-C %v", rtt(onA, "svc.B"), rtt(onA, "svc.C"), rtt(onB, "svc.C"))

	id := inject(t, l, Spec{Target: "route:A-B", Kind: "latency", Params: Values{"latency": 50 * time.Millisecond}})
	ab, ac, bc := rtt(onA, "svc.B"), rtt(onA, "svc.C"), rtt(onB, "svc.C")
	t.Logf("latency 50ms on A-B: A-B %v, A-C %v, B-C %v", ab, ac, bc)
	if ab < 100*time.Millisecond || ac > 40*time.Millisecond || bc > 40*time.Millisecond {
		t.Fatalf("latency on A-B: A-B %v (want >= 100ms), A-C %v, B-C %v (want fast)", ab, ac, bc)
	}
	heal(t, l, id)
	if ab := rtt(onA, "svc.B"); ab > 40*time.Millisecond {
		t.Fatalf("A-B after heal: %v", ab)
	}
	checkWindow(t, tl, id, "latency", false)

	// One way only: the request A to B waits, the reply does not.
	id = inject(t, l, Spec{Target: "route:A-B", Kind: "latency", Direction: "upstream", Params: Values{"latency": 50 * time.Millisecond}})
	if ab := rtt(onA, "svc.B"); ab < 50*time.Millisecond || ab > 95*time.Millisecond {
		t.Fatalf("upstream latency on A-B: A-B %v, want 50-95ms", ab)
	}
	heal(t, l, id)
}

// A killed server looks dead through the layer: its links close, dials to
// it are refused at once, and it comes back (with a new ID) on restart.
func TestKillAndRestart(t *testing.T) {
	c, l, _ := startCluster(t, clusterConfig{n: 3, topo: sim.TopologyFull, clientProxies: true})
	nc := connect(t, clientURL(t, c, "C"))
	if err := c.Kill("C"); err != nil {
		t.Fatal(err)
	}
	if n := l.ClientLinks("C"); n != 0 {
		t.Fatalf("%d client links to a killed server", n)
	}
	for p := range l.RouteLinks() {
		if p[0] == "C" || p[1] == "C" {
			t.Fatalf("route link %v of a killed server", p)
		}
	}
	if !refused(clientURL(t, c, "C")[len("nats://"):], time.Second) {
		t.Fatal("dial to a killed server not refused")
	}
	testwait.Until(t, 3*time.Second, "client moved", func() bool { return nc.IsConnected() && nc.ConnectedServerName() != "C" })
	if err := c.Restart("C", ""); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "mesh with C", func() bool { return graphIs(c, nil) })
}
