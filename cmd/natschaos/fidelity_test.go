package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFidelityFlagsRejectBadValuesExit2(t *testing.T) {
	for _, args := range [][]string{
		{"run", "testdata/tiny.yaml", "--fidelity", "loud"},
		{"run", "testdata/tiny.yaml", "--fidelity-lag", "-1s"},
	} {
		if _, stderr, code := natschaos(t, args...); code != 2 || !strings.Contains(stderr, "--fidelity") {
			t.Errorf("%v: exit %d, want 2; stderr:\n%s", args, code, stderr)
		}
	}
}

// A bound of 1ns is passed by any real timer's lateness, so the kill's
// fault window always warns: the default prints the warning and keeps the
// verdict; strict makes the run an error, exit 3, in report.json too.
func TestFidelityStrictExits3(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a cluster twice")
	}
	warn := t.TempDir()
	out, stderr, code := natschaos(t, "run", "testdata/tiny.yaml", "--seed", "1", "--fidelity-lag", "1ns", "--out", warn)
	if code != 0 || !strings.Contains(out, "fidelity of mesh: runner lag") {
		t.Fatalf("warn: exit %d, want 0 with a warning:\n%s\n%s", code, out, stderr)
	}
	strict := t.TempDir()
	out, stderr, code = natschaos(t, "run", "testdata/tiny.yaml", "--seed", "1", "--fidelity", "strict", "--fidelity-lag", "1ns", "--out", strict)
	if code != 3 || !strings.Contains(out, "error: fidelity strict: the timings of mesh may be the harness's") {
		t.Fatalf("strict: exit %d, want 3:\n%s\n%s", code, out, stderr)
	}
	b, err := os.ReadFile(filepath.Join(strict, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct{ Verdict, Error string }
	if err := json.Unmarshal(b, &rep); err != nil || rep.Verdict != "error" || !strings.HasPrefix(rep.Error, "fidelity strict: ") {
		t.Errorf("report.json: %v, verdict %q, error %q", err, rep.Verdict, rep.Error)
	}
}
