package faults

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// startSupercluster starts clusters east (E1 E2), west (W1 W2) and north
// (N1) behind a fresh layer and waits for every gateway link.
func startSupercluster(t testing.TB) (*sim.Cluster, *Layer, *sim.Timeline) {
	t.Helper()
	l, tl := newLayer(t, false)
	spec := sim.ClusterSpec{Name: "sc", ObserveEvery: -1}
	for _, s := range []string{"E1", "E2", "W1", "W2", "N1"} {
		cluster := map[byte]string{'E': "east", 'W': "west", 'N': "north"}[s[0]]
		spec.Servers = append(spec.Servers, sim.ServerSpec{Name: s, Cluster: cluster})
	}
	sc, err := sim.NewCluster(spec, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	if err := sc.StartAll(); err != nil {
		t.Fatal(err)
	}
	if !testwait.Within(10*time.Second, sc.GatewayMeshed) {
		t.Fatalf("no gateway mesh: %v; layer %v; routes %v; dials %+v; err %v", gatewayGraph(sc), l.GatewayLinks(), l.RouteLinks(), l.RouteDialRecord(), l.Err())
	}
	// And every route inside each cluster: the tests check a fault left
	// them alone.
	testwait.NoError(t, 10*time.Second, "routes inside each cluster", func() error {
		obs := sc.Observe()
		for _, s := range sc.Running() {
			for _, o := range sc.Running() {
				if s != o && sc.ClusterOf(s) == sc.ClusterOf(o) && !routesTo(obs, s, o) {
					return fmt.Errorf("no route %s–%s inside %s", s, o, sc.ClusterOf(s))
				}
			}
		}
		return nil
	})
	return sc, l, tl
}

// gatewayGraph is which clusters each server has a gateway link with
// (either way), as the servers report it: "E1": [north west].
func gatewayGraph(sc *sim.Cluster) map[string][]string {
	out := map[string][]string{}
	for _, s := range sc.Running() {
		links, _ := sc.GatewayLinks(s)
		set := map[string]bool{}
		for _, k := range links {
			set[k.Remote] = true
		}
		out[s] = slices.Sorted(maps.Keys(set))
	}
	return out
}

// gatewaysThroughLayer is nil when every gateway connection each server
// reports is a link the layer carries: per server, the connections it
// counts (outbound and inbound) equal the layer's gateway links with it
// at either end. A link that went around the layer makes them differ.
func gatewaysThroughLayer(sc *sim.Cluster, l *Layer) error {
	layer := map[string]int{}
	for pair, n := range l.GatewayLinks() {
		layer[pair[0]] += n
		layer[pair[1]] += n
	}
	for _, s := range sc.Running() {
		links, err := sc.GatewayLinks(s)
		if err != nil {
			return err
		}
		if len(links) != layer[s] {
			return fmt.Errorf("%s reports %d gateway connections, the layer carries %d", s, len(links), layer[s])
		}
	}
	return nil
}

// A fault on gateway:east-west cuts exactly the gateway links between
// east and west: east–north, west–north and the routes inside each
// cluster stay, and every gateway connection passes through the layer.
func TestGatewayFaultCutsOnlyTheNamedClusters(t *testing.T) {
	sc, l, _ := startSupercluster(t)
	testwait.NoError(t, 3*time.Second, "gateways through the layer", func() error { return gatewaysThroughLayer(sc, l) })
	// Each pair's full pool: three pooled routes and the system account's.
	full := map[[2]string]int{{"E1", "E2"}: 4, {"W1", "W2"}: 4}
	testwait.Until(t, 5*time.Second, "full route pools", func() bool { return fmt.Sprint(l.RouteLinks()) == fmt.Sprint(full) })
	routesBefore := l.RouteLinks()
	id, err := l.Inject(Spec{Target: "gateway:east-west", Kind: "down"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"E1": {"north"}, "E2": {"north"}, "W1": {"north"}, "W2": {"north"},
		"N1": {"east", "west"},
	}
	testwait.Until(t, 5*time.Second, "east–west gateways cut", func() bool { return fmt.Sprint(gatewayGraph(sc)) == fmt.Sprint(want) })
	for pair := range l.GatewayLinks() {
		if c0, c1 := pair[0][:1], pair[1][:1]; (c0 == "E" && c1 == "W") || (c0 == "W" && c1 == "E") {
			t.Errorf("the layer still carries gateway links %v", pair)
		}
	}
	if got := l.RouteLinks(); fmt.Sprint(got) != fmt.Sprint(routesBefore) {
		t.Errorf("routes changed under a gateway fault: %v, were %v", got, routesBefore)
	}
	testwait.NoError(t, 3*time.Second, "gateways through the layer during the fault", func() error { return gatewaysThroughLayer(sc, l) })
	heal(t, l, id)
	testwait.Until(t, 10*time.Second, "gateway mesh after heal", sc.GatewayMeshed)
	testwait.NoError(t, 3*time.Second, "gateways through the layer after heal", func() error { return gatewaysThroughLayer(sc, l) })
	if n := l.Unidentified(); n != 0 {
		t.Fatalf("%d unidentified dials", n)
	}
}

// A partition by cluster cuts the gateways across it and leaves the
// routes inside each side; new gateway dials across it are refused (see
// gateway.go), and go through when it heals.
func TestPartitionCutsGatewaysBetweenClusters(t *testing.T) {
	sc, l, _ := startSupercluster(t)
	id, err := l.Partition([][]string{{"E1", "E2", "N1"}, {"W1", "W2"}}, ModeClose, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"E1": {"north"}, "E2": {"north"}, "W1": nil, "W2": nil,
		"N1": {"east"},
	}
	testwait.Until(t, 5*time.Second, "gateways across the partition cut", func() bool { return fmt.Sprint(gatewayGraph(sc)) == fmt.Sprint(want) })
	obs := sc.Observe()
	for _, s := range sc.Running() {
		for _, o := range sc.Running() {
			if s != o && sc.ClusterOf(s) == sc.ClusterOf(o) && !routesTo(obs, s, o) {
				t.Errorf("route %s–%s inside %s cut by the partition", s, o, sc.ClusterOf(s))
			}
		}
	}
	refused := l.RouteDialRecord().Refused
	testwait.Until(t, 5*time.Second, "a gateway redial refused", func() bool { return l.RouteDialRecord().Refused > refused })
	// The dialler registers its outbound gateway on the server's INFO,
	// which the layer passes before the CONNECT that names the dialler:
	// a refused redial shows for an instant. One let through would stay.
	testwait.NoError(t, 2*time.Second, "no gateway across the partition after a refused redial", func() error {
		if got := gatewayGraph(sc); fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("gateways during the partition %v, want %v", got, want)
		}
		return nil
	})
	heal(t, l, id)
	testwait.Until(t, 10*time.Second, "gateway mesh after heal", sc.GatewayMeshed)
	testwait.NoError(t, 3*time.Second, "gateways through the layer after heal", func() error { return gatewaysThroughLayer(sc, l) })
}

func routesTo(obs []sim.Observation, from, to string) bool {
	for _, o := range obs {
		if o.Server == from {
			i := sort.SearchStrings(o.Peers, to)
			return i < len(o.Peers) && o.Peers[i] == to
		}
	}
	return false
}

func TestGatewayTargetNamesTwoClusters(t *testing.T) {
	_, l, _ := startSupercluster(t)
	for _, bad := range []string{"gateway:east", "gateway:east-east", "gateway:east-south", "gateway:E1-W1"} {
		if _, err := l.Inject(Spec{Target: bad, Kind: "down"}); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
