package assert

import (
	"fmt"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// lossTimeline is a 100 s run on three servers: pubs publishers send
// perPub messages each on orders.p-N, subs subscribers on orders.> receive
// every one; progress is sampled every 100ms and the servers observed
// every 50ms, as the fleet and cluster do.
func lossTimeline(pubs, subs int, perPub uint64) []sim.Event {
	const run = 100 * time.Second
	var evs []sim.Event
	add := func(ev sim.Event) { evs = append(evs, ev) }
	servers := []string{"A", "B", "C"}
	for _, s := range servers {
		add(sim.Event{Kind: sim.ServerStart, Server: s})
	}
	for i := range subs {
		c := fmt.Sprintf("subs-%d", i)
		add(sim.Event{Kind: sim.ClientConnect, Client: c, Server: servers[i%3]})
		add(sim.Event{Kind: sim.SubReady, Client: c, Sub: c, Subject: "orders.>"})
	}
	for i := range pubs {
		add(sim.Event{Kind: sim.ClientConnect, Client: fmt.Sprintf("pubs-%d", i), Server: servers[i%3]})
	}
	steps := uint64(run / (100 * time.Millisecond))
	for k := uint64(1); k <= steps; k++ {
		t := time.Duration(k) * 100 * time.Millisecond
		for _, half := range []time.Duration{t - 50*time.Millisecond, t} {
			for _, s := range servers {
				add(sim.Event{T: half, Kind: sim.Observe, Server: s, Clients: (pubs + subs) / 3, Peers: others(servers, s)})
			}
		}
		for i := range pubs {
			add(sim.Event{T: t, Kind: sim.PublishProgress, Client: fmt.Sprintf("pubs-%d", i), Pub: i + 1, Subject: fmt.Sprintf("orders.pubs-%d", i), Seq: perPub * k / steps})
		}
	}
	for i := range pubs {
		add(sim.Event{T: run, Kind: sim.PublishEnd, Client: fmt.Sprintf("pubs-%d", i), Pub: i + 1, Subject: fmt.Sprintf("orders.pubs-%d", i), Seq: perPub})
	}
	for s := range subs {
		for p := range pubs {
			add(sim.Event{T: run, Kind: sim.Receipt, Sub: fmt.Sprintf("subs-%d", s), Subject: "orders.>", Client: fmt.Sprintf("subs-%d", s), Pub: p + 1, Received: []sim.Range{{First: 1, Last: perPub}}})
		}
	}
	return evs
}

func others(all []string, s string) []string {
	var out []string
	for _, o := range all {
		if o != s {
			out = append(out, o)
		}
	}
	return out
}

// BenchmarkNoLoss10M: 10 million messages (100 publishers × 100,000) to
// 10 subscribers, nothing lost. The budget is 2 s on 2 cores.
func BenchmarkNoLoss10M(b *testing.B) {
	evs := lossTimeline(100, 10, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := checkNoLoss(NoLossParams{}, evs); r.Verdict != Pass {
			b.Fatalf("%s: %s", r.Verdict, r.Evidence)
		}
	}
	b.ReportMetric(float64(len(evs)), "events")
}
