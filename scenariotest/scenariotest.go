package scenariotest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/natschaos/natschaos/scenarios"
)

// TB is the part of testing.TB a run needs, so tests and other harnesses
// (rapid's *rapid.T, for one) can both drive a scenario. Run also uses
// what a *testing.T has beyond it, when the value has it: Context,
// Deadline, ArtifactDir and Name.
type TB interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Failed() bool
	TempDir() string
}

// The parts of *testing.T a run uses when it finds them.
type (
	contextTB  interface{ Context() context.Context }
	deadlineTB interface{ Deadline() (time.Time, bool) }
	artifactTB interface{ ArtifactDir() string }
	namedTB    interface{ Name() string }
)

// SeedEnv names the environment variable that pins the seed of every run
// of a go test, as -rapid.seed does for rapid: NATSCHAOS_SEED=42 go test
// -run TestFailover replays a failure's run. scenarios.Options.Seed wins
// over it.
const SeedEnv = "NATSCHAOS_SEED"

// deadlineMargin is how long before the test binary's deadline (go test
// -timeout) a run stops, so that it can heal its faults, stop its servers
// and write the partial report before go test panics with every
// goroutine's stack.
func deadlineMargin(left time.Duration) time.Duration {
	return min(15*time.Second, left/4)
}

// errTestDeadline is the cause of a run stopped for the test's deadline.
var errTestDeadline = errors.New("stopped before the go test deadline (-timeout)")

// Run runs a scenario file or a built-in scenario from a Go test and fails
// the test with the evidence and the replay command when an expectation
// fails. It returns the outcome for further assertions.
//
// The run stops with the test (t.Context) and ends, with a verdict that
// says so, shortly before the test binary's deadline. Outputs
// (events.jsonl, report.json, ...) go to t.ArtifactDir(), kept by go test
// -artifacts, or under $NATSCHAOS_KEEP; otherwise to a folder removed with
// the test. $NATSCHAOS_SEED pins the seed.
func Run(t TB, fileOrName string, opts ...scenarios.Options) *scenarios.Outcome {
	t.Helper()
	sc, err := scenarios.Load(fileOrName)
	if err != nil {
		t.Fatalf("natschaos: %v", err)
		return nil
	}
	return RunScenario(t, sc, opts...)
}

// RunScenario is Run for a scenario already loaded or built in code.
func RunScenario(t TB, sc *scenarios.Scenario, opts ...scenarios.Options) *scenarios.Outcome {
	t.Helper()
	var o scenarios.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Seed == nil {
		seed, ok, err := seedFromEnv()
		if err != nil {
			t.Fatalf("natschaos: %v", err)
			return nil
		}
		if ok {
			o.Seed = &seed
		}
	}
	kept := true
	if o.Out == "" {
		o.Out, kept = outDir(t, sc.Name)
	}
	ctx := context.Background()
	if c, ok := t.(contextTB); ok {
		ctx = c.Context()
	}
	if d, ok := t.(deadlineTB); ok {
		if deadline, ok := d.Deadline(); ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadlineCause(ctx, deadline.Add(-deadlineMargin(time.Until(deadline))), errTestDeadline)
			defer cancel()
		}
	}
	out := scenarios.Execute(ctx, sc, o)
	where := "outputs: " + out.Out
	if !kept {
		where = "outputs: removed with the test (keep them with go test -artifacts, or " + KeepEnv + "=DIR)"
	}
	replay := out.Replay + "\nor: " + goTestReplay(t, out.Seed)
	switch out.Verdict {
	case scenarios.VerdictPass:
		for _, r := range out.Results {
			if r.Verdict != "pass" {
				t.Logf("%s %s: %s", r.Verdict, r.Name, r.Evidence)
			}
		}
	case scenarios.VerdictFail:
		t.Errorf("natschaos: %s failed (seed %d):\n%s\nreplay: %s\n%s", sc.Name, out.Seed, out.FailureText("  "), replay, where)
	default:
		t.Errorf("natschaos: %s: %v (seed %d)\nreplay: %s\n%s", sc.Name, out.Err, out.Seed, replay, where)
	}
	return out
}

func seedFromEnv() (int64, bool, error) {
	v := os.Getenv(SeedEnv)
	if v == "" {
		return 0, false, nil
	}
	seed, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s=%q: not a whole number", SeedEnv, v)
	}
	return seed, true, nil
}

// goTestReplay is the go test command line that replays a run.
func goTestReplay(t TB, seed int64) string {
	cmd := fmt.Sprintf("%s=%d go test", SeedEnv, seed)
	if n, ok := t.(namedTB); ok {
		cmd += fmt.Sprintf(" -run '^%s$'", strings.ReplaceAll(n.Name(), "/", "$/^"))
	}
	return cmd
}

// KeepEnv names the environment variable that keeps test outputs: when
// set to a folder, each run writes there (one sub-folder per scenario and
// run) instead of a temp dir the test removes.
const KeepEnv = "NATSCHAOS_KEEP"

var keepSeq atomic.Int64

// OutDir is where a test's run writes its outputs: a new folder under
// $NATSCHAOS_KEEP, else under t.ArtifactDir(), else a temp dir.
func OutDir(t TB, name string) string {
	t.Helper()
	dir, _ := outDir(t, name)
	return dir
}

// outDir is OutDir, and whether the folder outlives the test.
func outDir(t TB, name string) (string, bool) {
	t.Helper()
	sub := fmt.Sprintf("%s-%d-%d", name, os.Getpid(), keepSeq.Add(1))
	if root := os.Getenv(KeepEnv); root != "" {
		dir := filepath.Join(root, sub)
		if err := os.MkdirAll(dir, 0o755); err == nil {
			t.Logf("outputs kept in %s", dir)
			return dir, true
		}
	}
	if a, ok := t.(artifactTB); ok {
		dir := filepath.Join(a.ArtifactDir(), sub)
		if err := os.MkdirAll(dir, 0o755); err == nil {
			if artifactsKept() {
				t.Logf("outputs kept in %s", dir)
				return dir, true
			}
			return dir, false
		}
	}
	return t.TempDir(), false
}

// artifactsKept says whether go test -artifacts keeps t.ArtifactDir().
func artifactsKept() bool {
	f := flag.Lookup("test.artifacts")
	return f != nil && f.Value.String() == "true"
}
