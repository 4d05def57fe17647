package sim

import (
	"context"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

func receipts(tl *Timeline) map[string][]Event {
	out := map[string][]Event{}
	for _, ev := range tl.Events() {
		if ev.Kind == Receipt {
			out[ev.Sub] = append(out[ev.Sub], ev)
		}
	}
	return out
}

func lastSeqs(tl *Timeline) map[int]uint64 {
	out := map[int]uint64{}
	for _, ev := range tl.Events() {
		if ev.Kind == PublishEnd {
			out[ev.Pub] = ev.Seq
		}
	}
	return out
}

func TestFleetReceivesEverythingOnHealthyCluster(t *testing.T) {
	c, tl := newTestCluster(t, ClusterSpec{Servers: names(3)}, nil)
	testwait.Until(t, 10*time.Second, "full mesh", func() bool { return fullMesh(c) })
	f, err := NewFleet(c, tl, []GroupSpec{
		{Name: "subs", Count: 10, Subscribe: []Subscription{{Subject: "orders.>"}}},
		{Name: "workers", Count: 3, Subscribe: []Subscription{{Subject: "orders.>", Queue: "q"}}},
		{Name: "pubs", Count: 2, Publish: &Publish{Subject: "orders.{client}", Rate: 500, Size: 64}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "publishers reach 100", func() bool {
		for _, ev := range tl.Events() {
			if ev.Kind == PublishProgress && ev.Seq >= 100 {
				return true
			}
		}
		return false
	})
	f.StopPublishing()
	f.Quiesce(200*time.Millisecond, 5*time.Second)
	f.Close()

	last := lastSeqs(tl)
	if len(last) != 2 {
		t.Fatalf("want 2 publishers ended, got %v", last)
	}
	rs := receipts(tl)
	if len(rs) != 11 { // 10 plain subscribers + 1 queue group
		t.Fatalf("want 11 logical subscribers, got %d", len(rs))
	}
	for sub, evs := range rs {
		if len(evs) != 2 {
			t.Fatalf("%s: receipts from %d publishers, want 2", sub, len(evs))
		}
		for _, ev := range evs {
			want := []Range{{1, last[ev.Pub]}}
			if len(ev.Received) != 1 || ev.Received[0] != want[0] || ev.Duplicates != 0 {
				t.Fatalf("%s from pub %d: received %v dups %d, want %v", sub, ev.Pub, ev.Received, ev.Duplicates, want)
			}
		}
	}
}
