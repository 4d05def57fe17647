package reports_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/scenarios"
)

// canonical is a result as JSON decodes it: the runner may hold typed Data
// (assert.HerdData) where a re-render holds the same figures as a map.
func canonical(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func sameResults(t *testing.T, what string, want, got []assert.Result) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d results, the run had %d", what, len(got), len(want))
	}
	for i := range want {
		if w, g := canonical(t, want[i]), canonical(t, got[i]); !reflect.DeepEqual(w, g) {
			t.Errorf("%s: result %d differs\n run: %v\n now: %v", what, i, w, g)
		}
	}
}

func execute(t *testing.T, ctx context.Context, opts scenarios.Options) *scenarios.Outcome {
	t.Helper()
	sc, err := scenarios.Load("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opts.Out = t.TempDir()
	return scenarios.Execute(ctx, sc, opts)
}

func TestRerenderGivesTheRunsVerdicts(t *testing.T) {
	o := execute(t, context.Background(), scenarios.Options{})
	if o.Verdict == scenarios.VerdictError {
		t.Fatalf("the run itself failed: %v", o.Err)
	}
	run, err := reports.Load(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	if run.Report.Verdict != string(o.Verdict) {
		t.Errorf("verdict %s, the run said %s", run.Report.Verdict, o.Verdict)
	}
	sameResults(t, "reports.Load", o.Results, run.Report.Properties)
	if run.Report.Replay != o.Replay || !strings.Contains(o.Replay, ".yaml") {
		t.Errorf("re-rendered replay %q, the run printed %q", run.Report.Replay, o.Replay)
	}
	if len(o.Results) < 9 {
		t.Errorf("%d results: the scenario's check step or expectations went missing", len(o.Results))
	}

	// report.json as the runner wrote it says the same.
	var written reports.Report
	b, err := os.ReadFile(filepath.Join(o.Out, reports.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &written); err != nil {
		t.Fatal(err)
	}
	if written.Verdict != run.Report.Verdict {
		t.Errorf("report.json verdict %s, re-rendered %s", written.Verdict, run.Report.Verdict)
	}
	sameResults(t, "report.json", written.Properties, run.Report.Properties)

	if err := run.WriteAll(o.Out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{reports.JSONFile, reports.JUnitFile, reports.SummaryFile, reports.HTMLFile} {
		if st, err := os.Stat(filepath.Join(o.Out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

// An interrupted run is reported from what its timeline holds, with the
// verdict the runner gave it.
func TestInterruptedRunRerenders(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := execute(t, ctx, scenarios.Options{Progress: func(s scenarios.Status) {
		if s.Step >= 3 {
			cancel()
		}
	}})
	if !o.Interrupted {
		t.Fatalf("the run was not interrupted: %s %v", o.Verdict, o.Err)
	}
	run, err := reports.Load(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	r := run.Report
	if r.Verdict != string(o.Verdict) || !r.Interrupted || r.Error == "" {
		t.Errorf("verdict %s interrupted=%v error=%q; the run said %s interrupted", r.Verdict, r.Interrupted, r.Error, o.Verdict)
	}
	sameResults(t, "interrupted", o.Results, r.Properties)
}
