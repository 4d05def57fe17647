package faults

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// BenchmarkLeafScale is the leaf scale point of issue 21: a hub of three
// embedded servers and 200 embedded TLS leaves (each configured with the
// three hub servers, learning nothing else), with 10 clients on every
// leaf (2,000 clients, dialling their leaf directly), every leaf link
// through the layer. One iteration starts it all, restarts hub server A
// and waits until every leaf is linked again. Metrics: seconds to link
// every leaf and to connect every client, the leaf herd after the
// restart (the most leaf links one hub server accepted in 200ms), the
// seconds until every leaf was linked again, and the process's heap,
// goroutines and file descriptors at full size.
//
// Its sub-benchmarks compare the leaves' reconnect interval, the one
// server option that paces leaf redials (nats-server has no jitter for
// them, and its TLS connection_rate_limit applies to client connections
// only): every leaf at the default 1s, and intervals spread evenly from
// 100ms to 4s over the leaves.
func BenchmarkLeafScale(b *testing.B) {
	b.Run("reconnect=1s", func(b *testing.B) { leafScale(b, func(int) time.Duration { return time.Second }) })
	b.Run("reconnect=spread-100ms-4s", func(b *testing.B) {
		leafScale(b, func(i int) time.Duration { return 100*time.Millisecond + time.Duration(i)*3900*time.Millisecond/199 })
	})
}

func leafScale(b *testing.B, reconnect func(i int) time.Duration) {
	const leaves, perLeaf = 200, 10
	for range b.N {
		pki, err := sim.WriteRunPKI(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		tl := sim.NewTimeline()
		l := New(tl, Options{OpaqueLeaves: true})
		hub, err := sim.NewCluster(sim.ClusterSpec{
			Name:    "hub",
			Servers: []sim.ServerSpec{{Name: "A"}, {Name: "B"}, {Name: "C"}},
			Leaf:    &sim.LeafSpec{Accept: true, NoAdvertise: true, TLS: pki},
		}, tl, l)
		if err != nil {
			b.Fatal(err)
		}
		var specs []sim.LeafNodeSpec
		var groups []sim.GroupSpec
		for i := range leaves {
			name := fmt.Sprintf("L%03d", i)
			specs = append(specs, sim.LeafNodeSpec{Name: name, Hubs: []string{"A", "B", "C"}, Reconnect: reconnect(i)})
			groups = append(groups, sim.GroupSpec{Name: "edge-" + name, Count: perLeaf, Servers: []string{name}})
		}
		ln, err := sim.NewLeafNodes(sim.LeafNodesSpec{Leaves: specs, Leaf: sim.LeafSpec{TLS: pki}}, hub, tl, l)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := hub.StartAll(); err != nil {
			b.Fatal(err)
		}
		if err := ln.StartAll(); err != nil {
			b.Fatal(err)
		}
		waitLeaves(b, tl, leaves, 0, 0, 60*time.Second)
		linked := time.Since(start)
		f, err := sim.NewFleetOn(ln.Directory(), tl, groups)
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if err := f.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		connected := time.Since(start)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fds, _ := os.ReadDir("/proc/self/fd")
		goroutines := runtime.NumGoroutine()

		onA := len(leafUpOn(tl, "A"))
		restarted := tl.Since()
		start = time.Now()
		if err := hub.Restart("A", ""); err != nil {
			b.Fatal(err)
		}
		waitLeaves(b, tl, leaves, onA, restarted, 60*time.Second)
		back := time.Since(start)
		peak := herdPeak(tl, restarted, 200*time.Millisecond)
		b.Logf("%d leaves linked in %v, %d clients in %v; %d leaves were on A; after A's restart all linked again in %v, peak %d links/200ms on one hub server; heap %d MB, %d goroutines, %d fds",
			leaves, linked.Round(time.Millisecond), leaves*perLeaf, connected.Round(time.Millisecond), onA, back.Round(time.Millisecond), peak, ms.HeapInuse>>20, goroutines, len(fds))
		b.ReportMetric(linked.Seconds(), "link-s")
		b.ReportMetric(connected.Seconds(), "clients-s")
		b.ReportMetric(back.Seconds(), "relink-s")
		b.ReportMetric(float64(peak), "herd-peak/200ms")
		b.ReportMetric(float64(ms.HeapInuse>>20), "heap-MB")
		b.ReportMetric(float64(len(fds)), "fds")
		f.Close()
		ln.Close()
		hub.Close()
		l.Close()
	}
}

// leafUpOn lists the leaves linked to hub now, as the hub reports it.
func leafUpOn(tl *sim.Timeline, hub string) map[string]bool {
	on := map[string]bool{}
	for _, ev := range tl.Events() {
		if ev.Detail != sim.LeafSideHub || ev.Target != hub {
			continue
		}
		on[ev.Server] = ev.Kind == sim.LeafUp
	}
	for k, v := range on {
		if !v {
			delete(on, k)
		}
	}
	return on
}

// waitLeaves waits until every one of n leaves is linked and at least
// moved leaves lost a link after since and are linked again.
func waitLeaves(b *testing.B, tl *sim.Timeline, n, moved int, since, within time.Duration) {
	b.Helper()
	testwait.Until(b, within, fmt.Sprintf("%d leaves linked, %d of them again", n, moved), func() bool {
		on := map[string]string{}
		lastUp, lastDown := map[string]time.Duration{}, map[string]time.Duration{}
		for _, ev := range tl.Events() {
			if ev.Detail != sim.LeafSideLeaf {
				continue
			}
			switch {
			case ev.Kind == sim.LeafUp:
				on[ev.Server], lastUp[ev.Server] = ev.Target, ev.T
			case ev.Kind == sim.LeafDown:
				lastDown[ev.Server] = ev.T
				if on[ev.Server] == ev.Target {
					delete(on, ev.Server)
				}
			}
		}
		again := 0
		for leaf, t := range lastDown {
			if t >= since && lastUp[leaf] > t {
				again++
			}
		}
		return len(on) == n && again >= moved
	})
}

// herdPeak is the most leaf links one hub server accepted in any window
// after since, as the hubs report them.
func herdPeak(tl *sim.Timeline, since, window time.Duration) int {
	by := map[string][]time.Duration{}
	for _, ev := range tl.Events() {
		if ev.T >= since && ev.Kind == sim.LeafUp && ev.Detail == sim.LeafSideHub {
			by[ev.Target] = append(by[ev.Target], ev.T)
		}
	}
	peak := 0
	for _, ts := range by {
		j := 0
		for i := range ts {
			for j < len(ts) && ts[j] < ts[i]+window {
				j++
			}
			peak = max(peak, j-i)
		}
	}
	return peak
}
