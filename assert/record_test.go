//go:build record

package assert

// Recording real histories for history_test.go (porcupine keeps real
// histories as test data; so do we). Needs no network beyond loopback:
//
//	go test -tags record -run TestRecord ./assert
//
// then review the new testdata/*.jsonl and the verdicts history_test.go
// expects of them.

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// record runs three servers and 12 clients (6 plain subscribers, a queue
// group of 3, 3 publishers at 200/s), one step between two sleeps, and
// streams the timeline to testdata/name.jsonl.
func record(t *testing.T, name string, opts sim.ServerOptions, disrupt func(c *sim.Cluster, do func(string, func() error))) {
	tl := sim.NewTimeline()
	path := filepath.Join("testdata", name+".jsonl")
	if err := tl.StreamTo(path); err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	tl.Add(sim.Event{Kind: sim.RunStart, Scenario: name})
	c, err := sim.NewCluster(sim.ClusterSpec{Servers: []sim.ServerSpec{{Name: "A"}, {Name: "B"}, {Name: "C"}}, Options: opts}, tl, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	step := 0
	do := func(name string, fn func() error) {
		t.Helper()
		tl.Add(sim.Event{Kind: sim.StepStart, Step: step, Detail: name})
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tl.Add(sim.Event{Kind: sim.StepEnd, Step: step})
		step++
	}
	do("start", c.StartAll)
	do("sleep 1s", sleep(time.Second))
	copts := sim.ClientOptions{ReconnectWait: 100 * time.Millisecond, ReconnectJitter: 50 * time.Millisecond}
	f, err := sim.NewFleet(c, tl, []sim.GroupSpec{
		{Name: "subs", Count: 6, Options: copts, Subscribe: []sim.Subscription{{Subject: "orders.>"}}},
		{Name: "workers", Count: 3, Options: copts, Subscribe: []sim.Subscription{{Subject: "orders.>", Queue: "q"}}},
		{Name: "pubs", Count: 3, Options: copts, Publish: &sim.Publish{Subject: "orders.{client}", Rate: 200, Size: 64}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	do("fleet", func() error { return f.Start(context.Background()) })
	do("sleep 1s", sleep(time.Second))
	disrupt(c, do)
	do("sleep 2s", sleep(2*time.Second))
	f.StopPublishing()
	f.Quiesce(200*time.Millisecond, 5*time.Second)
	f.Close()
	c.Close()
	tl.Add(sim.Event{Kind: sim.RunEnd, Detail: "completed"})
	if err := tl.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Fatalf("nothing recorded: %v", err)
	}
}

func sleep(d time.Duration) func() error {
	return func() error { time.Sleep(d); return nil } // the scenario's own sleep step
}

// TestRecordKillRestart: A is killed while publishers run, then restarted.
func TestRecordKillRestart(t *testing.T) {
	record(t, "kill_restart", sim.ServerOptions{}, func(c *sim.Cluster, do func(string, func() error)) {
		do("kill A", func() error { return c.Kill("A") })
		do("sleep 2s", sleep(2*time.Second))
		do("restart A", func() error { return c.Restart("A", "") })
	})
}

// TestRecordLameDuck: B enters lame duck mode (1s) and is restarted.
func TestRecordLameDuck(t *testing.T) {
	opts := sim.ServerOptions{LameDuckDuration: time.Second, LameDuckGracePeriod: 200 * time.Millisecond}
	record(t, "lame_duck", opts, func(c *sim.Cluster, do func(string, func() error)) {
		do("lame_duck B", func() error { return c.LameDuck("B") })
		do("restart B", func() error { return c.Restart("B", "") })
	})
}
