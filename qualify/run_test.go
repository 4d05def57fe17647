package qualify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/internal/compare"
	"github.com/natschaos/natschaos/sim"
)

// doubleReconnectWait is the planted regression: the candidate's clients
// wait twice as long between reconnection attempts.
func doubleReconnectWait(groups []sim.GroupSpec) {
	for i := range groups {
		groups[i].Options.ReconnectWait *= 2
	}
}

func qualifyOnce(t *testing.T, candidate Side, runs int, seed int64) *Report {
	t.Helper()
	out := t.TempDir()
	rep, err := Run(context.Background(), Options{Baseline: Side{}, Candidate: candidate,
		Suite: []string{"testdata/reconnect-wait.yaml"}, Runs: runs, Seed: &seed, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("runs not judged: %v", rep.Errors)
	}
	return rep
}

func figure(t *testing.T, rep *Report, name string) FigureResult {
	t.Helper()
	for _, f := range rep.Scenarios[0].Figures {
		if f.Figure == name {
			return f
		}
	}
	t.Fatalf("no figure %s in %+v", name, rep.Scenarios[0].Figures)
	return FigureResult{}
}

func TestPlantedRegressionIsFound(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	rep := qualifyOnce(t, Side{Groups: doubleReconnectWait}, 5, 1)
	for _, name := range []string{"reconnect.p50", "reconnect.max", "all_back"} {
		f := figure(t, rep, name)
		if f.Outcome != compare.Regression {
			t.Errorf("%s: %s (baseline %v, candidate %v, p=%v), want a regression", name, f.Outcome, f.Baseline, f.Candidate, f.P)
		}
		if !(f.Lo > 0) {
			t.Errorf("%s: interval [%v, %v] should lie above 0", name, f.Lo, f.Hi)
		}
		// Significant after Holm's correction over the scenario's figures.
		if f.Family < 2 || !(f.PHolm < f.Alpha) || f.PHolm < f.P {
			t.Errorf("%s: p=%v, Holm %v over %d figures: want the correction applied and passed", name, f.P, f.PHolm, f.Family)
		}
		t.Logf("%s: p=%.4f, Holm %.4f over %d figures", name, f.P, f.PHolm, f.Family)
	}
	if s := rep.Scenarios[0]; s.Blind != "" {
		t.Errorf("blind at 5 runs: %s", s.Blind)
	}
	if f := figure(t, rep, "verdict.reconnect"); f.Outcome != compare.NoChange {
		t.Errorf("verdict.reconnect: %s, want no change (both sides pass)", f.Outcome)
	}
	if rep.Regressions == 0 || !strings.Contains(rep.Conclusion(), "reconnect-wait reconnect.p50") {
		t.Errorf("conclusion %q: want the regression named", rep.Conclusion())
	}
	// Every run has its own folder with what replays it.
	for _, r := range rep.Scenarios[0].Runs {
		for _, f := range []string{"events.jsonl", "report.json", "scenario.yaml"} {
			if _, err := os.Stat(filepath.Join(r.Out, f)); err != nil {
				t.Errorf("%s run %d: %v", r.Side, r.Run, err)
			}
		}
		if !strings.Contains(r.Replay, "scenario.yaml --seed") {
			t.Errorf("replay %q", r.Replay)
		}
	}
}

// The same release on both sides: no figure changes significantly.
func TestSameReleaseNoSignificantChange(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	rep := qualifyOnce(t, Side{}, 5, 1)
	for _, f := range rep.Scenarios[0].Figures {
		if f.Outcome != compare.NoChange {
			t.Errorf("%s: %s (baseline %v, candidate %v, p=%v)", f.Figure, f.Outcome, f.Baseline, f.Candidate, f.P)
		}
	}
	if len(rep.Scenarios[0].Figures) < 5 {
		t.Errorf("only %d figures compared", len(rep.Scenarios[0].Figures))
	}
}

// Interrupted after its first run, a qualification still writes its
// reports, says it was interrupted, and compares what ran.
func TestInterruptedQualificationWritesItsReports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := t.TempDir()
	seed := int64(1)
	rep, err := Run(ctx, Options{Suite: []string{"testdata/reconnect-wait.yaml", "testdata/reconnect-wait.yaml"}, Runs: 3, Seed: &seed, Out: out,
		Progress: func(Progress) { cancel() }})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted || len(rep.Scenarios) != 1 || len(rep.Scenarios[0].Runs) != 1 {
		t.Fatalf("interrupted: %v, %d scenario(s), want one with its one run", rep.Interrupted, len(rep.Scenarios))
	}
	for _, f := range []string{"qualify.md", "qualify.json", "qualify.html", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "qualify.md"))
	if !strings.Contains(string(md), "**Interrupted**") {
		t.Errorf("qualify.md does not say it was interrupted:\n%s", md)
	}
}
