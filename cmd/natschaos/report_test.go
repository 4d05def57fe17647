package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

func readJUnit(t *testing.T, path string) junit.Testsuites {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s junit.Testsuites
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

func TestReportRerendersFromTheTimeline(t *testing.T) {
	dir := t.TempDir()
	events, err := os.ReadFile("../../reports/testdata/small/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "events.jsonl"), events, 0o644); err != nil {
		t.Fatal(err)
	}
	all := filepath.Join(t.TempDir(), "all.xml")
	stdout, stderr, code := natschaos(t, "report", dir, "--junit", all)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"small  seed 7", "PASS  no_loss", "replay: natschaos run small --seed 7"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"report.json", "junit.xml", "summary.md", "report.html"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if s := readJUnit(t, all); len(s.Suites) != 1 || s.Suites[0].Name != "small (seed 7)" {
		t.Errorf("--junit: %+v", s)
	}
}

func TestReportWithoutTimelineExit2(t *testing.T) {
	if _, stderr, code := natschaos(t, "report", t.TempDir()); code != 2 || !strings.Contains(stderr, "events.jsonl") {
		t.Fatalf("exit %d, want 2 naming events.jsonl; stderr:\n%s", code, stderr)
	}
}

// One JUnit file covers every run of the invocation, each run a suite.
func TestRunJUnitCoversEveryRun(t *testing.T) {
	file := filepath.Join(t.TempDir(), "results.xml")
	_, stderr, code := natschaos(t, "run", "testdata/tiny.yaml", "--repeat", "2", "--out", t.TempDir(), "--junit", file)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	s := readJUnit(t, file)
	if len(s.Suites) != 2 {
		t.Fatalf("%d suites, want one per run", len(s.Suites))
	}
	for _, suite := range s.Suites {
		if !strings.HasPrefix(suite.Name, "tiny (seed ") || suite.Tests != 2 || suite.Failures != 0 {
			t.Errorf("suite %q: %d tests, %d failures; want tiny's 2 expectations passing", suite.Name, suite.Tests, suite.Failures)
		}
		for _, p := range *suite.Properties {
			if p.Name == "replay" && !strings.HasPrefix(p.Value, "natschaos run testdata/tiny.yaml --seed ") {
				t.Errorf("replay %q", p.Value)
			}
		}
	}
}
