package sim_test

import (
	"slices"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// benchRestartMesh measures a restart to full mesh (read from the
// servers): kill A, wait until the others see it gone, leave it down for
// downtime, then time Start to mesh. With temporary, C is declared
// deferred and started once A and B mesh, as rolling-upgrade's temporary
// server: A's routes then name B only, and the A-C route comes back when
// C's own redial of A (every second, nats-server's route connect delay)
// finds A up, with or without the layer. Reports the slowest and the
// 99th percentile, and how many restarts took over half a second.
func benchRestartMesh(b *testing.B, net func() sim.Network, temporary bool, downtime time.Duration) {
	spec := specN(3)
	spec.Servers[2].Deferred = temporary
	tl := sim.NewTimeline()
	var nw sim.Network
	if net != nil {
		nw = net()
		defer nw.Close()
	}
	c, err := sim.NewCluster(spec, tl, nw)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.StartAll(); err != nil {
		b.Fatal(err)
	}
	if temporary {
		waitMeshed(b, c)
		if err := c.Start("C"); err != nil {
			b.Fatal(err)
		}
	}
	waitMeshed(b, c)
	var times []time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if err := c.Kill("A"); err != nil {
			b.Fatal(err)
		}
		testwait.Until(b, 5*time.Second, "A gone", func() bool { return runningMeshed(c) })
		time.Sleep(downtime) // the fault's downtime
		b.StartTimer()
		start := time.Now()
		if err := c.Start("A"); err != nil {
			b.Fatal(err)
		}
		waitMeshed(b, c)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	slow := 0
	for _, d := range times {
		if d > 500*time.Millisecond {
			slow++
		}
	}
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(slow), "slow")
}

func waitMeshed(b *testing.B, c *sim.Cluster) {
	b.Helper()
	testwait.Until(b, 10*time.Second, "mesh", func() bool { return runningMeshed(c) })
}

// BenchmarkRestartMesh*: kill A of a full mesh of three, 50 ms down,
// restart it, to full mesh again.
func BenchmarkRestartMeshFaultLayer(b *testing.B) {
	benchRestartMesh(b, faultLayer, false, 50*time.Millisecond)
}
func BenchmarkRestartMeshDirect(b *testing.B) { benchRestartMesh(b, nil, false, 50*time.Millisecond) }

// BenchmarkRestartMeshTemporaryPeer*: the same with C started late, as in
// rolling-upgrade, and 100 ms down.
func BenchmarkRestartMeshTemporaryPeerFaultLayer(b *testing.B) {
	benchRestartMesh(b, faultLayer, true, 100*time.Millisecond)
}
func BenchmarkRestartMeshTemporaryPeerDirect(b *testing.B) {
	benchRestartMesh(b, nil, true, 100*time.Millisecond)
}
