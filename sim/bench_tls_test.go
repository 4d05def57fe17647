//go:build unix

package sim_test

import (
	"context"
	"flag"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// herdClients is the size of the herd: by default as many clients as
// rolling-upgrade has, all on A. -herd-clients 1000 profiles a larger kill.
var herdClients = flag.Int("herd-clients", 300, "clients in BenchmarkHerdKill*")

// BenchmarkHerdKillPlain and BenchmarkHerdKillTLS measure the herd when
// A dies under its clients (all given only A, as in rolling-upgrade,
// with client links through the fault layer): from the kill to the first
// (first-ms) and the last reconnection elsewhere. The TLS run also
// authenticates every client (password) and verifies the run's CA, so
// each reconnection costs a handshake; cpu-ms is the process's CPU time
// over that window.
func BenchmarkHerdKillPlain(b *testing.B) { benchHerd(b, false) }
func BenchmarkHerdKillTLS(b *testing.B)   { benchHerd(b, true) }

func benchHerd(b *testing.B, secure bool) {
	var firsts, lasts, p50s, cpus []float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		first, last, p50, cpu := herdOnce(b, secure)
		firsts, lasts, p50s, cpus = append(firsts, ms(first)), append(lasts, ms(last)), append(p50s, ms(p50)), append(cpus, ms(cpu))
	}
	b.ReportMetric(median(firsts), "first-ms")
	b.ReportMetric(median(lasts), "last-ms")
	b.ReportMetric(median(p50s), "p50-ms")
	b.ReportMetric(median(cpus), "cpu-ms")
}

func herdOnce(b *testing.B, secure bool) (first, last, p50, cpu time.Duration) {
	spec := specN(3)
	group := sim.GroupSpec{Name: "c", Count: *herdClients, Servers: []string{"A"},
		Options: sim.ClientOptions{ReconnectWait: 250 * time.Millisecond, ReconnectJitter: 100 * time.Millisecond, MaxReconnects: ptrInt(-1)}}
	if secure {
		pki, err := sim.WriteRunPKI(filepath.Join(b.TempDir(), "tls"))
		if err != nil {
			b.Fatal(err)
		}
		spec.Options.Security = &sim.Security{TLS: pki, ClientTLS: true,
			Users: []sim.User{{Name: "u", Kind: sim.UserPassword, Password: "bench-only"}}}
		group.Security = &sim.ClientSecurity{CA: pki.CA, User: "u", Kind: sim.UserPassword, Password: "bench-only"}
	}
	tl := sim.NewTimeline()
	layer := faults.New(tl, faults.Options{ClientProxies: true})
	defer layer.Close()
	c, err := sim.NewCluster(spec, tl, layer)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.StartAll(); err != nil {
		b.Fatal(err)
	}
	testwait.Until(b, 30*time.Second, "mesh", func() bool { return meshed(c) })
	var mu sync.Mutex
	var killedAt time.Duration
	var times []time.Duration
	// Closed by the last reconnection itself: the timed window ends there,
	// not at the next poll.
	allBack := make(chan struct{})
	tl.Subscribe(func(ev sim.Event) {
		mu.Lock()
		defer mu.Unlock()
		if killedAt > 0 && ev.Kind == sim.ClientReconnect {
			times = append(times, ev.T-killedAt)
			if len(times) == *herdClients {
				close(allBack)
			}
		}
	})
	f, err := sim.NewFleet(c, tl, []sim.GroupSpec{group})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	testwait.Until(b, 30*time.Second, "every client on A", func() bool { return f.ConnectedTo()["A"] == *herdClients })
	cpu0 := cpuTime()
	mu.Lock()
	killedAt = tl.Since()
	mu.Unlock()
	b.StartTimer()
	stopProfile := startHerdProfile(b)
	defer stopProfile() // a failed wait ends here
	if err := c.Kill("A"); err != nil {
		b.Fatal(err)
	}
	select {
	case <-allBack:
	case <-time.After(30 * time.Second):
		b.Fatal("every client reconnected: not within 30s")
	}
	b.StopTimer()
	stopProfile()
	cpu = cpuTime() - cpu0
	mu.Lock()
	defer mu.Unlock()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[0], times[len(times)-1], times[len(times)/2], cpu
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func ptrInt(v int) *int { return &v }

// BenchmarkClusterMesh3RouteTLS: BenchmarkClusterMesh3 with mutual TLS on
// routes (the layer then passes route dials unidentified).
func BenchmarkClusterMesh3RouteTLS(b *testing.B) {
	pki, err := sim.WriteRunPKI(filepath.Join(b.TempDir(), "tls"))
	if err != nil {
		b.Fatal(err)
	}
	spec := specN(3)
	spec.Options.Security = &sim.Security{TLS: pki, RouteTLS: true}
	benchMeshSpec(b, spec, func() sim.Network {
		return faults.New(nil, faults.Options{ClientProxies: true, OpaqueRoutes: true})
	})
}

// BenchmarkRunPKI: a run's CA and certificate, generated and written.
func BenchmarkRunPKI(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		if _, err := sim.WriteRunPKI(filepath.Join(dir, "tls")); err != nil {
			b.Fatal(err)
		}
	}
}
