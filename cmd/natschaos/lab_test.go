package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLabInvalidInputExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"lab", "testdata/tiny.yaml", "--vary", "stratgy=none"}, `did you mean "strategy"?`},
		{[]string{"lab", "testdata/tiny.yaml", "--vary", "fault=kil"}, `did you mean "kill"?`},
		{[]string{"lab", "testdata/tiny.yaml", "--vary", "option.reconect_wait=1s"}, `did you mean "option.reconnect_wait"?`},
		{[]string{"lab", "testdata/tiny.yaml", "--vary", "clients=5", "--vary", "clients=7"}, "given twice"},
		{[]string{"lab", "testdata/tiny.yaml", "--vary", "clients=9"}, "pick a multiple"},
		{[]string{"lab", "testdata/bad.yaml"}, "testdata/bad.yaml:8:"},
		{[]string{"lab", "testdata/tiny.yaml", "--runs", "0"}, "--runs"},
	} {
		_, stderr, code := natschaos(t, append(c.args, "--out", t.TempDir())...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 2 with %q; stderr:\n%s", c.args, code, c.want, stderr)
		}
	}
}

// A small lab end to end: two variants of lab.yaml, the table on stdout, and
// lab.json with figures read back from each run's timeline.
func TestLabComparesVariants(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	out := t.TempDir()
	stdout, stderr, code := natschaos(t, "lab", "testdata/lab.yaml", "--vary", "strategy=none,jittered_failover", "--seed", "3", "--out", out, "--check-expected")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"| strategy=none | pass |", "| strategy=jittered_failover | pass |", "vs strategy=none: ", "natschaos lab testdata/lab.yaml --vary strategy=none,jittered_failover --seed 3"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "lab.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Runs []struct {
			Variant string
			Seed    int64
			Out     string
			Figures struct {
				Reconnects int
				Peak       int
				Curve      []int
			}
		}
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Runs) != 2 {
		t.Fatalf("runs: %+v", c.Runs)
	}
	for _, r := range c.Runs {
		// lab starts every client on A and kills it: every run has a herd.
		if r.Seed != 3 || r.Figures.Reconnects == 0 || r.Figures.Peak == 0 || len(r.Figures.Curve) == 0 {
			t.Errorf("%s: %+v", r.Variant, r)
		}
		if _, err := os.Stat(filepath.Join(r.Out, "events.jsonl")); err != nil {
			t.Errorf("%s: %v", r.Variant, err)
		}
	}
	html, err := os.ReadFile(filepath.Join(out, "lab.html"))
	if err != nil || !strings.Contains(string(html), "<svg") || !strings.Contains(string(html), "strategy=jittered_failover") {
		t.Errorf("lab.html: %v, %d bytes", err, len(html))
	}
}
