//go:build !mutation

package assert_test

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// realSupercluster starts east (E1 E2) and west (W1 W2), joined by
// gateways, behind a fault layer, and waits for every gateway.
func realSupercluster(t *testing.T) (*sim.Cluster, *faults.Layer, *sim.Timeline) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs real servers")
	}
	tl := sim.NewTimeline()
	l := faults.New(tl, faults.Options{})
	t.Cleanup(func() {
		l.Close()
		if err := l.Err(); err != nil {
			t.Errorf("layer: %v", err)
		}
	})
	sc, err := sim.NewCluster(sim.ClusterSpec{Name: "sc", Servers: []sim.ServerSpec{
		{Name: "E1", Cluster: "east"}, {Name: "E2", Cluster: "east"},
		{Name: "W1", Cluster: "west"}, {Name: "W2", Cluster: "west"},
	}}, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	if err := sc.StartAll(); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "gateway mesh", sc.GatewayMeshed)
	return sc, l, tl
}

// noCrossGateways says whether no server reports a gateway link at all
// (the two clusters are cut apart).
func noCrossGateways(sc *sim.Cluster) bool {
	for _, s := range sc.Running() {
		if links, err := sc.GatewayLinks(s); err != nil || len(links) > 0 {
			return false
		}
	}
	return true
}

// judgeGatewayMesh evaluates gateway_mesh on the timeline as it is now,
// after the run has stayed quiet for longer than the bound: the servers'
// own shutdown is not part of what is judged.
func judgeGatewayMesh(t *testing.T, tl *sim.Timeline, within time.Duration) assert.Result {
	t.Helper()
	mark := tl.Since()
	testwait.Until(t, within+10*time.Second, "observations past the bound", func() bool {
		evs := tl.Events()
		return evs[len(evs)-1].T > mark+within
	})
	rs := assert.Evaluate([]assert.Expectation{{Name: "gateway_mesh", Params: assert.GatewayMeshParams{Within: within}}}, tl.Events())
	t.Logf("gateway_mesh %s: %s", rs[0].Verdict, rs[0].Evidence)
	return rs[0]
}

// Must hold: a partition between the clusters that closes the gateways,
// a heal, a killed and restarted server; gateways re-form each time.
func TestGatewayMeshHoldsOnRealServers(t *testing.T) {
	sc, l, tl := realSupercluster(t)
	id, err := l.Partition([][]string{{"E1", "E2"}, {"W1", "W2"}}, faults.ModeClose, 0)
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "gateways cut", func() bool { return noCrossGateways(sc) })
	if err := l.Heal(id); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "gateway mesh after heal", sc.GatewayMeshed)
	if err := sc.Kill("W1"); err != nil {
		t.Fatal(err)
	}
	if err := sc.Restart("W1", ""); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "gateway mesh after restart", sc.GatewayMeshed)
	r := judgeGatewayMesh(t, tl, 5*time.Second)
	if r.Verdict != assert.Pass || !strings.Contains(r.Evidence, "server→cluster gateways") {
		t.Fatalf("gateway_mesh %s: %s\n%s", r.Verdict, r.Evidence, strings.Join(r.Details, "\n"))
	}
}

// Must fail: a partition that stalls the gateways without closing them.
// With default pings the servers keep reporting the links for minutes,
// so the graph never matches the cut.
func TestGatewayMeshFailsOnRealServersWhenAStallGoesUnnoticed(t *testing.T) {
	_, l, tl := realSupercluster(t)
	if _, err := l.Partition([][]string{{"E1", "E2"}, {"W1", "W2"}}, faults.ModeStall, 0); err != nil {
		t.Fatal(err)
	}
	r := judgeGatewayMesh(t, tl, 5*time.Second)
	if r.Verdict != assert.Fail || !strings.Contains(r.Evidence, "across the cut") {
		t.Fatalf("gateway_mesh %s: %s\n%s", r.Verdict, r.Evidence, strings.Join(r.Details, "\n"))
	}
}
