package scenarios_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
)

// fidelityRun runs herd-single-kill-jittered (clients on A, A killed)
// with the clients scaled from its 300, and returns the herd verdict's
// fidelity warnings and the cores other processes kept busy on average
// while it ran (0 where the platform does not tell).
func fidelityRun(t *testing.T, scale float64) (warnings []string, others float64, lag time.Duration) {
	t.Helper()
	sc, _, err := scenarios.Builtin("herd-single-kill-jittered")
	if err != nil {
		t.Fatal(err)
	}
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{ClientsScale: scale, Out: scenariotest.OutDir(t, sc.Name)})
	if o.Err != nil {
		t.Fatalf("%v (replay: %s)", o.Err, o.Replay)
	}
	herd := false
	for _, r := range o.Results {
		if r.Name == "herd" {
			herd, warnings = true, r.Fidelity
		}
	}
	if !herd {
		t.Fatalf("no herd verdict: %s", summary(o))
	}
	evs, err := sim.ReadEventsFile(filepath.Join(o.Out, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var killed time.Duration = -1
	for _, ev := range evs {
		if ev.Kind == sim.ServerKill && killed < 0 {
			killed = ev.T
		}
		if ev.Kind == sim.HarnessLag && ev.Detail == sim.HarnessRunner && killed >= 0 && ev.Harness.From >= killed {
			lag = max(lag, ev.Harness.Lag())
		}
		if ev.Kind == sim.HarnessLag && ev.Detail == sim.HarnessRunner && ev.Harness.MachineCPU > 0 {
			others += max(ev.Harness.MachineCPU-ev.Harness.CPU, 0)
			n++
		}
	}
	if n > 0 {
		others /= float64(n)
	}
	t.Logf("clients ×%.2f: %s other processes kept %.2f cores busy", scale, summary(o), others)
	for _, w := range warnings {
		t.Log("fidelity: " + w)
	}
	return warnings, others, lag
}

// At 1,000 clients on two cores, the runner's own handling of the kill
// can hold the reconnections back (issue 16: none for 190 ms): when its
// measured lag after the kill is well over the bound, the herd verdict
// must say its timings may be the harness's. A run whose harness kept up
// has nothing to warn of, and says so.
func TestFidelityWarnsAtAThousandClients(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 1,000 clients")
	}
	w, _, lag := fidelityRun(t, 1000.0/300)
	switch {
	case lag >= 2*assert.DefaultLagBound && len(w) == 0:
		t.Fatalf("1,000 clients on A killed, runner lag %v after the kill: the herd verdict carries no fidelity warning", lag)
	case lag < 2*assert.DefaultLagBound && len(w) == 0:
		t.Skipf("the runner lagged at most %v after the kill, under twice the %v bound: nothing to warn of this run", lag, assert.DefaultLagBound)
	}
}

// At 100 clients the harness keeps up: no warning. The claim is about the
// harness alone, so a machine other processes keep busy (as the run's own
// samples measure it) cannot test it, and says so.
func TestFidelityQuietAtAHundredClients(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a cluster")
	}
	w, others, _ := fidelityRun(t, 100.0/300)
	if len(w) > 0 && others > 0.25 {
		t.Skipf("other processes kept %.2f cores of this machine busy: the harness's lag is theirs (%s)", others, w[0])
	}
	if len(w) > 0 {
		t.Fatalf("100 clients: the herd verdict carries a fidelity warning: %s", w[0])
	}
}
