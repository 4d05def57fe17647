package assert

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

var gwWithin2s = GatewayMeshParams{Within: 2 * time.Second}

// startIn records servers starting in a cluster of a supercluster.
func (b *tl) startIn(cluster string, servers ...string) *tl {
	b.t.Helper()
	for _, s := range servers {
		b.add(sim.Event{Kind: sim.ServerStart, Server: s, Cluster: cluster})
	}
	return b
}

// gw records a gateway link server reports: dir "outbound" or "inbound".
func (b *tl) gw(kind sim.Kind, server, cluster, dir, remote, peer string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: kind, Server: server, Cluster: cluster, Remote: remote, Peer: peer, Detail: dir})
}

func (b *tl) gwOut(server, cluster, remote, peer string) *tl {
	b.t.Helper()
	return b.gw(sim.GatewayUp, server, cluster, "outbound", remote, peer)
}

func (b *tl) gwGone(server, cluster, remote, peer string) *tl {
	b.t.Helper()
	return b.gw(sim.GatewayDown, server, cluster, "outbound", remote, peer)
}

// superclusterUp starts east (E1 E2) and west (W1 W2), routed inside each
// cluster, each server with its outbound gateway.
func superclusterUp(t *testing.T) *tl {
	b := newTL(t)
	b.at(0).startIn("east", "E1", "E2").startIn("west", "W1", "W2")
	b.at(0.1).observe("E1", 0, "E2").observe("E2", 0, "E1").observe("W1", 0, "W2").observe("W2", 0, "W1")
	b.gwOut("E1", "east", "west", "W1").gwOut("E2", "east", "west", "W2").gwOut("W1", "west", "east", "E1").gwOut("W2", "west", "east", "E2")
	return b
}

func (b *tl) observeAll(at float64) *tl {
	b.at(at).observe("E1", 0, "E2").observe("E2", 0, "E1").observe("W1", 0, "W2").observe("W2", 0, "W1")
	return b
}

var gwServers = []string{"E1", "E2", "W1", "W2"}

func TestGatewayMeshHoldsAfterEveryChange(t *testing.T) {
	b := superclusterUp(t)
	b.at(3).kill("W1")
	b.at(3.05).observe("E1", 0, "E2").observe("E2", 0, "E1").observe("W2", 0)
	b.gwGone("E1", "east", "west", "W1")
	b.at(3.8).gwOut("E1", "east", "west", "W2").observe("E1", 0, "E2")
	b.at(4).startIn("west", "W1")
	b.at(4.5).observe("E1", 0, "E2").observe("E2", 0, "E1").observe("W1", 0, "W2").observe("W2", 0, "W1").gwOut("W1", "west", "east", "E2")
	b.at(5).faultStart("f1", "down", "gateway:east-west", true, gwServers...)
	b.observeAll(5.2)
	b.gwGone("E1", "east", "west", "W2").gwGone("E2", "east", "west", "W2").gwGone("W1", "west", "east", "E2").gwGone("W2", "west", "east", "E2")
	b.at(8).faultEnd("f1")
	b.observeAll(9.1)
	b.gwOut("E1", "east", "west", "W1").gwOut("E2", "east", "west", "W1").gwOut("W1", "west", "east", "E1").gwOut("W2", "west", "east", "E1")
	r := check(t, "gateway_mesh", gwWithin2s, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "after each of 8 changes", "slowest 1.1s, after end down f1 on gateway:east-west at 8s", "at the end over 4 server→cluster gateways")
}

func TestGatewayMeshFailsWhenAGatewayDoesNotComeBack(t *testing.T) {
	b := superclusterUp(t)
	b.at(1).faultStart("f1", "down", "gateway:east-west", true, gwServers...)
	b.observeAll(1.2)
	b.gwGone("E1", "east", "west", "W1").gwGone("E2", "east", "west", "W2").gwGone("W1", "west", "east", "E1").gwGone("W2", "west", "east", "E2")
	b.at(2).faultEnd("f1")
	for s := 2.1; s < 6; s += 0.5 {
		b.observeAll(s)
	}
	b.gwOut("E1", "east", "west", "W1").gwOut("W1", "west", "east", "E1").gwOut("W2", "west", "east", "E2")
	r := check(t, "gateway_mesh", gwWithin2s, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after end down f1 on gateway:east-west at 2s the gateway mesh did not hold within 2s", "E2 has gateways to [] but expected [west]")
}

func TestGatewayMeshFailsOnBypassAcrossTheCut(t *testing.T) {
	b := superclusterUp(t)
	b.at(1).partition("p1", []string{"E1", "E2"}, []string{"W1", "W2"})
	for s := 1.1; s < 4; s += 0.5 {
		b.observeAll(s) // the gateways survive the partition
	}
	r := check(t, "gateway_mesh", gwWithin2s, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after partition p1 [E1 E2] | [W1 W2] at 1s", "bypass: [west/W1] across the cut")
}

func TestGatewayMeshFailsWhenLinkIsToAnExitedServer(t *testing.T) {
	b := superclusterUp(t)
	b.at(1).kill("W1")
	for s := 1.1; s < 4; s += 0.5 {
		b.at(s).observe("E1", 0, "E2").observe("E2", 0, "E1").observe("W2", 0)
	}
	r := check(t, "gateway_mesh", gwWithin2s, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "E1 has gateways to [] but expected [west] ([west/W1] not running)")
}

func TestGatewayMeshIsVacuousForOneCluster(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B")
	b.at(1).kill("B")
	b.at(1.1).observe("A", 0)
	r := check(t, "gateway_mesh", gwWithin2s, b.events())
	wantVerdict(t, r, Fail)
	if !r.Vacuous() {
		t.Fatalf("not vacuous: %s", r.Evidence)
	}
}

// In a supercluster, mesh expects routes only inside each cluster.
func TestMeshInASuperclusterIsPerCluster(t *testing.T) {
	b := superclusterUp(t)
	b.at(1).kill("W2")
	b.at(1.2).observe("E1", 0, "E2").observe("E2", 0, "E1").observe("W1", 0)
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Pass)
}

// In a supercluster, clients learn only their own cluster's servers.
func TestDiscoveredInASuperclusterIsPerCluster(t *testing.T) {
	b := superclusterUp(t)
	b.at(1).connect("c-1", "E1", "E1", "E2")
	ok, why := Discovered(Fold(b.events()))
	wantOK(t, ok, why, true, "1 connected clients know every reachable server")
	b.at(2).connect("c-2", "W1", "W1")
	ok, why = Discovered(Fold(b.events()))
	wantOK(t, ok, why, false, "c-2 on W1 does not know [W2]")
}

// In a supercluster, balance compares each server with its own cluster.
func TestBalancedInASuperclusterIsPerCluster(t *testing.T) {
	b := superclusterUp(t)
	b.at(1).observe("E1", 10, "E2").observe("E2", 10, "E1").observe("W1", 2, "W2").observe("W2", 2, "W1")
	ok, why := Balanced(Fold(b.events()), 0.25)
	wantOK(t, ok, why, true, "skew 0.00")
	b.at(2).observe("W1", 3, "W2").observe("W2", 1, "W1")
	ok, why = Balanced(Fold(b.events()), 0.25)
	wantOK(t, ok, why, false, "skew 0.50")
}
