package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

var binary string

// TestMain builds the real binary once: these tests are about what a user
// at a terminal or a CI job sees, exit codes included.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "natschaos-cli-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "natschaos")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func natschaos(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestInvalidFileLocatedErrorsExit2(t *testing.T) {
	_, stderr, code := natschaos(t, "validate", "testdata/bad.yaml")
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"testdata/bad.yaml:8:", "testdata/bad.yaml:9:", "testdata/bad.yaml:11:", "did you mean", "testdata/bad.yaml:12:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Fatalf("panicked:\n%s", stderr)
	}
	// run refuses the same file the same way, before starting anything.
	if _, _, code := natschaos(t, "run", "testdata/bad.yaml"); code != 2 {
		t.Fatalf("run exit %d, want 2", code)
	}
}

func TestUnknownScenarioAndFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"run", "no-such-scenario"},
		{"run", "tiny", "--repeat", "0"},
		{"run", "--no-such-flag", "testdata/tiny.yaml"},
		{"validate", "missing/file.yaml"},
	} {
		if _, stderr, code := natschaos(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2; stderr:\n%s", args, code, stderr)
		}
	}
}

func TestListSchemaVersion(t *testing.T) {
	out, _, code := natschaos(t, "list")
	if code != 0 || !strings.Contains(out, "rolling-upgrade") || !strings.Contains(out, "seed-servers") {
		t.Fatalf("list: exit %d:\n%s", code, out)
	}
	out, _, code = natschaos(t, "schema")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil {
		t.Fatalf("schema: exit %d, not JSON:\n%.200s", code, out)
	}
	out, _, code = natschaos(t, "version")
	if code != 0 || !strings.Contains(out, "nats-server") || !strings.Contains(out, "nats.go") {
		t.Fatalf("version: exit %d:\n%s", code, out)
	}
}

type report struct {
	Scenario    string `json:"scenario"`
	Seed        int64  `json:"seed"`
	Verdict     string `json:"verdict"`
	Interrupted bool   `json:"interrupted"`
	Replay      string `json:"replay"`
	Properties  []struct {
		Name, Verdict, Evidence string
	} `json:"properties"`
	Steps []struct {
		Text string `json:"text"`
	} `json:"steps"`
}

func readReport(t *testing.T, dir string) report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "events.jsonl")); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunWritesOutputsAndReplayCommand(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := natschaos(t, "run", "testdata/tiny.yaml", "--seed", "7", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	r := readReport(t, dir)
	if r.Scenario != "tiny" || r.Seed != 7 || r.Verdict != "pass" || len(r.Properties) != 2 {
		t.Fatalf("report: %+v", r)
	}
	want := "natschaos run testdata/tiny.yaml --seed 7"
	if r.Replay != want || !strings.Contains(out, "replay: "+want) {
		t.Fatalf("replay %q; stdout:\n%s", r.Replay, out)
	}
}

func TestFailedWaitExit1NamesTheProperty(t *testing.T) {
	dir := t.TempDir()
	out, _, code := natschaos(t, "run", "testdata/stuck.yaml", "--out", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	r := readReport(t, dir)
	found := false
	for _, p := range r.Properties {
		if p.Name == "reconnect" && p.Verdict == "fail" && strings.Contains(p.Evidence, "wait for connected timed out") {
			found = true
		}
	}
	if !found || r.Verdict != "fail" {
		t.Fatalf("want a failed reconnect property from the wait: %+v", r)
	}
	if len(r.Steps) != 2 {
		t.Fatalf("the steps after the failed wait must not run: %+v", r.Steps)
	}
}

// Ctrl-C exits 130; SIGTERM, what Kubernetes and systemd send, 143. Both
// write the partial report.
func TestInterruptWritesPartialReportExit130Or143(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(binary, "run", "testdata/slow.yaml", "--out", dir)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Signal once the run is inside its sleep step.
			if !testwait.Within(20*time.Second, func() bool {
				b, _ := os.ReadFile(filepath.Join(dir, "events.jsonl"))
				return bytes.Contains(b, []byte(`"kind":"step_start"`))
			}) {
				cmd.Process.Kill()
				t.Fatal("run never reached its first step")
			}
			start := time.Now()
			cmd.Process.Signal(c.sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code {
				t.Fatalf("want exit %d, got %v", c.code, err)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Fatalf("took %v to stop after %v", took, c.sig)
			}
			r := readReport(t, dir)
			if !r.Interrupted || r.Verdict != "error" {
				t.Fatalf("partial report: %+v", r)
			}
		})
	}
}

func TestCompletesBuiltinNames(t *testing.T) {
	for _, args := range [][]string{{"run", "herd-single"}, {"validate", "herd-single"}, {"lab", "herd-single"}} {
		stdout, stderr, code := natschaos(t, append([]string{"__complete"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		for _, want := range []string{"herd-single-kill\t", "herd-single-kill-jittered\t"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v: completion lacks %q:\n%s", args, want, stdout)
			}
		}
		if strings.Contains(stdout, "rolling-upgrade") {
			t.Errorf("%v: completion offers a name that does not match:\n%s", args, stdout)
		}
	}
	// lab takes one scenario: nothing more after it.
	stdout, _, _ := natschaos(t, "__complete", "lab", "herd-single-kill", "")
	if strings.Contains(stdout, "herd-") {
		t.Errorf("lab completes a second scenario:\n%s", stdout)
	}
}

// A file may name the schema for editors in a modeline, its first line.
func TestModelineIsAccepted(t *testing.T) {
	if _, stderr, code := natschaos(t, "validate", "testdata/modeline.yaml"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat("../../scenarios/scenario.schema.json"); err != nil {
		t.Fatalf("the modeline's schema: %v", err)
	}
}

func TestVersionFlag(t *testing.T) {
	flag, _, code := natschaos(t, "--version")
	cmd, _, _ := natschaos(t, "version")
	if code != 0 || !strings.HasPrefix(flag, "natschaos ") || !strings.Contains(flag, "nats-server (embedded) v") || flag != cmd {
		t.Fatalf("--version (exit %d):\n%s\nversion:\n%s", code, flag, cmd)
	}
}

// --seed replays the same schedule: the same steps, in the same order,
// with the same seed, and the same verdict.
func TestSeedReplaysTheSchedule(t *testing.T) {
	for _, name := range []string{"rolling-upgrade", "seed-servers"} {
		var reps []report
		for i := 0; i < 2; i++ {
			dir := t.TempDir()
			out, _, code := natschaos(t, "run", name, "--seed", "1234", "--out", dir)
			if code != 0 {
				t.Fatalf("%s: exit %d:\n%s", name, code, out)
			}
			reps = append(reps, readReport(t, dir))
		}
		a, b := reps[0], reps[1]
		if a.Seed != 1234 || b.Seed != 1234 || a.Verdict != b.Verdict || len(a.Steps) != len(b.Steps) {
			t.Fatalf("%s: runs differ: %+v vs %+v", name, a, b)
		}
		for i := range a.Steps {
			if a.Steps[i].Text != b.Steps[i].Text {
				t.Fatalf("%s: step %d differs: %q vs %q", name, i, a.Steps[i].Text, b.Steps[i].Text)
			}
		}
	}
}

// Without --out, a run writes to out/<scenario>-<seed> in the current
// folder, so the printed replay command and the folder name agree.
func TestDefaultOutputFolder(t *testing.T) {
	file, err := filepath.Abs("testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cwd := t.TempDir()
	cmd := exec.Command(binary, "run", file, "--seed", "99")
	cmd.Dir = cwd
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	r := readReport(t, filepath.Join(cwd, "out", "tiny-99"))
	if r.Seed != 99 || r.Verdict != "pass" {
		t.Fatalf("report: %+v", r)
	}
}

// A scenario that outlasts its own timeout is an infrastructure error:
// exit 3, with the partial report written and the reason in it.
func TestScenarioTimeoutExit3(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	out, _, code := natschaos(t, "run", "testdata/overtime.yaml", "--out", dir)
	if code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, out)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Fatalf("took %v: the 1s timeout did not stop the 20s sleep", took)
	}
	r := readReport(t, dir)
	if r.Verdict != "error" || !strings.Contains(out, "timeout") {
		t.Fatalf("report %+v; stdout:\n%s", r, out)
	}
}

// A scenario that shows a known defect states the verdict it is meant to
// reach; the summary says whether it did, and the exit code stays 1.
func TestExpectedVerdictInTheSummary(t *testing.T) {
	out, _, code := natschaos(t, "run", "herd-single-kill", "--out", t.TempDir())
	if code != 1 || !strings.Contains(out, "as expected: this scenario shows a known behaviour and is meant to fail") {
		t.Fatalf("exit %d, want 1 and the expected-verdict line:\n%s", code, out)
	}
	out, _, code = natschaos(t, "run", "testdata/tiny.yaml", "--out", t.TempDir())
	if code != 0 || strings.Contains(out, "expected:") {
		t.Fatalf("a scenario that states no expected verdict: exit %d\n%s", code, out)
	}
}
