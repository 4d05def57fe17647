package sim

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

func kindCount(tl *Timeline, k Kind) int {
	n := 0
	for _, ev := range tl.Events() {
		if ev.Kind == k {
			n++
		}
	}
	return n
}

func TestFleetJoinLeaveBurst(t *testing.T) {
	c, tl := newTestCluster(t, ClusterSpec{Servers: names(2)}, nil)
	testwait.Until(t, 10*time.Second, "full mesh", func() bool { return fullMesh(c) })
	f, err := NewFleet(c, tl, []GroupSpec{
		{Name: "subs", Count: 3, Subscribe: []Subscription{{Subject: "orders.>"}}},
		{Name: "pubs", Count: 1, Publish: &Publish{Subject: "orders.{client}", Rate: 50, Size: 64}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	if err := f.Start(ctx); err != nil {
		t.Fatal(err)
	}

	// Joining clients continue the group's numbering and subscribe.
	if err := f.Join(ctx, "subs", 2); err != nil {
		t.Fatal(err)
	}
	if err := f.Join(ctx, "pubs", 1); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "5 subscribers ready", func() bool { return kindCount(tl, SubReady) == 5 })
	ids := f.ClientIDs()
	for _, want := range []string{"subs-3", "subs-4", "pubs-1"} {
		if !contains(ids, want) {
			t.Fatalf("no %s among %v", want, ids)
		}
	}

	// A burst: pubs-0 publishes 5,000 at once, far beyond its 50/s.
	if n, err := f.Burst("pubs", 5000); err != nil || n != 2 {
		t.Fatalf("burst reached %d publishers, err %v; want 2", n, err)
	}
	testwait.Until(t, 5*time.Second, "the burst published", func() bool {
		for _, ev := range tl.Events() {
			if ev.Kind == PublishProgress && ev.Client == "pubs-0" && ev.Seq >= 5000 {
				return true
			}
		}
		return false
	})
	if _, err := f.Burst("subs", 10); err == nil {
		t.Error("a burst from a group that does not publish was accepted")
	}

	// Leaving: the highest numbers first; the publisher records its end.
	if n, err := f.Leave("subs", 2); err != nil || n != 2 {
		t.Fatalf("leave: %d, %v", n, err)
	}
	if n, err := f.Leave("pubs", 5); err != nil || n != 2 {
		t.Fatalf("leave of more than remain: %d, %v; want the 2 there", n, err)
	}
	var left []string
	for _, ev := range tl.Events() {
		if ev.Kind == ClientLeave {
			left = append(left, ev.Client)
		}
	}
	if want := []string{"subs-4", "subs-3", "pubs-1", "pubs-0"}; !slices.Equal(left, want) {
		t.Fatalf("left %v, want %v", left, want)
	}
	if got := kindCount(tl, PublishEnd); got != 2 {
		t.Fatalf("%d publish_end after both publishers left, want 2", got)
	}
	if got := f.ConnectedTo(); got["A"]+got["B"] != 3 {
		t.Fatalf("connected after leaving: %v, want 3 clients", got)
	}
	if err := f.Join(ctx, "nobody", 1); err == nil {
		t.Error("join of an unknown group accepted")
	}
	f.Quiesce(200*time.Millisecond, 5*time.Second)
	f.Close()

	// Each subscriber that stayed got every message, burst included.
	last := lastSeqs(tl)
	for _, sub := range []string{"subs-0/0", "subs-1/0", "subs-2/0"} {
		for _, ev := range receipts(tl)[sub] {
			if len(ev.Received) != 1 || ev.Received[0] != (Range{1, last[ev.Pub]}) {
				t.Errorf("%s from pub %d: %v, want 1–%d", sub, ev.Pub, ev.Received, last[ev.Pub])
			}
		}
	}
}
