package scenariotest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
)

// TestFailover is the README's go test example: `go test -run TestFailover
// -artifacts` keeps its outputs (TestArtifactsAndDeadlineUnderGoTest).
func TestFailover(t *testing.T) {
	o := scenariotest.Run(t, "testdata/failover.yaml")
	if o.Verdict != scenarios.VerdictPass {
		t.Fatalf("verdict %s", o.Verdict)
	}
}

// TestPastDeadline runs a scenario longer than go test's -timeout; it runs
// only when TestArtifactsAndDeadlineUnderGoTest starts it.
func TestPastDeadline(t *testing.T) {
	if os.Getenv("NATSCHAOS_PAST_DEADLINE") == "" {
		t.Skip("run by TestArtifactsAndDeadlineUnderGoTest")
	}
	scenariotest.Run(t, "testdata/past-deadline.yaml")
}

// The test binary as go test runs it: -artifacts keeps the outputs where
// go test says; a scenario longer than -timeout ends with a verdict that
// says so, before go test's panic.
func TestArtifactsAndDeadlineUnderGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs this package's test binary again, up to a 12 s deadline")
	}
	// This very binary, as go test built it: a second go test -c would
	// only link the same code again.
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("artifacts", func(t *testing.T) {
		outdir := t.TempDir()
		cmd := exec.CommandContext(t.Context(), bin, "-test.run", "^TestFailover$", "-test.v", "-test.artifacts", "-test.outputdir", outdir)
		cmd.Env = append(os.Environ(), scenariotest.KeepEnv+"=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		// go test names the folder after the package and the test; a
		// test binary run by hand does not know them.
		var reports []string
		filepath.WalkDir(filepath.Join(outdir, "_artifacts"), func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.Name() == "report.json" && strings.HasPrefix(filepath.Base(filepath.Dir(path)), "failover-") {
				reports = append(reports, path)
			}
			return nil
		})
		if len(reports) != 1 {
			t.Fatalf("want one report.json kept under %s/_artifacts, found %v\n%s", outdir, reports, out)
		}
		if !strings.Contains(string(out), "outputs kept in "+filepath.Dir(reports[0])) {
			t.Errorf("the test log does not say where the outputs are:\n%s", out)
		}
	})

	t.Run("deadline", func(t *testing.T) {
		keep := t.TempDir()
		cmd := exec.CommandContext(t.Context(), bin, "-test.run", "^TestPastDeadline$", "-test.timeout", "12s")
		cmd.Env = append(os.Environ(), "NATSCHAOS_PAST_DEADLINE=1", scenariotest.KeepEnv+"="+keep)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("a scenario past the deadline passed:\n%s", out)
		}
		if took := time.Since(start); took > 12*time.Second {
			t.Errorf("took %v, past the 12s deadline", took)
		}
		for _, bad := range []string{"panic: test timed out", "goroutine "} {
			if strings.Contains(string(out), bad) {
				t.Fatalf("go test's timeout panic, not a verdict:\n%s", out)
			}
		}
		if !strings.Contains(string(out), "stopped before the go test deadline") {
			t.Errorf("the failure does not say the deadline stopped it:\n%s", out)
		}
		reports, _ := filepath.Glob(filepath.Join(keep, "past-deadline-*", "report.json"))
		if len(reports) != 1 {
			t.Fatalf("want one partial report.json, found %v", reports)
		}
		b, err := os.ReadFile(reports[0])
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Verdict     string `json:"verdict"`
			Error       string `json:"error"`
			Interrupted bool   `json:"interrupted"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if r.Verdict != "error" || !r.Interrupted || !strings.Contains(r.Error, "go test deadline") {
			t.Errorf("partial report: %+v", r)
		}
	})
}

// NATSCHAOS_SEED pins the seed of a go test's runs; a failure prints the
// go test command that replays it; a folder removed with the test is not
// printed.
func TestSeedFromEnvAndReplay(t *testing.T) {
	t.Setenv(scenariotest.SeedEnv, "4242")
	t.Setenv(scenariotest.KeepEnv, "")
	ft := &fakeT{T: t, ctx: cancelled(t)}
	o := scenariotest.Run(ft, "testdata/past-deadline.yaml")
	if o.Seed != 4242 {
		t.Fatalf("seed %d, want 4242 from %s", o.Seed, scenariotest.SeedEnv)
	}
	msg := strings.Join(ft.errors, "\n")
	if !strings.Contains(msg, "NATSCHAOS_SEED=4242 go test -run '^TestSeedFromEnvAndReplay$'") {
		t.Errorf("no go test replay in:\n%s", msg)
	}
	if strings.Contains(msg, o.Out) || !strings.Contains(msg, "removed with the test") {
		t.Errorf("prints a folder the test removes:\n%s", msg)
	}

	t.Setenv(scenariotest.SeedEnv, "forty-two")
	ft = &fakeT{T: t}
	scenariotest.Run(ft, "testdata/past-deadline.yaml")
	if len(ft.fatals) != 1 || !strings.Contains(ft.fatals[0], "NATSCHAOS_SEED") {
		t.Errorf("a bad %s: %q", scenariotest.SeedEnv, ft.fatals)
	}
}

func cancelled(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}

// fakeT records a run's failures instead of failing the test; ctx, when
// set, replaces the test's context.
type fakeT struct {
	*testing.T
	ctx            context.Context
	errors, fatals []string
}

func (f *fakeT) Context() context.Context {
	if f.ctx != nil {
		return f.ctx
	}
	return f.T.Context()
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}
func (f *fakeT) Failed() bool { return len(f.errors)+len(f.fatals) > 0 }
