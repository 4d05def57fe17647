//go:build !mutation

package assert_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
)

// gateway_mesh on real superclusters, from scenario files that expect it:
// one where it must FAIL for a real reason, one where it must HOLD.
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
			var r assert.Result
			for _, x := range o.Results {
				if x.Name == "gateway_mesh" {
					r = x
				}
			}
			if r.Verdict != c.want || !strings.Contains(r.Evidence, c.evidence) {
				t.Fatalf("gateway_mesh %s (%s), want %s with %q\ndetails: %s\nreplay: %s", r.Verdict, r.Evidence, c.want, c.evidence, strings.Join(r.Details, "\n  "), o.Replay)
			}
			t.Logf("gateway_mesh %s: %s", r.Verdict, r.Evidence)
		})
	}
}
