package workers

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func kinds(tl *sim.Timeline, k sim.Kind) []sim.Event {
	var out []sim.Event
	for _, ev := range tl.Events() {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

func emptyDir() sim.DirectorySnapshot { return sim.DirectorySnapshot{} }

// A worker with the wrong token, a connection that never says hello, and
// a worker beyond the run's count are refused, each on the timeline; the
// worker with the token is let in.
func TestRefusals(t *testing.T) {
	tl := sim.NewTimeline()
	f, err := New(Config{Remote: 1, Token: "right"}, tl, emptyDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	err = Run(ctx, f.Addr(), "wrong", "intruder")
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "wrong token") {
		t.Fatalf("wrong token: %v", err)
	}
	if evs := kinds(tl, sim.WorkerRefused); len(evs) != 1 || evs[0].Err != "wrong token" || evs[0].Target == "" {
		t.Fatalf("refusal on the timeline: %+v", evs)
	}
	if len(kinds(tl, sim.WorkerJoin)) != 0 {
		t.Fatal("a refused worker joined")
	}

	var wg sync.WaitGroup
	var good error
	wg.Add(1)
	go func() { defer wg.Done(); good = Run(ctx, f.Addr(), "right", "good") }()
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if evs := kinds(tl, sim.WorkerJoin); len(evs) != 1 || evs[0].Detail != "good" {
		t.Fatalf("join on the timeline: %+v", evs)
	}

	err = Run(ctx, f.Addr(), "right", "extra")
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "has its 1 workers") {
		t.Fatalf("a worker too many: %v", err)
	}
	if n := len(kinds(tl, sim.WorkerRefused)); n != 2 {
		t.Fatalf("%d refusals recorded, want 2", n)
	}
	f.Close()
	wg.Wait()
	if good != nil {
		t.Fatalf("the admitted worker ended with %v", good)
	}
	if n := len(kinds(tl, sim.WorkerLost)); n != 0 {
		t.Fatalf("a worker closed on purpose was recorded lost")
	}
}

// A run waiting for remote workers that never come gives up at
// JoinWithin with an error naming its address, rather than hanging.
func TestMissingWorkersDoNotHang(t *testing.T) {
	tl := sim.NewTimeline()
	f, err := New(Config{Remote: 2, Token: "t", JoinWithin: 200 * time.Millisecond}, tl, emptyDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = f.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "0 of 2 connected to "+f.Addr()) {
		t.Fatalf("Start: %v", err)
	}
}
