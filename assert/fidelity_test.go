package assert

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// lagRun is a synthetic run: A, B and C meshed, four clients on A; step 1
// kills A at 1s, the clients move to B and C by 1.15s and the mesh of B
// and C is observed at 1.15s; the steps end at 2s, the run at 3s. The
// runner samples its lag every 100 ms from 0 to 2.9s; lag(from) is each
// sample's scheduler p99.
type lagRun struct {
	lag      func(from float64) time.Duration
	worker   func(from float64) time.Duration // a worker's samples, if set
	policy   *FidelityPolicy
	herd     time.Duration // the herd window (100ms if 0)
	routes   bool          // a route partition instead of the kill: no client moves
	verdicts map[float64]Result
}

func (lr lagRun) events(t *testing.T) []sim.Event {
	t.Helper()
	window := lr.herd
	if window == 0 {
		window = 100 * time.Millisecond
	}
	exps := []Expectation{
		{Name: "herd", Params: HerdParams{Window: window}},
		{Name: "reconnect", Params: ReconnectParams{Max: 5 * time.Second}},
		{Name: "mesh", Params: MeshParams{Within: 2 * time.Second}},
		{Name: "discovery", Params: DiscoveryParams{Within: 2 * time.Second}},
	}
	expEv, err := ExpectationsEvent(exps)
	if err != nil {
		t.Fatal(err)
	}
	b := newTL(t)
	b.streams = true
	b.add(sim.Event{Kind: sim.RunStart, Scenario: "lag"}).add(expEv)
	if lr.policy != nil {
		b.add(FidelityEvent(*lr.policy))
	}
	b.start("A", "B", "C").meshed("A", "B", "C")
	clients := []string{"c-1", "c-2", "c-3", "c-4"}
	for _, c := range clients {
		b.connect(c, "A", "A", "B", "C")
	}
	b.at(0.05).observe("A", 4, "B", "C").observe("B", 0, "A", "C").observe("C", 0, "A", "B")
	b.at(0.5).add(sim.Event{Kind: sim.StepStart, Step: 1, Detail: "kill: A"})
	if lr.routes {
		b.at(1).partition("p1", []string{"A"}, []string{"B", "C"})
		b.at(1.15).observe("A", 4).observe("B", 0, "C").observe("C", 0, "B")
	} else {
		b.at(1).kill("A")
		for _, c := range clients {
			b.disconnect(c, "A", "EOF")
		}
		b.at(1.1)
		for i, c := range clients {
			b.reconnect(c, []string{"B", "C"}[i%2], "B", "C")
		}
		b.at(1.15).observe("B", 2, "C").observe("C", 2, "B")
	}
	b.at(2).add(stepEnd(1))
	for at, r := range lr.verdicts {
		b.evs = append(b.evs, VerdictEvent(1, r))
		b.evs[len(b.evs)-1].T = sec(at)
	}
	for i := range 29 {
		from := float64(i) / 10
		b.evs = append(b.evs, lagSample(sim.HarnessRunner, from, lr.lag(from)))
		if lr.worker != nil {
			b.evs = append(b.evs, lagSample("w1", from, lr.worker(from)))
		}
	}
	b.at(3).add(runEnd())
	return b.events()
}

// lagSample is a process's sample over [from, from+100ms].
func lagSample(process string, from float64, lag time.Duration) sim.Event {
	return sim.Event{T: sec(from + 0.1), Kind: sim.HarnessLag, Detail: process, Harness: &sim.HarnessSample{
		From: sec(from), Ticks: 10, TimerLate: lag / 2, SchedP99: lag, CPU: 1.97, MachineCPU: 2, Cores: 2}}
}

// lagAt is lag for the samples starting in [from, to), 1 ms elsewhere.
func lagAt(from, to float64, lag time.Duration) func(float64) time.Duration {
	return func(s float64) time.Duration {
		if s >= from-1e-9 && s < to-1e-9 {
			return lag
		}
		return time.Millisecond
	}
}

func judge(t *testing.T, events []sim.Event) map[string]Result {
	t.Helper()
	rs, err := Judge(events)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Result{}
	for _, r := range rs {
		if _, seen := out[r.Name]; !seen {
			out[r.Name] = r
		}
	}
	return out
}

func wantFidelity(t *testing.T, r Result, parts ...string) {
	t.Helper()
	if len(r.Fidelity) == 0 {
		t.Fatalf("%s: no fidelity warning; evidence %q", r.Name, r.Evidence)
	}
	all := strings.Join(r.Fidelity, "\n")
	for _, p := range parts {
		if !strings.Contains(all, p) {
			t.Errorf("%s: fidelity %q lacks %q", r.Name, all, p)
		}
	}
	if !strings.Contains(r.Evidence, "[fidelity: ") {
		t.Errorf("%s: the evidence does not mention the warning: %q", r.Name, r.Evidence)
	}
}

func wantNoFidelity(t *testing.T, rs map[string]Result, names ...string) {
	t.Helper()
	for _, n := range names {
		if r := rs[n]; len(r.Fidelity) > 0 || strings.Contains(r.Evidence, "fidelity") {
			t.Errorf("%s: unexpected fidelity warning %q (evidence %q)", n, r.Fidelity, r.Evidence)
		}
	}
}

var timingNames = []string{"herd", "reconnect", "mesh", "discovery"}

// Lag over the bound while the clients move off a killed server: every
// timing verdict says so, with the figures and the span.
func TestFidelityWarnsOfLagInAFaultWindow(t *testing.T) {
	rs := judge(t, lagRun{lag: lagAt(1.0, 1.2, 180*time.Millisecond)}.events(t))
	for _, n := range timingNames {
		wantFidelity(t, rs[n], "runner lag 180ms (scheduler p99 180ms, timer 90ms late; CPU 1.97 of 2 cores, machine 2.00) from 1s to 1.2s: timings in this window may be the harness's")
	}
}

// The same run with a quiet harness, or lag only at the bound, warns of
// nothing.
func TestFidelityQuietHarnessWarnsOfNothing(t *testing.T) {
	wantNoFidelity(t, judge(t, lagRun{lag: lagAt(0, 3, 2*time.Millisecond)}.events(t)), timingNames...)
	wantNoFidelity(t, judge(t, lagRun{lag: lagAt(1.0, 1.2, DefaultLagBound)}.events(t)), timingNames...)
}

// Lag outside every fault window is not the timings' concern: while the
// cluster boots, and once it has recovered from the kill.
func TestFidelityIgnoresLagOutsideFaultWindows(t *testing.T) {
	wantNoFidelity(t, judge(t, lagRun{lag: lagAt(0.1, 0.4, 300*time.Millisecond)}.events(t)), timingNames...)
	wantNoFidelity(t, judge(t, lagRun{lag: lagAt(1.5, 1.9, 300*time.Millisecond)}.events(t)), timingNames...)
}

// A timeline without harness samples (an older run) warns of nothing.
func TestFidelityWithoutSamples(t *testing.T) {
	var evs []sim.Event
	for _, ev := range (lagRun{lag: lagAt(1.0, 1.2, time.Second)}).events(t) {
		if ev.Kind != sim.HarnessLag {
			evs = append(evs, ev)
		}
	}
	wantNoFidelity(t, judge(t, evs), timingNames...)
}

// A worker's lag warns under the worker's name.
func TestFidelityNamesTheWorker(t *testing.T) {
	rs := judge(t, lagRun{lag: lagAt(0, 3, time.Millisecond), worker: lagAt(1.1, 1.2, 120*time.Millisecond)}.events(t))
	wantFidelity(t, rs["herd"], "w1 lag 120ms", "from 1.1s to 1.2s")
}

// A route partition moves no client: mesh and discovery carry the
// warning, herd and reconnect (which time clients) do not.
func TestFidelityClientTimingsNeedClientsThatMoved(t *testing.T) {
	rs := judge(t, lagRun{lag: lagAt(1.0, 1.2, 180*time.Millisecond), routes: true}.events(t))
	wantFidelity(t, rs["mesh"], "runner lag 180ms")
	wantNoFidelity(t, rs, "herd", "reconnect")
}

// The bound: half a narrower herd window tightens the default; a bound
// recorded by the runner replaces it.
func TestFidelityBound(t *testing.T) {
	lag := lagAt(1.0, 1.1, 40*time.Millisecond)
	wantNoFidelity(t, judge(t, lagRun{lag: lag}.events(t)), timingNames...)
	rs := judge(t, lagRun{lag: lag, herd: 60 * time.Millisecond}.events(t))
	wantFidelity(t, rs["herd"], "runner lag 40ms")

	big := lagAt(1.0, 1.1, 180*time.Millisecond)
	wantNoFidelity(t, judge(t, lagRun{lag: big, policy: &FidelityPolicy{LagBound: 200 * time.Millisecond}}.events(t)), timingNames...)
	rs = judge(t, lagRun{lag: lag, policy: &FidelityPolicy{LagBound: 20 * time.Millisecond}}.events(t))
	wantFidelity(t, rs["mesh"], "runner lag 40ms")
}

// Back-to-back samples over the bound make one span; a quiet sample
// between them makes two.
func TestFidelitySpans(t *testing.T) {
	rs := judge(t, lagRun{lag: lagAt(1.0, 1.3, 180*time.Millisecond), herd: time.Second}.events(t))
	r := rs["herd"]
	wantFidelity(t, r, "from 1s to 1.3s")
	if len(r.Fidelity) != 1 {
		t.Errorf("want one span, got %q", r.Fidelity)
	}
	two := func(s float64) time.Duration {
		if (s > 0.95 && s < 1.05) || (s > 1.15 && s < 1.25) {
			return 180 * time.Millisecond
		}
		return time.Millisecond
	}
	r = judge(t, lagRun{lag: two}.events(t))["herd"]
	wantFidelity(t, r, "from 1s to 1.1s", "from 1.2s to 1.3s")
	if !strings.HasSuffix(r.Evidence, "[fidelity: runner lag 180ms from 1s to 1.1s (+1 more)]") {
		t.Errorf("evidence %q", r.Evidence)
	}
}

// A verdict reached during the run (a check step) is warned only of the
// lag before it.
func TestFidelityOfRecordedVerdicts(t *testing.T) {
	lr := lagRun{lag: lagAt(1.0, 1.2, 180*time.Millisecond), verdicts: map[float64]Result{
		0.9: {Name: "mesh", Verdict: Pass, Evidence: "check at step 1: early"},
		1.5: {Name: "reconnect", Verdict: Pass, Evidence: "check at step 1: late"},
	}}
	rs, err := Judge(lr.events(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs[:2] {
		switch {
		case strings.Contains(r.Evidence, "early") && len(r.Fidelity) > 0:
			t.Errorf("a verdict reached before the lag is warned: %q", r.Fidelity)
		case strings.Contains(r.Evidence, "late") && len(r.Fidelity) == 0:
			t.Errorf("a verdict reached after the lag is not warned: %q", r.Evidence)
		}
	}
}

// Non-timing properties, and timing ones that judged nothing, carry no
// warning.
func TestFidelityOnlyForTimingVerdicts(t *testing.T) {
	fr := readFidelity(lagRun{lag: lagAt(1.0, 1.2, 180*time.Millisecond)}.events(t), 0)
	if len(fr.spans) != 1 {
		t.Fatalf("want one span, got %+v", fr.spans)
	}
	for _, r := range []Result{
		{Name: "no_loss", Verdict: Pass, Evidence: "1000 messages"},
		{Name: "herd", Verdict: NotEvaluated, Evidence: "window must be > 0"},
		{Name: "mesh", Verdict: Fail, Evidence: "vacuous: no change to converge after"},
	} {
		before := r.Evidence
		fr.annotate(&r, time.Hour)
		if len(r.Fidelity) > 0 || r.Evidence != before {
			t.Errorf("%s %s: warned: %q", r.Name, r.Verdict, r.Evidence)
		}
	}
}

// Strict turns a warning into the run's error; the default only warns.
func TestFidelityStrict(t *testing.T) {
	lagged := lagRun{lag: lagAt(1.0, 1.2, 180*time.Millisecond), policy: &FidelityPolicy{Strict: true}}.events(t)
	rs, _ := Judge(lagged)
	err := FidelityError(lagged, rs)
	if err == nil || !strings.Contains(err.Error(), "fidelity strict: the timings of herd, reconnect, mesh, discovery may be the harness's: runner lag 180ms") {
		t.Errorf("strict with a warning: %v", err)
	}
	quiet := lagRun{lag: lagAt(0, 3, time.Millisecond), policy: &FidelityPolicy{Strict: true}}.events(t)
	rs, _ = Judge(quiet)
	if err := FidelityError(quiet, rs); err != nil {
		t.Errorf("strict without a warning: %v", err)
	}
	warn := lagRun{lag: lagAt(1.0, 1.2, 180*time.Millisecond)}.events(t)
	rs, _ = Judge(warn)
	if err := FidelityError(warn, rs); err != nil {
		t.Errorf("the default policy only warns: %v", err)
	}
}
