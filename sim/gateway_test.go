package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

func newTestSupercluster(t *testing.T, net Network) (*Cluster, *Timeline) {
	t.Helper()
	tl := NewTimeline()
	sc, err := NewCluster(ClusterSpec{Name: "sc", Topologies: map[string]Topology{"west": TopologySeed}, Servers: []ServerSpec{
		{Name: "E1", Cluster: "east"}, {Name: "E2", Cluster: "east"},
		{Name: "W1", Cluster: "west"}, {Name: "W2", Cluster: "west"},
	}}, tl, net)
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
	sc.ObserveNow()
	ups := map[string]Event{}
	for _, ev := range tl.Events() {
		if ev.Kind == GatewayUp && ev.Detail == "outbound" {
			ups[ev.Server] = ev
		}
		if ev.Kind == ServerStart && ev.Cluster == "" {
			t.Errorf("server_start of %s names no cluster", ev.Server)
		}
	}
	if got := sc.ClusterNames(); fmt.Sprint(got) != "[east west]" {
		t.Errorf("clusters %v, want [east west]", got)
	}
	// Routes stay inside each cluster.
	testwait.Until(t, 10*time.Second, "routes inside each cluster", func() bool {
		for _, o := range sc.Observe() {
			want := map[string]string{"E1": "[E2]", "E2": "[E1]", "W1": "[W2]", "W2": "[W1]"}[o.Server]
			if fmt.Sprint(o.Peers) != want {
				return false
			}
		}
		return true
	})
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
	sc.ObserveNow()
	if err := sc.Kill("W1"); err != nil {
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
	if err := sc.Restart("W1", ""); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "gateway mesh after restart", sc.GatewayMeshed)
}
