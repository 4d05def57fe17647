package scenarios_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/sim"
)

// durationsHead is a small embedded cluster whose mesh formed before the
// steps below it.
const durationsHead = `name: durations
cluster:
  servers: [A, B]
clients:
  - name: subs
    count: 4
    subscribe: [">"]
  - name: pubs
    publish: {subject: "x.{client}", rate: 50/s}
expect:
  mesh: {within: 5s}
steps:
  - wait: {until: mesh, timeout: 10s}
`

// runDurations runs durationsHead plus steps and returns the outcome and
// the report read back from the output folder.
func runDurations(t *testing.T, steps string) (*scenarios.Outcome, *reports.Judged) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a real cluster")
	}
	defer goleak.VerifyNone(t)
	sc, err := scenarios.Parse("durations.yaml", []byte(durationsHead+steps))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: out})
	run, err := reports.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	return o, run
}

// faultWindow returns the start and end events of the only fault of kind.
func faultWindow(t *testing.T, events []sim.Event, kind string) (start, end sim.Event) {
	t.Helper()
	for _, ev := range events {
		switch {
		case ev.Kind == sim.FaultStart && ev.FaultKind == kind:
			start = ev
		case ev.Kind == sim.FaultEnd && ev.Fault == start.Fault && start.Fault != "":
			end = ev
		}
	}
	if start.Fault == "" || end.Fault == "" {
		t.Fatalf("no complete %s window on the timeline", kind)
	}
	return start, end
}

// firstOf is the time of the first event of kind, or of the last event.
func firstOf(events []sim.Event, kind sim.Kind) time.Duration {
	for _, ev := range events {
		if ev.Kind == kind {
			return ev.T
		}
	}
	return events[len(events)-1].T
}

// A partition whose declared duration outlasts the steps lasts that long:
// the run waits for it before its final checks, rather than letting the
// teardown heal it as soon as the steps end, and says it waited, and for
// what, in the report's steps, the summary and the outcome's notes.
func TestDeclaredDurationOutlastingTheStepsIsWaitedFor(t *testing.T) {
	const declared = 1500 * time.Millisecond
	o, run := runDurations(t, "  - partition: {groups: [[A], [B]], duration: 1500ms}\n")
	if o.Err != nil {
		t.Fatalf("run: %v", o.Err)
	}
	start, end := faultWindow(t, run.Events, "partition")
	if end.Detail != "expired" || end.T-start.T < declared {
		t.Errorf("the partition ended %q after %v; want expired after its declared %v", end.Detail, end.T-start.T, declared)
	}
	if teardown := firstOf(run.Events, sim.FleetClose); end.T > teardown {
		t.Errorf("the partition ended at %v, after the teardown began at %v", end.T, teardown)
	}
	steps := run.Report.Steps
	if len(steps) != 3 {
		t.Fatalf("want the two steps and the wait after them, got %+v", steps)
	}
	after := steps[2]
	if after.Index != 3 || !strings.HasPrefix(after.Text, "after the steps: wait for declared durations: partition: {A} | {B} for 1.5s (step 2, ends at ") ||
		!strings.HasPrefix(after.Note, "waited ") || after.Err != "" {
		t.Errorf("the wait after the steps: %+v", after)
	}
	t.Log(o.Notes)
	if len(o.Notes) != 1 || !strings.Contains(o.Notes[0], "after the steps") {
		t.Errorf("outcome notes: %q", o.Notes)
	}
	md, err := os.ReadFile(filepath.Join(o.Out, reports.SummaryFile))
	if err != nil || !strings.Contains(string(md), "step 3 (after the steps: wait for declared durations") {
		t.Errorf("summary.md does not say the run waited (%v):\n%s", err, md)
	}
}

// wait: {until: healed} holds once every fault with a duration has ended,
// and not before; a timeout shorter than the fault stops the run (exit 3).
func TestWaitHealedOnAnEmbeddedCluster(t *testing.T) {
	t.Run("waits for the partition", func(t *testing.T) {
		o, run := runDurations(t, `  - partition: {groups: [[A], [B]], duration: 1s}
  - wait: {until: healed, timeout: 10s}
  - wait: {until: mesh, timeout: 10s}
  - check: [mesh]
`)
		if o.Err != nil || o.Verdict != scenarios.VerdictPass {
			t.Fatalf("run: %v %v %+v", o.Verdict, o.Err, o.Results)
		}
		start, end := faultWindow(t, run.Events, "partition")
		healed := stepEndOf(t, run.Events, 3)
		if end.Detail != "expired" || end.T-start.T < time.Second || healed.T < end.T {
			t.Errorf("partition from %v to %v (%s); the healed wait ended at %v", start.T, end.T, end.Detail, healed.T)
		}
		for _, s := range run.Report.Steps {
			if s.Note != "" || s.Index > 5 {
				t.Errorf("step %d (%s): %q: nothing was left to wait for or to note", s.Index, s.Text, s.Note)
			}
		}
	})
	t.Run("a timeout shorter than the partition", func(t *testing.T) {
		o, _ := runDurations(t, `  - partition: {groups: [[A], [B]], duration: 5s}
  - wait: {until: healed, timeout: 200ms}
`)
		if o.Verdict != scenarios.VerdictError || o.Err == nil || !strings.Contains(o.Err.Error(), "wait for healed timed out after 200ms: in force: partition: {A} | {B} for 5s (step 2") {
			t.Fatalf("want an error naming the partition still in force, got %v: %v", o.Verdict, o.Err)
		}
	})
}

func stepEndOf(t *testing.T, events []sim.Event, step int) sim.Event {
	t.Helper()
	for _, ev := range events {
		if ev.Kind == sim.StepEnd && ev.Step == step {
			return ev
		}
	}
	t.Fatalf("no end of step %d", step)
	return sim.Event{}
}

// A mesh wait inside a partition holds on the partitioned graph; the run
// says so on the step, in report.json and in the outcome's notes. The same
// wait once the partition is healed holds without a note, and a healed
// wait with nothing to wait for says it held at once.
func TestWaitHeldOnlyBecauseOfAFaultIsReported(t *testing.T) {
	o, run := runDurations(t, `  - partition: {groups: [[A], [B]]}
  - wait: {until: mesh, timeout: 10s}
  - heal: all
  - wait: {until: mesh, timeout: 10s}
  - wait: {until: healed, timeout: 10s}
`)
	if o.Err != nil {
		t.Fatalf("run: %v", o.Err)
	}
	notes := map[int]string{}
	for _, s := range run.Report.Steps {
		notes[s.Index] = s.Note
	}
	if n := notes[3]; !strings.HasPrefix(n, "held ") || !strings.Contains(n, "only because partition ") || !strings.Contains(n, "without it: ") {
		t.Errorf("the mesh wait inside the partition: note %q", n)
	}
	if notes[5] != "" {
		t.Errorf("the mesh wait after the heal: note %q", notes[5])
	}
	if n := notes[6]; n != "held at once: no fault, partition or freeze with a duration was in force" {
		t.Errorf("the healed wait: note %q", n)
	}
	for _, n := range o.Notes {
		t.Log(n)
	}
	if len(o.Notes) != 2 || !strings.HasPrefix(o.Notes[0], "step 3 (wait: mesh): held ") {
		t.Errorf("outcome notes: %q", o.Notes)
	}
	js, err := os.ReadFile(filepath.Join(o.Out, reports.JSONFile))
	if err != nil || !strings.Contains(string(js), `"note": "held `) {
		t.Errorf("report.json carries no note (%v)", err)
	}
}

// When a failed wait stops the steps, the teardown heals every fault: a
// timed one still in force is cut short, and the run says so.
func TestDurationCutShortByAFailedWaitIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real cluster")
	}
	defer goleak.VerifyNone(t)
	sc, err := scenarios.Parse("cut-short.yaml", []byte(`name: cut-short
cluster:
  servers: [A, B]
clients:
  - name: on-b
    count: 2
    servers: [B]
    options: {ignore_discovered_servers: true, reconnect_wait: 50ms, max_reconnects: -1}
steps:
  - wait: {until: mesh, timeout: 10s}
  - partition: {groups: [[A], [B]], duration: 1m}
  - kill: B
  - wait: {until: connected, timeout: 300ms}
`))
	if err != nil {
		t.Fatal(err)
	}
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: t.TempDir()})
	if o.Err != nil || o.Verdict != scenarios.VerdictFail {
		t.Fatalf("want the connected wait to fail the run, got %v: %v", o.Verdict, o.Err)
	}
	if len(o.Notes) != 1 || !strings.HasPrefix(o.Notes[0], "step 5 (after the steps: declared durations cut short: partition: {A} | {B} for 1m0s (step 2") ||
		!strings.HasSuffix(o.Notes[0], "not waited for: the steps stopped at step 4, and the teardown heals every fault") {
		t.Errorf("notes: %q", o.Notes)
	}
	if o.Elapsed > 30*time.Second {
		t.Errorf("the run took %v: it waited for the minute-long partition after a failed wait", o.Elapsed)
	}
}
