package reports_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/sim"
)

const fidelityText = "timings in this window may be the harness" // the apostrophe is escaped in HTML

// laggedFixture is the small fixture run with a runner that lagged 300 ms
// all along, and the policy given (nil: none recorded).
func laggedFixture(t *testing.T, policy *assert.FidelityPolicy) []sim.Event {
	t.Helper()
	evs := slices.Clone(fixture(t).Events)
	end := evs[len(evs)-1].T
	for from := time.Duration(0); from+100*time.Millisecond < end; from += 100 * time.Millisecond {
		evs = append(evs, sim.Event{T: from + 100*time.Millisecond, Kind: sim.HarnessLag, Detail: sim.HarnessRunner,
			Harness: &sim.HarnessSample{From: from, Ticks: 3, TimerLate: 300 * time.Millisecond, SchedP99: 250 * time.Millisecond, CPU: 1.99, Cores: 2}})
	}
	if policy != nil {
		evs = append(evs, assert.FidelityEvent(*policy))
	}
	slices.SortStableFunc(evs, func(a, b sim.Event) int { return int(a.T - b.T) })
	return evs
}

// Every report shows the fidelity warnings of the timing verdicts.
func TestFidelityWarningsInEveryReport(t *testing.T) {
	run := reports.Judge(laggedFixture(t, nil), reports.Extra{})
	warned := 0
	for _, p := range run.Report.Properties {
		warned += len(p.Fidelity)
	}
	if warned == 0 {
		t.Fatalf("no verdict warned: %+v", run.Report.Properties)
	}
	if run.Report.Error != "" {
		t.Errorf("the default policy only warns, yet: %s", run.Report.Error)
	}
	var md bytes.Buffer
	if err := reports.WriteSummaryMarkdown(&md, run.Report); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(run.Report)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"summary.md":  md.String(),
		"report.html": htmlOf(t, run),
		"junit.xml":   string(junitOf(t, run.Report)),
		"report.json": string(js),
	} {
		if !strings.Contains(text, fidelityText) || !strings.Contains(text, "runner lag 300ms") {
			t.Errorf("%s shows no fidelity warning", name)
		}
	}
}

// A strict policy recorded on the timeline makes the re-rendered run an
// error, as the runner's.
func TestFidelityStrictReport(t *testing.T) {
	run := reports.Judge(laggedFixture(t, &assert.FidelityPolicy{Strict: true}), reports.Extra{})
	if run.Report.Verdict != "error" || !strings.Contains(run.Report.Error, "fidelity strict: ") {
		t.Errorf("verdict %s, error %q", run.Report.Verdict, run.Report.Error)
	}
	quiet := reports.Judge(append(slices.Clone(fixture(t).Events), assert.FidelityEvent(assert.FidelityPolicy{Strict: true})), reports.Extra{})
	if quiet.Report.Error != fixture(t).Report.Error {
		t.Errorf("strict without lag: error %q", quiet.Report.Error)
	}
}
