package scenarios_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenarios/library"
	"github.com/natschaos/natschaos/scenariotest"
)

// The contract's big example runs end to end on the embedded default. Its
// one server pinned to another release (v2.14.9) needs the binaries backend,
// so that line is dropped here; everything else runs as written.
func TestContractExampleRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real cluster")
	}
	data, err := os.ReadFile("testdata/contract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("      version: v2.14.9"), []byte("      # version: v2.14.9"), 1)
	sc, err := scenarios.Parse("contract.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: t.TempDir(), ClientsScale: 0.25})
	if o.Err != nil {
		t.Fatalf("the contract example did not run: %v\nreplay: %s", o.Err, o.Replay)
	}
	seen := map[string]bool{}
	for _, r := range o.Results {
		seen[r.Name] = true
		if r.Verdict == assert.NotEvaluated {
			t.Errorf("%s not evaluated: %s", r.Name, r.Evidence)
		}
		t.Logf("%s %s: %s", r.Verdict, r.Name, r.Evidence)
	}
	for _, name := range []string{"mesh", "discovery", "balance", "reconnect", "no_loss", "no_duplicates", "ordered", "herd"} {
		if !seen[name] {
			t.Errorf("no verdict for %s", name)
		}
	}
}

// Each built-in scenario passes on the current release, many runs in a row
// under make soak (once each under make test), each with its own seed.
func TestBuiltinsPassRepeatedly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	for _, b := range library.List() {
		if strings.HasPrefix(b.Name, "herd-") {
			continue // they state their verdicts: TestHerdBuiltinsReachTheirVerdict
		}
		if strings.HasPrefix(b.Name, "leaf-") {
			continue // they state their verdicts: TestLeafBuiltinsReachTheirVerdicts
		}
		if strings.HasPrefix(b.Name, "auth-") {
			continue // auth-warning fails by design: TestAuthWarningAndTwin runs both
		}
		if b.Name == "js-isolate-leader" {
			continue // the old leader may never catch up: TestJSIsolateLeaderKeepsAcknowledgedData
		}
		if b.Name == "gateway-partition" && scenarios.SoakRuns(2) == 1 {
			continue // make test's run is TestGatewayPartitionBuiltinReachesItsVerdict, checked in detail
		}
		runs := 10
		if b.Name == "upgrade" || b.Name == "downgrade" {
			// nats-server processes, ~2.7 s a run. TestUpgradeAcrossReleases
			// and TestDowngradeOnePatch run each once, checked in detail:
			// they are make test's run; make soak adds three here.
			if scenarios.SoakRuns(3) == 1 {
				continue
			}
			runs = 3
		}
		if strings.HasPrefix(b.Name, "js-") {
			// JetStream built-ins wait out raft elections (4-9 s after a
			// kill): 3 runs each, one at a time.
			runs = 3
		}
		runs = scenarios.SoakRuns(runs)
		t.Run(b.Name, func(t *testing.T) {
			for i := 0; i < runs; i++ {
				o := scenariotest.Run(t, b.Name)
				if t.Failed() {
					t.Fatalf("run %d of %d failed: %s", i+1, runs, o.Replay)
				}
			}
		})
	}
}
