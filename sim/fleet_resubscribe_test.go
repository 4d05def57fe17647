package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// After a kill, every subscriber that reconnected has its resubscription
// confirmed on the server it reached, after its reconnect; a client with
// no subscription is not.
func TestFleetConfirmsResubscribeAfterReconnect(t *testing.T) {
	c, tl := newTestCluster(t, ClusterSpec{Servers: names(2)}, nil)
	testwait.Until(t, 10*time.Second, "full mesh", func() bool { return fullMesh(c) })
	opts := ClientOptions{ReconnectWait: 50 * time.Millisecond, NoRandomize: true} // all start on A
	f, err := NewFleet(c, tl, []GroupSpec{
		{Name: "subs", Count: 4, Servers: []string{"A", "B"}, Options: opts, Subscribe: []Subscription{{Subject: "orders.>"}}},
		{Name: "pubs", Count: 1, Servers: []string{"A", "B"}, Options: opts, Publish: &Publish{Subject: "orders.{client}", Rate: 50, Size: 64}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Kill("A"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 20*time.Second, "4 subscribers confirmed, pubs-0 reconnected", func() bool {
		subs, pub := 0, false
		for _, ev := range tl.Events() {
			if ev.Kind == ClientResubscribed && strings.HasPrefix(ev.Client, "subs-") {
				subs++
			}
			pub = pub || (ev.Kind == ClientReconnect && ev.Client == "pubs-0")
		}
		return subs == 4 && pub
	})
	f.Close()

	reconnected := map[string]Event{}
	for _, ev := range tl.Events() {
		switch ev.Kind {
		case ClientReconnect:
			reconnected[ev.Client] = ev
		case ClientResubscribed:
			r, ok := reconnected[ev.Client]
			if !ok || r.Server != ev.Server || ev.Server != "B" {
				t.Errorf("%s confirmed on %q after reconnect %+v", ev.Client, ev.Server, r)
			}
			if ev.Client == "pubs-0" {
				t.Errorf("a client without subscriptions confirmed: %+v", ev)
			}
		}
	}
}

// A confirming flush the server never answers records nothing, and the
// fleet's Close cancels it rather than waiting out its bound.
func TestFleetCloseCancelsAnUnansweredResubscribeFlush(t *testing.T) {
	srv := newMutePongServer(t, 2) // the connect handshake and the fleet's first flush
	tl := NewTimeline()
	dir := DirectorySnapshot{Order: []string{"X"}, URLs: map[string]string{"X": "nats://" + srv.addr}, Removed: map[string]bool{}}
	f, err := newFleet(dir, tl, []GroupSpec{{Name: "subs", Count: 1, Subscribe: []Subscription{{Subject: "orders.>"}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "subscriber ready", func() bool { return kindCount(tl, SubReady) == 1 })
	cl := f.clients[0]
	cl.confirmResubscribed(cl.nc, "X")
	testwait.Until(t, 5*time.Second, "the unanswered PING", func() bool { return srv.pings.Load() == 3 })

	closed := make(chan struct{})
	go func() { f.Close(); close(closed) }()
	if !testwait.Within(ResubscribeConfirmWithin/2, func() bool {
		select {
		case <-closed:
			return true
		default:
			return false
		}
	}) {
		t.Fatal("Close waited for the flush's bound")
	}
	if n := kindCount(tl, ClientResubscribed); n != 0 {
		t.Errorf("%d client_resubscribed for a flush never answered", n)
	}
}
