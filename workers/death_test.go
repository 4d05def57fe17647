package workers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// A local worker killed mid-run is noticed at once: worker_lost on the
// timeline, steps acting on its clients fail instead of hanging, Close
// returns, and Err says the run lost clients.
func TestWorkerDeath(t *testing.T) {
	if testing.Short() {
		t.Skip("real cluster and worker processes")
	}
	tl := sim.NewTimeline()
	c, err := sim.NewCluster(sim.ClusterSpec{Servers: []sim.ServerSpec{{Name: "A"}}, ObserveEvery: -1}, tl, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartAll(); err != nil {
		t.Fatal(err)
	}
	groups := []sim.GroupSpec{
		{Name: "subs", Count: 4, Subscribe: []sim.Subscription{{Subject: "x"}}},
		{Name: "pubs", Count: 2, Publish: &sim.Publish{Subject: "x", Rate: 50}},
	}
	f, err := New(Config{Local: 2, Command: WorkerCommand()}, tl, c.Snapshot, groups)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.Err(); err != nil {
		t.Fatalf("before the kill: %v", err)
	}
	if err := f.KillMember(1); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "worker_lost", func() bool { return len(kinds(tl, sim.WorkerLost)) == 1 })
	// The second to join held the top half of every group: its leave fails at once.
	start := time.Now()
	if _, err := f.Leave("subs", 1); err == nil || !strings.Contains(err.Error(), "connection lost") {
		t.Fatalf("leave from the dead worker: %v", err)
	}
	if _, err := f.Burst("pubs", 10); err == nil {
		t.Fatal("burst reached a dead worker")
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("steps on a dead worker took %v", time.Since(start))
	}
	f.Close()
	if err := f.Err(); err == nil || !strings.Contains(err.Error(), "lost") {
		t.Fatalf("Err after a death: %v", err)
	}
	// The survivor's receipts were still recorded, under one fleet_close.
	if n := len(kinds(tl, sim.FleetClose)); n != 1 {
		t.Fatalf("fleet_close %d times", n)
	}
	if len(kinds(tl, sim.Receipt)) == 0 {
		t.Fatal("no receipt from the surviving worker")
	}
}
