package sim

import (
	"context"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// rebalance on a real cluster: when C joins, about a third of the clients
// move to it; a move still waiting when the fleet closes is cancelled and
// leaves no goroutine behind (goleak in TestMain).
func TestRebalanceMovesClientsToAJoiningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real cluster")
	}
	for _, c := range []struct {
		name     string
		maxDelay time.Duration
		moves    bool
	}{
		{"moves within max_delay", 200 * time.Millisecond, true},
		{"pending moves cancelled by Close", time.Hour, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec := ClusterSpec{Servers: []ServerSpec{{Name: "A"}, {Name: "B"}, {Name: "C", Deferred: true}}}
			cl, tl := newTestCluster(t, spec, nil)
			testwait.Until(t, 10*time.Second, "A and B meshed", func() bool { return fullMesh(cl) })
			const n = 60
			f, err := NewFleet(cl, tl, []GroupSpec{{Name: "c", Count: n, Servers: []string{"A", "B"},
				Options: ClientOptions{Strategy: Strategy{Kind: StrategyRebalance, MaxDelay: c.maxDelay, Seed: 9}}}})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := cl.Start("C"); err != nil {
				t.Fatal(err)
			}
			knowC := func() int {
				k := 0
				for _, ev := range tl.Events() {
					if ev.Kind == ClientDiscovered && contains(ev.Known, "C") {
						k++
					}
				}
				return k
			}
			testwait.Until(t, 10*time.Second, "clients discover C", func() bool { return knowC() >= n })
			onC := func() int { return f.ConnectedTo()["C"] }
			if c.moves {
				// 1/3 of 60 is 20: a binomial draw, 10 to 30 by a wide margin.
				testwait.Until(t, 10*time.Second, "about a third on C", func() bool { return onC() >= 10 })
				testwait.Until(t, 5*time.Second, "moves done", func() bool {
					for _, ev := range tl.Events() {
						if ev.Kind == ClientReconnect && ev.T > tl.Since()-c.maxDelay*3 {
							return false
						}
					}
					return true
				})
				if got := onC(); got < 10 || got > 30 {
					t.Errorf("%d of %d clients on C, want about %d", got, n, n/3)
				}
			}
			if !c.moves && onC() != 0 {
				t.Errorf("%d clients moved although their delay is an hour", onC())
			}
			start := time.Now()
			f.Close()
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Close took %v with moves pending", d)
			}
		})
	}
}
