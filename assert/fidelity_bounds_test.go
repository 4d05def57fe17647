package assert

import (
	"strings"
	"testing"
	"time"
)

// Boundary cases of the fidelity warning: which lag spans a verdict
// carries, how one span is reported, and the herd window that tightens
// the bound.

func TestFidelityWarnsOnlyOfSpansStartingBeforeTheVerdict(t *testing.T) {
	fr := readFidelity(lagRun{lag: lagAt(1.0, 1.2, 180*time.Millisecond)}.events(t), 0)
	if len(fr.spans) != 1 {
		t.Fatalf("want one span, got %+v", fr.spans)
	}
	from := fr.spans[0].from
	at := Result{Name: "mesh", Verdict: Pass, Evidence: "the mesh held"}
	fr.annotate(&at, from) // reached as the lag began: not warned
	if len(at.Fidelity) != 0 {
		t.Errorf("a verdict reached at the span's start is warned: %q", at.Fidelity)
	}
	after := Result{Name: "mesh", Verdict: Pass, Evidence: "the mesh held"}
	fr.annotate(&after, from+1)
	if len(after.Fidelity) != 1 {
		t.Fatalf("want one fidelity line, got %q", after.Fidelity)
	}
	if strings.Contains(after.Evidence, "more)") {
		t.Errorf("one span reported as more: %q", after.Evidence)
	}
}

func TestLagSpanNamesTheLoadOnlyWhenMeasured(t *testing.T) {
	span := lagSpan{process: "runner", lag: 180 * time.Millisecond, from: sec(1), to: sec(1.2)}
	if s := span.String(); strings.Contains(s, "CPU") {
		t.Errorf("no CPU measured, yet: %q", s)
	}
	span.cpu, span.cores = 1.5, 2
	if s := span.String(); !strings.Contains(s, "CPU 1.50 of 2 cores") || strings.Contains(s, "machine") {
		t.Errorf("process CPU only: %q", s)
	}
	span.mach = 1.9
	if s := span.String(); !strings.Contains(s, "machine 1.90") {
		t.Errorf("machine CPU measured: %q", s)
	}
}

func TestNarrowestHerdWindow(t *testing.T) {
	exps := []Expectation{
		{Name: "herd", Params: HerdParams{Window: 2 * time.Second}},
		{Name: "herd", Params: &HerdParams{Window: time.Second}},
		{Name: "herd", Params: HerdParams{Window: 3 * time.Second}},
		{Name: "mesh", Params: within2s},
		{Name: "herd", Params: (*HerdParams)(nil)},
	}
	if w := narrowestHerdWindow(exps); w != time.Second {
		t.Errorf("narrowest %v, want 1s", w)
	}
	if w := narrowestHerdWindow(exps[3:]); w != 0 {
		t.Errorf("no herd window: %v, want 0", w)
	}
}
