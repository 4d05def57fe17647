package scenarios_test

import (
	"context"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
)

// js-isolate-leader on the embedded release, 2 runs: every acknowledged
// publish is in the stream and delivered to both durables, and no message
// is held twice, in every run. Whether the old leader catches up within
// the scenario's 60 s is reported, not asserted: on v2.15.2 (embedded
// before v2.15.3) it sometimes never does (about one run in two here;
// none in 11 runs of nats-server processes). Its stream's raft group stays in catch-up,
// logging "Expected first catchup entry to be a snapshot and peerstate,
// will retry" every 2 s until shutdown, and the built-in then fails on
// its js_current wait, as it should: a replica that never catches up is
// a finding, not a flake of natschaos. Any other failure fails the test.
func TestJSIsolateLeaderKeepsAcknowledgedData(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	sc, err := scenarios.Load("js-isolate-leader")
	if err != nil {
		t.Fatal(err)
	}
	stuck := 0
	runs := scenarios.SoakRuns(2) // each may wait out its 60 s: the second under make soak
	for i := 0; i < runs; i++ {
		o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: t.TempDir()})
		if o.Err != nil {
			t.Fatalf("run %d: %v (replay: %s)", i+1, o.Err, o.Replay)
		}
		evaluated := map[string]bool{}
		for _, r := range o.Results {
			switch {
			case r.Verdict == assert.Pass:
				evaluated[r.Name] = true
			case r.Verdict == assert.Fail && r.Name == "js_no_loss" &&
				strings.Contains(r.Evidence, "wait for js_current timed out") && strings.Contains(r.Evidence, "not current"):
				stuck++
				t.Logf("run %d: the old leader did not catch up: %s", i+1, r.Evidence)
			default:
				t.Fatalf("run %d: %s %s: %s (replay: %s)", i+1, r.Verdict, r.Name, r.Evidence, o.Replay)
			}
		}
		for _, name := range []string{"js_no_loss", "js_no_duplicates"} {
			if !evaluated[name] {
				t.Fatalf("run %d: %s did not pass at the end of the run (replay: %s)", i+1, name, o.Replay)
			}
		}
	}
	t.Logf("%d of %d runs: the old leader never caught up", stuck, runs)
}
