package qualify

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/internal/compare"
)

// Client qualification: both sides' fleets run in worker processes built
// against a nats.go release (here the one in go.mod, which needs no
// download), once per release; the runs are judged like any other.
func TestClientSidesRunInWorkersBuiltAgainstTheRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds natschaos and runs real clusters")
	}
	v := EmbeddedClientVersion()
	if v == "" {
		t.Skip("this test binary does not know its nats.go release")
	}
	bins := &ClientBinaries{}
	bin, err := bins.Path(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := bins.Path(context.Background(), v); err != nil || again != bin {
		t.Fatalf("second lookup %q, %v: want the cached %q", again, err, bin)
	}
	if !strings.Contains(bin, "natschaos-worker/"+v+"-") {
		t.Errorf("binary %s not cached by release", bin)
	}
	seed := int64(1)
	rep, err := Run(context.Background(), Options{Baseline: Side{Client: v}, Candidate: Side{Client: v}, Clients: bins,
		Suite: []string{"testdata/reconnect-wait.yaml"}, Runs: 3, Seed: &seed, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("runs not judged: %v", rep.Errors)
	}
	if !strings.Contains(rep.Candidate, "nats.go "+v) {
		t.Errorf("candidate label %q lacks the client release", rep.Candidate)
	}
	for _, r := range rep.Scenarios[0].Runs {
		events, err := os.ReadFile(r.Out + "/events.jsonl")
		if err != nil || !strings.Contains(string(events), `"worker_join"`) {
			t.Errorf("%s run %d: no worker in its timeline (%v)", r.Side, r.Run, err)
		}
		if r.Verdict != "pass" {
			t.Errorf("%s run %d: %s", r.Side, r.Run, r.Verdict)
		}
	}
	for _, f := range rep.Scenarios[0].Figures {
		if f.Outcome == compare.Regression {
			t.Errorf("same nats.go release: %s regressed (%v → %v)", f.Figure, f.Baseline, f.Candidate)
		}
	}
	if _, err := bins.Path(context.Background(), "1.55"); err == nil {
		t.Error("a malformed release was accepted")
	}
}
