package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
)

func labRun(variant string, settings []string, run, peak int, skew float64, back time.Duration, verdict string) LabRun {
	return LabRun{Variant: variant, Settings: settings, Run: run, Verdict: verdict, Expected: "fail",
		Figures: assert.HerdFigures{Window: 100 * time.Millisecond, Peak: peak, PeakServer: "B", PeakPerServer: map[string]int{"B": peak, "C": peak / 2},
			FinalSkew: skew, AllBack: back, Curve: []int{peak, 1}}}
}

func TestCompareAgainstBaseline(t *testing.T) {
	none1000 := []string{"strategy=none", "clients=1000"}
	jit1000 := []string{"strategy=jittered_failover", "clients=1000"}
	none5000 := []string{"strategy=none", "clients=5000"}
	jit5000 := []string{"strategy=jittered_failover", "clients=5000"}
	runs := []LabRun{
		labRun("strategy=none,clients=1000", none1000, 1, 400, 0.1, 50*time.Millisecond, "fail"),
		labRun("strategy=none,clients=1000", none1000, 2, 600, 0.3, 150*time.Millisecond, "fail"),
		labRun("strategy=none,clients=5000", none5000, 1, 2000, math.NaN(), time.Second, "fail"),
		labRun("strategy=jittered_failover,clients=1000", jit1000, 1, 50, 0.2, time.Second, "pass"),
		labRun("strategy=jittered_failover,clients=1000", jit1000, 2, 50, 0.2, time.Second, "pass"),
		labRun("strategy=jittered_failover,clients=5000", jit5000, 1, 500, 0.2, time.Second, "pass"),
	}
	// A fixed axis is in the settings, not in the names.
	for i := range runs {
		runs[i].Settings = append(runs[i].Settings, "option.reconnect_wait=1s")
	}
	c := Compare("s", "natschaos lab s", 100*time.Millisecond, runs)
	if len(c.Rows) != 4 {
		t.Fatalf("rows: %+v", c.Rows)
	}
	base, jit, jit5 := c.Rows[0], c.Rows[2], c.Rows[3]
	if base.Baseline != "" || base.Peak != 500 || base.AllBack != 100*time.Millisecond || math.Abs(base.FinalSkew-0.2) > 1e-9 || !base.AsExpected || base.Verdicts != "fail fail" {
		t.Errorf("baseline row: %+v", base)
	}
	// Each is set against the baseline with its own client count.
	if jit.Baseline != "strategy=none,clients=1000" || jit.PeakChange == nil || math.Abs(*jit.PeakChange+0.9) > 1e-9 || jit.AsExpected {
		t.Errorf("jittered 1000: %+v", jit)
	}
	if jit5.Baseline != "strategy=none,clients=5000" || math.Abs(*jit5.PeakChange+0.75) > 1e-9 || jit5.SkewChange != nil {
		t.Errorf("jittered 5000 (baseline skew unknown): %+v", jit5)
	}
	if !strings.Contains(jit.Improvement, "peak −90% (500 → 50 per window)") || !strings.Contains(jit.Improvement, "final skew 0.20 → 0.20") {
		t.Errorf("improvement line: %q", jit.Improvement)
	}
	var md, js, html bytes.Buffer
	if err := WriteComparisonMarkdown(&md, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| strategy=none,clients=5000 | fail | 2000 (B) | B 2000, C 1000 | 1s | 0 | n/a |", "pass pass (the scenario expects fail)", "Produced by: `natschaos lab s`"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if err := WriteComparisonJSON(&js, c); err != nil || strings.Contains(js.String(), "NaN") {
		t.Errorf("json: %v\n%s", err, js.String())
	}
	if err := WriteComparisonHTML(&html, c); err != nil || strings.Count(html.String(), "<svg") != 1 || strings.Contains(html.String(), "http") {
		t.Errorf("html: %v (%d bytes)", err, html.Len())
	}
}
