package faults

import (
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

func connect(t *testing.T, u string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	opts = append([]nats.Option{nats.ReconnectWait(50 * time.Millisecond), nats.MaxReconnects(-1),
		nats.ReconnectJitter(10*time.Millisecond, 10*time.Millisecond), nats.Timeout(time.Second),
		nats.NoCallbacksAfterClientClose(),
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {})}, opts...) // faults cause errors: no stderr noise
	nc, err := nats.Connect(u, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func clientURL(t *testing.T, c *sim.Cluster, name string) string {
	t.Helper()
	u, err := c.ClientURL(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func clientsOf(c *sim.Cluster, name string) int {
	for _, o := range c.Observe() {
		if o.Server == name {
			return o.Clients
		}
	}
	return -1
}

func allOn(ncs []*nats.Conn, names ...string) bool {
	for _, nc := range ncs {
		ok := false
		for _, n := range names {
			ok = ok || (nc.IsConnected() && nc.ConnectedServerName() == n)
		}
		if !ok {
			return false
		}
	}
	return true
}

// waitDiscovered waits until every client knows every other server, by
// its proxy address (gossip never hands out a real address).
func waitDiscovered(t *testing.T, c *sim.Cluster, ncs []*nats.Conn, n int) {
	t.Helper()
	testwait.Until(t, 3*time.Second, "clients discovered every server", func() bool {
		for _, nc := range ncs {
			if len(nc.DiscoveredServers()) != n {
				return false
			}
		}
		return true
	})
	for _, nc := range ncs {
		for _, s := range nc.DiscoveredServers() {
			u, err := url.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := c.ServerForAddr(u.Host); !ok {
				t.Fatalf("client discovered %s, which is not a client proxy", s)
			}
		}
	}
}

// down on client:X disconnects all of X's clients, including those that
// reached X by an address they discovered through gossip.
func TestClientDownReachesDiscoveredClients(t *testing.T) {
	c, l, _ := startCluster(t, clusterConfig{n: 3, topo: sim.TopologyFull, clientProxies: true})
	var ncs []*nats.Conn
	for i := 0; i < 6; i++ {
		ncs = append(ncs, connect(t, clientURL(t, c, "A")))
	}
	waitDiscovered(t, c, ncs, 2)

	// Push everyone onto B, which they know only by gossip.
	downA := inject(t, l, Spec{Target: "client:A", Kind: "down"})
	downC := inject(t, l, Spec{Target: "client:C", Kind: "down"})
	testwait.Until(t, 5*time.Second, "every client on B", func() bool {
		return allOn(ncs, "B") && clientsOf(c, "B") == len(ncs) && l.ClientLinks("B") == len(ncs)
	})
	heal(t, l, downA)
	heal(t, l, downC)

	start := time.Now()
	downB := inject(t, l, Spec{Target: "client:B", Kind: "down"})
	testwait.Until(t, 5*time.Second, "B's clients gone", func() bool {
		return clientsOf(c, "B") == 0 && l.ClientLinks("B") == 0 && allOn(ncs, "A", "C")
	})
	t.Logf("down on client:B: all %d clients elsewhere in %v", len(ncs), time.Since(start).Round(time.Millisecond))
	heal(t, l, downB)
}

// A frozen server keeps its sockets open and answers nothing: clients with
// a 200ms ping interval leave it within about a second, clients with the
// default (2 minutes) stay; what they sent is delivered after the thaw.
func TestFreezeClients(t *testing.T) {
	c, l, tl := startCluster(t, clusterConfig{n: 2, topo: sim.TopologyFull, clientProxies: true})
	var fast, slow []*nats.Conn
	for i := 0; i < 3; i++ {
		fast = append(fast, connect(t, clientURL(t, c, "A"), nats.PingInterval(200*time.Millisecond), nats.MaxPingsOutstanding(2)))
		slow = append(slow, connect(t, clientURL(t, c, "A")))
	}
	waitDiscovered(t, c, append(fast, slow...), 1)

	start := time.Now()
	id, err := l.Freeze("A", 0)
	if err != nil {
		t.Fatal(err)
	}
	flushed := make(chan error, 1)
	go func() { flushed <- slow[0].FlushTimeout(10 * time.Second) }()

	left := testwait.Until(t, 2*time.Second, "fast-ping clients moved to B", func() bool { return allOn(fast, "B") })
	t.Logf("freeze: 200ms-ping clients on B after %v", left.Round(time.Millisecond))
	if left > 1500*time.Millisecond {
		t.Fatalf("fast-ping clients took %v to leave a frozen server", left)
	}
	// Default pings: nothing tells them within the window.
	for time.Since(start) < 2*time.Second {
		if !allOn(slow, "A") {
			t.Fatal("a default-ping client left the frozen server")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-flushed:
		t.Fatalf("flush through a frozen server returned: %v", err)
	default:
	}
	heal(t, l, id)
	select {
	case err := <-flushed:
		if err != nil {
			t.Fatalf("flush after thaw: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("flush did not complete after the thaw")
	}
	checkWindow(t, tl, id, "freeze", true)
}
