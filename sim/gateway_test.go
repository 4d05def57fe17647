package sim

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

func newTestSupercluster(t *testing.T, net Network) (*Supercluster, *Timeline) {
	t.Helper()
	tl := NewTimeline()
	sc, err := NewSupercluster([]ClusterSpec{
		{Name: "east", Servers: []ServerSpec{{Name: "E1"}, {Name: "E2"}}},
		{Name: "west", Servers: []ServerSpec{{Name: "W1"}, {Name: "W2"}}},
	}, tl, net)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	if err := sc.StartAll(); err != nil {
		t.Fatal(err)
	}
	return sc, tl
}

func TestSuperclusterGatewaysFormAndAreRecorded(t *testing.T) {
	sc, tl := newTestSupercluster(t, nil)
	testwait.Until(t, 10*time.Second, "gateway mesh", sc.GatewayMeshed)
	sc.Cluster("east").ObserveNow()
	ups := map[string]Event{}
	for _, ev := range tl.Events() {
		if ev.Kind == GatewayUp && ev.Detail == "outbound" {
			ups[ev.Server] = ev
		}
		if ev.Kind == ServerStart && ev.Cluster == "" {
			t.Errorf("server_start of %s names no cluster", ev.Server)
		}
	}
	for _, s := range []string{"E1", "E2"} {
		ev, ok := ups[s]
		if !ok {
			t.Fatalf("no outbound gateway_up recorded for %s: %v", s, ups)
		}
		if ev.Cluster != "east" || ev.Remote != "west" || (ev.Peer != "W1" && ev.Peer != "W2") {
			t.Errorf("%s's gateway_up = cluster %q remote %q peer %q, want east, west, W1 or W2", s, ev.Cluster, ev.Remote, ev.Peer)
		}
	}
}

func TestSuperclusterGatewayDownRecordedOnKill(t *testing.T) {
	sc, tl := newTestSupercluster(t, nil)
	testwait.Until(t, 10*time.Second, "gateway mesh", sc.GatewayMeshed)
	sc.Cluster("west").ObserveNow()
	if err := sc.Cluster("west").Kill("W1"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "W1's links recorded down", func() bool {
		for _, ev := range tl.Events() {
			if ev.Kind == GatewayDown && ev.Server == "W1" && ev.Detail == "outbound" {
				return true
			}
		}
		return false
	})
	if err := sc.Cluster("west").Restart("W1", ""); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "gateway mesh after restart", sc.GatewayMeshed)
}
