package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// crashedCopy writes the fixture's timeline cut short, as a killed process
// leaves it: no teardown, no run_end, half a line at the end.
func crashedCopy(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/small/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(raw, []byte("\n"))
	cut := bytes.Join(lines[:len(lines)*2/3], nil)
	cut = append(cut, lines[len(lines)*2/3][:20]...)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, EventsFile), cut, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCrashedRunStillReports(t *testing.T) {
	dir := crashedCopy(t)
	run, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := run.Report
	if r.Verdict != "error" || !strings.Contains(r.Error, "no run_end") {
		t.Errorf("verdict %s, error %q: want error, naming the missing run_end", r.Verdict, r.Error)
	}
	if len(r.Properties) == 0 || r.Scenario != "small" || r.Seed != 7 {
		t.Errorf("lost what the timeline holds: scenario %q seed %d, %d properties", r.Scenario, r.Seed, len(r.Properties))
	}
	if err := run.WriteAll(dir); err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(filepath.Join(dir, HTMLFile))
	if n := bytes.Count(html, []byte(`<svg class="chart"`)); n < 4 {
		t.Errorf("%d charts from a crashed run's timeline", n)
	}
}

func TestLoadRefusesAFolderWithoutTimeline(t *testing.T) {
	if _, err := Load(t.TempDir()); err == nil {
		t.Fatal("loaded a folder without events.jsonl")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, EventsFile), nil, 0o644)
	if _, err := Load(dir); err == nil {
		t.Fatal("loaded an empty timeline")
	}
}

func TestEndOf(t *testing.T) {
	for _, tc := range []struct {
		detail      string
		why         string
		interrupted bool
	}{
		{"completed", "", false},
		{"interrupted", "interrupted", true},
		{"aborted: interrupted", "interrupted", true},
		{"aborted: the scenario's timeout of 1m ran out at step 3", "the scenario's timeout of 1m ran out at step 3", false},
	} {
		why, intr := endOf([]sim.Event{{Kind: sim.RunStart}, {Kind: sim.RunEnd, Detail: tc.detail}})
		if why != tc.why || intr != tc.interrupted {
			t.Errorf("%q: why %q interrupted %v, want %q %v", tc.detail, why, intr, tc.why, tc.interrupted)
		}
	}
}

func TestFinalClientsKeepsServersClosedByTeardown(t *testing.T) {
	evs := []sim.Event{
		{Kind: sim.Observe, Server: "A", Clients: 3},
		{Kind: sim.Observe, Server: "B", Clients: 4},
		{Kind: sim.Observe, Server: "C", Clients: 5},
		{Kind: sim.StepStart, Step: 1},
		{Kind: sim.ServerStop, Server: "C"},
		{Kind: sim.ServerExit, Server: "C"}, // stopped by a step: gone
		{Kind: sim.StepEnd, Step: 1},
		{Kind: sim.Observe, Server: "A", Clients: 6},
		{Kind: sim.Receipt, Sub: "s"},                // the fleet stops: the run's end
		{Kind: sim.Observe, Server: "A", Clients: 1}, // clients closing
		{Kind: sim.ServerExit, Server: "A"},          // teardown
		{Kind: sim.ServerExit, Server: "B"},
		{Kind: sim.RunEnd, Detail: "completed"},
	}
	if got := finalText(FinalClients(evs)); got != "A=6 B=4" {
		t.Errorf("final %q, want A=6 B=4", got)
	}
}

func TestFaultWindows(t *testing.T) {
	ms := time.Millisecond
	evs := []sim.Event{
		{T: 10 * ms, Kind: sim.ServerKill, Server: "A"},
		{T: 10 * ms, Kind: sim.ServerExit, Server: "A"},
		{T: 20 * ms, Kind: sim.FaultStart, Fault: "p1", FaultKind: "partition", Groups: [][]string{{"A"}, {"B", "C"}}},
		{T: 30 * ms, Kind: sim.ServerStart, Server: "A"},
		{T: 40 * ms, Kind: sim.ServerLameDuck, Server: "B"},
		{T: 45 * ms, Kind: sim.ServerStop, Server: "B"}, // the same outage
		{T: 50 * ms, Kind: sim.FaultEnd, Fault: "p1"},
		{T: 60 * ms, Kind: sim.FaultStart, Fault: "l1", FaultKind: "latency", Target: "client:C"},
		{T: 90 * ms, Kind: sim.RunEnd},
	}
	want := []window{
		{10 * ms, 30 * ms, "down", "kill A"},
		{20 * ms, 50 * ms, "fault", "partition A | B,C"},
		{40 * ms, 90 * ms, "lame duck", "lame duck B"},
		{60 * ms, 90 * ms, "fault", "latency client:C"},
	}
	got := faultWindows(evs)
	if len(got) != len(want) {
		t.Fatalf("windows %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("window %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReplayCommand(t *testing.T) {
	start := sim.Event{Kind: sim.RunStart, Scenario: "kill-one", Seed: 3}
	if got := ReplayCommand(start); got != "natschaos run kill-one --seed 3" {
		t.Errorf("without a recorded file: %q", got)
	}
	start.File, start.ClientsScale = "my tests/kill.yaml", 0.5
	if got := ReplayCommand(start); got != "natschaos run 'my tests/kill.yaml' --seed 3 --clients-scale 0.5" {
		t.Errorf("with a recorded file: %q", got)
	}
}

func TestHerdCurveIsTheCheckersFigure(t *testing.T) {
	ms := time.Millisecond
	evs := []sim.Event{
		{T: 10 * ms, Kind: sim.ClientReconnect, Client: "c-1", Server: "B"},
		{T: 15 * ms, Kind: sim.ClientReconnect, Client: "c-2", Server: "B"},
		{T: 990 * ms, Kind: sim.RunEnd},
	}
	// Computed when the run had no herd expectation: ~100 windows.
	w, series := herdCurve(evs, nil)
	if w != 10*ms || len(series["B"]) != 100 || series["B"][1] != 2 {
		t.Errorf("computed: window %v, B %v", w, series["B"])
	}
	// The checker's own figure otherwise, typed or read back from JSON.
	fig := assert.HerdData{Window: 50 * ms, Series: map[string][]int{"B": {2}}}
	for _, data := range []any{fig, map[string]any{"window": float64(50 * ms), "series": map[string]any{"B": []any{2.0}}}} {
		w, series := herdCurve(evs, []assert.Result{{Name: "herd", Data: data}})
		if w != 50*ms || len(series["B"]) != 1 || series["B"][0] != 2 {
			t.Errorf("from %T: window %v, B %v", data, w, series["B"])
		}
	}
}

func TestReconnectTimes(t *testing.T) {
	ms := time.Millisecond
	durs, stranded := reconnectTimes([]sim.Event{
		{T: 10 * ms, Kind: sim.ClientDisconnect, Client: "a", Err: "EOF"},
		{T: 40 * ms, Kind: sim.ClientReconnect, Client: "a"},
		{T: 20 * ms, Kind: sim.ClientDisconnect, Client: "b", Err: "EOF"}, // never back
		{T: 50 * ms, Kind: sim.ClientDisconnect, Client: "c"},
		{T: 51 * ms, Kind: sim.ClientClosed, Client: "c"}, // closed itself
	})
	if len(durs) != 1 || durs[0] != 30*ms || stranded != 1 {
		t.Errorf("durations %v, stranded %d; want [30ms], 1", durs, stranded)
	}
}
