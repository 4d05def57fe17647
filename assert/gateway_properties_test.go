//go:build !mutation

package assert_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
)

// gateway_mesh on real superclusters, from scenario files: one where it
// must FAIL for a real reason, one where it must HOLD. The property is
// judged on each run's events.jsonl, so the files need no expect: key
// for it.
func TestGatewayMeshScenariosOnRealServers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	for _, c := range []struct {
		file     string
		want     assert.Verdict
		evidence string
	}{
		{"gateway-mesh-stall.yaml", assert.Fail, "across the cut"},
		{"gateway-mesh-close.yaml", assert.Pass, "server→cluster gateways"},
	} {
		t.Run(strings.TrimSuffix(c.file, ".yaml"), func(t *testing.T) {
			sc, err := scenarios.Load(filepath.Join("testdata", "properties", c.file))
			if err != nil {
				t.Fatal(err)
			}
			o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: scenariotest.OutDir(t, sc.Name)})
			if o.Err != nil {
				t.Fatalf("run error: %v", o.Err)
			}
			evs, err := sim.ReadEventsFile(filepath.Join(o.Out, "events.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			r := assert.Evaluate([]assert.Expectation{{Name: "gateway_mesh", Params: assert.GatewayMeshParams{Within: 5 * time.Second}}}, evs)[0]
			if r.Verdict != c.want || !strings.Contains(r.Evidence, c.evidence) {
				t.Fatalf("gateway_mesh %s (%s), want %s with %q\ndetails: %s\nreplay: %s", r.Verdict, r.Evidence, c.want, c.evidence, strings.Join(r.Details, "\n  "), o.Replay)
			}
			t.Logf("gateway_mesh %s: %s", r.Verdict, r.Evidence)
		})
	}
}
