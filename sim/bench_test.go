package sim_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/sim"
)

func specN(n int) sim.ClusterSpec {
	var s []sim.ServerSpec
	for i := 0; i < n; i++ {
		s = append(s, sim.ServerSpec{Name: string(rune('A' + i))})
	}
	return sim.ClusterSpec{Servers: s, ObserveEvery: -1}
}

func meshed(c *sim.Cluster) bool {
	obs := c.Observe()
	for _, o := range obs {
		if len(o.Peers) != len(obs)-1 {
			return false
		}
	}
	return true
}

// benchMesh measures start to full mesh, read from the servers themselves.
func benchMesh(b *testing.B, n int, net func() sim.Network) { benchMeshSpec(b, specN(n), net) }

func benchMeshSpec(b *testing.B, spec sim.ClusterSpec, net func() sim.Network) {
	for i := 0; i < b.N; i++ {
		tl := sim.NewTimeline()
		var nw sim.Network
		if net != nil {
			nw = net()
		}
		c, err := sim.NewCluster(spec, tl, nw)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.StartAll(); err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for !meshed(c) {
			if time.Now().After(deadline) {
				b.Fatal("no mesh within 10s")
			}
			time.Sleep(200 * time.Microsecond)
		}
		b.StopTimer()
		c.Close()
		if nw != nil {
			nw.Close()
		}
		b.StartTimer()
	}
}

func faultLayer() sim.Network { return faults.New(nil, faults.Options{ClientProxies: true}) }

// BenchmarkClusterMesh3 and 5: start to full mesh with every route through
// the fault layer, as scenarios run. The Direct variants have no layer.
func BenchmarkClusterMesh3(b *testing.B)       { benchMesh(b, 3, faultLayer) }
func BenchmarkClusterMesh5(b *testing.B)       { benchMesh(b, 5, faultLayer) }
func BenchmarkClusterMesh3Direct(b *testing.B) { benchMesh(b, 3, nil) }
func BenchmarkClusterMesh5Direct(b *testing.B) { benchMesh(b, 5, nil) }

// BenchmarkServerStart: one embedded server, no layer, from NewCluster to
// accepting connections (a cluster of one is meshed once it is up).
func BenchmarkServerStart(b *testing.B) { benchMesh(b, 1, nil) }

// BenchmarkConnect1000 measures connecting a thousand clients (with the
// fleet's handlers) to a three-server cluster, and reports the file
// descriptors each connected client holds in this process (Linux).
func BenchmarkConnect1000(b *testing.B) {
	tl := sim.NewTimeline()
	c, err := sim.NewCluster(specN(3), tl, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.StartAll(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := sim.NewFleet(c, tl, []sim.GroupSpec{{Name: "c", Count: 1000}})
		if err != nil {
			b.Fatal(err)
		}
		before := openFDs()
		if err := f.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if before > 0 {
			b.ReportMetric(float64(openFDs()-before)/1000, "fds/client")
		}
		f.Close()
		b.StartTimer()
	}
}

// openFDs counts this process's open file descriptors; 0 where
// /proc/self/fd does not exist.
func openFDs() int {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	return len(fds)
}

// Throughput measures one publisher to one subscriber, 128-byte numbered
// messages, with receipt tracking on, through url.
func Throughput(b *testing.B, pubURL, subURL string) {
	b.Helper()
	sub, err := nats.Connect(subURL)
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Close()
	tr := sim.NewTrackerForTest()
	s, err := sub.Subscribe("bench", func(m *nats.Msg) { tr.Record(m.Data) })
	if err != nil {
		b.Fatal(err)
	}
	s.SetPendingLimits(-1, -1)
	sub.Flush()
	pub, err := nats.Connect(pubURL)
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	buf := make([]byte, 128)
	b.SetBytes(128)
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		sim.EncodeHeaderForTest(buf, 1, uint64(i))
		if err := pub.Publish("bench", buf); err != nil {
			b.Fatal(err)
		}
	}
	pub.Flush()
	deadline := time.Now().Add(60 * time.Second)
	for tr.Received() < uint64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("received %d of %d", tr.Received(), b.N)
		}
		time.Sleep(100 * time.Microsecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkThroughputFaultLayer: the same through client proxies (no
// fault active): publisher and subscriber links both pass the layer.
func BenchmarkThroughputFaultLayer(b *testing.B) {
	tl := sim.NewTimeline()
	layer := faults.New(tl, faults.Options{ClientProxies: true})
	defer layer.Close()
	c, err := sim.NewCluster(specN(1), tl, layer)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.StartAll(); err != nil {
		b.Fatal(err)
	}
	u, _ := c.ClientURL("A")
	Throughput(b, u, u)
}

func BenchmarkThroughputDirect(b *testing.B) {
	tl := sim.NewTimeline()
	c, err := sim.NewCluster(specN(1), tl, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.StartAll(); err != nil {
		b.Fatal(err)
	}
	u, _ := c.ClientURL("A")
	Throughput(b, u, u)
}
