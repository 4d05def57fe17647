package scenarios

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// TB is the part of testing.TB a run needs, so tests and other harnesses
// (rapid's *rapid.T, for one) can both drive a scenario.
type TB interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Failed() bool
	TempDir() string
}

// Run runs a scenario file or a built-in scenario from a Go test and fails
// the test with the evidence and the replay command when an expectation
// fails. It returns the outcome for further assertions. Outputs
// (events.jsonl, report.json) go to a test temp dir, kept in the log.
func Run(t TB, fileOrName string, opts ...Options) *Outcome {
	t.Helper()
	sc, err := Load(fileOrName)
	if err != nil {
		t.Fatalf("natschaos: %v", err)
		return nil
	}
	return RunScenario(t, sc, opts...)
}

// RunScenario is Run for a scenario already loaded or built in code.
func RunScenario(t TB, sc *Scenario, opts ...Options) *Outcome {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Out == "" {
		o.Out = OutDir(t, sc.Name)
	}
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	out := Execute(ctx, sc, o)
	switch out.Verdict {
	case VerdictPass:
		for _, r := range out.Results {
			if r.Verdict != "pass" {
				t.Logf("%s %s: %s", r.Verdict, r.Name, r.Evidence)
			}
		}
	case VerdictFail:
		t.Errorf("natschaos: %s failed (seed %d):\n%s\nreplay: %s\noutput: %s", sc.Name, out.Seed, failures(out), out.Replay, out.Out)
	default:
		t.Errorf("natschaos: %s: %v (seed %d)\nreplay: %s\noutput: %s", sc.Name, out.Err, out.Seed, out.Replay, out.Out)
	}
	return out
}

func failures(o *Outcome) string {
	var b strings.Builder
	for _, r := range o.Failed() {
		fmt.Fprintf(&b, "  %s: %s\n", r.Name, r.Evidence)
		for _, d := range r.Details {
			fmt.Fprintf(&b, "    %s\n", d)
		}
	}
	return b.String()
}

// KeepEnv names the environment variable that keeps test outputs: when
// set to a folder, each run writes there (one sub-folder per scenario and
// run) instead of a temp dir the test removes.
const KeepEnv = "NATSCHAOS_KEEP"

var keepSeq atomic.Int64

// OutDir is where a test's run writes its outputs: a temp dir, or a new
// folder under $NATSCHAOS_KEEP.
func OutDir(t TB, name string) string {
	if root := os.Getenv(KeepEnv); root != "" {
		dir := filepath.Join(root, fmt.Sprintf("%s-%d-%d", name, os.Getpid(), keepSeq.Add(1)))
		if err := os.MkdirAll(dir, 0o755); err == nil {
			t.Logf("outputs kept in %s", dir)
			return dir
		}
	}
	return t.TempDir()
}
