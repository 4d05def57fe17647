package scenarios_test

import (
	"context"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenarios/library"
	"github.com/natschaos/natschaos/scenariotest"
)

// herdBuiltins are the built-ins showing real NATS behaviours
// (docs/HERD.md): each states its expected verdict.
func herdBuiltins(t *testing.T) []*scenarios.Scenario {
	t.Helper()
	var out []*scenarios.Scenario
	for _, b := range library.List() {
		if !strings.HasPrefix(b.Name, "herd-") {
			continue
		}
		s, _, err := scenarios.Builtin(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if len(out) < 7 {
		t.Fatalf("want a built-in per behaviour, got %d", len(out))
	}
	return out
}

// Each behaviour scenario states the behaviour, its public source and the
// verdict it expects, in its description and in expected_verdict.
func TestHerdBuiltinsStateTheirVerdict(t *testing.T) {
	for _, s := range herdBuiltins(t) {
		want := strings.ToUpper(string(s.ExpectedVerdict))
		if s.ExpectedVerdict == "" || !strings.Contains(s.Description, "Expected verdict: "+want) {
			t.Errorf("%s: expected_verdict %q, description %q", s.Name, s.ExpectedVerdict, s.Description)
		}
		if !strings.Contains(s.Description, "#") && !strings.Contains(s.Description, "docs") && !strings.Contains(s.Description, "herd-") {
			t.Errorf("%s: the description names no public source", s.Name)
		}
		if s.Seed == nil {
			t.Errorf("%s: a behaviour scenario pins its seed", s.Name)
		}
	}
}

// The behaviours reproduce with the verdicts the scenarios state, three
// runs in a row under make soak, once under make test.
func TestHerdBuiltinsReachTheirVerdict(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters, 3 times each")
	}
	runs := scenarios.SoakRuns(3)
	for _, s := range herdBuiltins(t) {
		t.Run(s.Name, func(t *testing.T) {
			for i := 1; i <= runs; i++ {
				o := scenarios.Execute(context.Background(), s, scenarios.Options{Out: scenariotest.OutDir(t, s.Name)})
				if o.Err != nil {
					t.Fatalf("run %d: %v (replay: %s)", i, o.Err, o.Replay)
				}
				if !o.AsExpected(s) {
					t.Fatalf("run %d: verdict %s, the scenario expects %s:\n%s", i, o.Verdict, s.ExpectedVerdict, summary(o))
				}
				t.Logf("run %d: %s as expected: %s", i, o.Verdict, summary(o))
			}
		})
	}
}

func summary(o *scenarios.Outcome) string {
	var b strings.Builder
	for _, r := range o.Results {
		b.WriteString(r.Name + " " + string(r.Verdict) + ": " + r.Evidence + "; ")
	}
	return b.String()
}
