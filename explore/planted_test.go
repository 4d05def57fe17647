package explore

import (
	"context"
	"testing"
	"time"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/sim"
)

// forgetSubscriptions plants the defect: every subscriber silently loses
// its subscriptions on its second reconnect, as an application that fails
// to resubscribe would. Only Go can set it; the file format cannot.
func forgetSubscriptions(groups []sim.GroupSpec) {
	for i := range groups {
		if len(groups[i].Subscribe) > 0 {
			groups[i].Defect.ForgetSubsAfterReconnects = 2
		}
	}
}

func TestPlantedDefectFoundShrunkAndReplayed(t *testing.T) {
	if testing.Short() {
		t.Skip("explores and shrinks for about a minute")
	}
	dir := t.TempDir()
	start := time.Now()
	res, err := Run(context.Background(), Options{
		Config:     Config{Servers: 3, Clients: 20, Steps: 5},
		Schedules:  30,
		Seed:       1,
		Out:        dir,
		NoFailFile: true,
		ShrinkTime: 2 * time.Minute,
		Run:        scenarios.Options{Groups: forgetSubscriptions},
		Progress:   testWriter{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Failure
	if f == nil {
		t.Fatalf("the planted defect was not found in %d schedules (%v)", res.Tried, res.Elapsed)
	}
	t.Logf("found after %d schedules, %d runs, %v; shrunk from %d to %d actions:\n%s", res.Tried, res.Runs, time.Since(start), f.Drawn, f.Actions, f.YAML)
	if f.Actions > 3 {
		t.Errorf("shrunk to %d actions, want at most 3", f.Actions)
	}
	if len(f.Failed) == 0 || f.Failed[0] != "no_loss" {
		t.Errorf("failed %v, want no_loss", f.Failed)
	}
	// The explorer replayed the shrunk schedule before writing it; on a
	// loaded machine the smallest may have failed once by chance (a
	// stale ping gives a second reconnect with one kill), and then a
	// larger one that fails again is written.
	if f.Reproduced == 0 {
		t.Errorf("the written schedule did not fail again when the explorer replayed it: %s", f.Confirmation())
	}

	// The written file, run the way `natschaos run` runs it, fails the same
	// way. The schedule replays exactly, but which server each client
	// picks next is nats.go's own unseeded shuffle: a subscriber may, by
	// chance, dodge its second reconnect. So up to replayTries runs, and
	// the first must-fail verdict settles it.
	sc, err := scenarios.Load(f.File)
	if err != nil {
		t.Fatal(err)
	}
	var out *scenarios.Outcome
	for try := 1; try <= replayTries; try++ {
		out = scenarios.Execute(context.Background(), sc, scenarios.Options{Groups: forgetSubscriptions})
		if out.Verdict == scenarios.VerdictFail {
			t.Logf("replay %d failed, as it should", try)
			break
		}
	}
	if out.Verdict != scenarios.VerdictFail || out.Failed()[0].Name != "no_loss" {
		t.Fatalf("replays of %s: verdict %s, failed %v, want no_loss to fail", f.File, out.Verdict, out.Failed())
	}
	// And without the defect the same file passes: the defect, not the
	// schedule, is what fails.
	if out := scenarios.Execute(context.Background(), sc, scenarios.Options{}); out.Verdict != scenarios.VerdictPass {
		t.Fatalf("%s without the defect: verdict %s: %s", f.File, out.Verdict, out.FailureText(""))
	}
}

// replayTries bounds the replays of a shrunk planted failure (see above).
const replayTries = 3

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}
