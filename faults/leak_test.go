package faults

import (
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/goleak"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// Faults that close or hold links in the middle of a flow leave no
// goroutine behind once the cluster and the layer are closed.
func TestNoLeaksAfterFaultsMidFlow(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) }) // registered first: runs last
	c, l, _ := startCluster(t, clusterConfig{n: 3, topo: sim.TopologyFull, clientProxies: true})
	sub := connect(t, clientURL(t, c, "C"))
	if _, err := sub.Subscribe("flow", func(*nats.Msg) {}); err != nil {
		t.Fatal(err)
	}
	sub.Flush()
	pub := connect(t, clientURL(t, c, "A"))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		payload := make([]byte, 512)
		for {
			select {
			case <-stop:
				return
			default:
				_ = pub.Publish("flow", payload) // errors while reconnecting are expected
			}
		}
	}()
	// Each fault hits links that carry data at that moment.
	ids := []string{
		inject(t, l, Spec{Target: "client:A", Kind: "limit_data", Params: Values{"bytes": int64(64 << 10)}}),
		inject(t, l, Spec{Target: "route:A-C", Kind: "latency", Params: Values{"latency": 20 * time.Millisecond}}),
		inject(t, l, Spec{Target: "route:A-C", Kind: "timeout", Direction: "downstream", Params: Values{"timeout": 300 * time.Millisecond}}),
		inject(t, l, Spec{Target: "client:C", Kind: "slicer", Params: Values{"average_size": int64(100)}}),
	}
	fid, err := l.Freeze("C", 0)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := l.Partition([][]string{{"A"}, {"B", "C"}}, ModeStall, 0)
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 2*time.Second, "links closed mid-flow", func() bool { return l.ClientLinks("A") == 0 || pub.Status() != nats.CONNECTED })
	inject(t, l, Spec{Target: "route:B-C", Kind: "reset_peer"})
	heal(t, l, fid)
	heal(t, l, ids[1])
	_ = pid // left active: Close must heal it
	close(stop)
	wg.Wait()
	c.Close()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(l.Active()); n != 0 {
		t.Fatalf("%d faults active after Close", n)
	}
}
