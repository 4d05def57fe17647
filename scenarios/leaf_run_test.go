package scenarios

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// A scenario with a leafnodes section runs: the leaves link to the hub,
// their clients connect to them, a hub restart and a leaf's kill and
// restart reach the right servers, and the timeline carries what the
// leaf properties judge.
func TestLeafNodesScenarioRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	sc, err := Load(filepath.Join("testdata", "leaf", "leaf-hub-restart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	o, events := runWithEvents(t, sc)
	rs := assert.Evaluate([]assert.Expectation{
		{Name: "leaf_herd", Params: assert.LeafHerdParams{Window: 100e6}},
		{Name: "leaf_reconnect", Params: assert.LeafReconnectParams{Max: 5e9}},
		{Name: "interest", Params: assert.InterestParams{Within: 2e9}},
	}, events)
	for _, r := range append(o.Results, rs...) {
		t.Logf("%s %s: %s", r.Name, r.Verdict, r.Evidence)
	}
	for _, r := range rs {
		if r.Verdict != assert.Pass && !(r.Name == "leaf_herd" && strings.Contains(r.Evidence, "accepted")) {
			t.Errorf("%s: %s %s", r.Name, r.Verdict, r.Evidence)
		}
	}
	if !strings.Contains(rs[0].Evidence, "leaf links again of 10 leaves") {
		t.Errorf("leaf_herd judged %q, want all 10 leaves again", rs[0].Evidence)
	}
}

// Leaf TLS and the leaf user's generated password reach hub and leaves:
// every leaf links.
func TestLeafNodesTLSAndUser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	sc, err := Load(filepath.Join("testdata", "leaf", "leaf-tls-user.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, events := runWithEvents(t, sc)
	linked := map[string]bool{}
	for _, ev := range events {
		if ev.Kind == sim.LeafUp && ev.Detail == sim.LeafSideLeaf {
			linked[ev.Server] = true
		}
	}
	if len(linked) != 3 {
		t.Fatalf("leaves linked: %v, want L1 L2 L3", linked)
	}
}

// runWithEvents runs the scenario into a folder of the test's and returns
// the outcome and its timeline; a run error fails the test.
func runWithEvents(t *testing.T, sc *Scenario) (*Outcome, []sim.Event) {
	t.Helper()
	out := filepath.Join(t.TempDir(), sc.Name)
	o := Execute(context.Background(), sc, Options{Out: out})
	if o.Err != nil {
		t.Fatalf("run error: %v", o.Err)
	}
	events, err := sim.ReadEventsFile(filepath.Join(out, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return o, events
}
