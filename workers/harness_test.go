package workers_test

import (
	"testing"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
)

const harnessScenario = `name: workers-harness
timeout: 1m
cluster:
  servers: [A, B]
clients:
  - name: subs
    count: 4
    servers: [A]
    options: {reconnect_wait: 100ms, max_reconnects: -1}
    subscribe: ["t.>"]
steps:
  - wait: {until: mesh, timeout: 5s}
  - sleep: 300ms
  - kill: A
  - wait: {until: connected, timeout: 10s}
expect:
  reconnect: {max: 5s}
`

// Each worker samples its own lag and the runner records the samples
// under the worker's name, beside its own, all before the run ends.
func TestWorkersSampleTheirLag(t *testing.T) {
	if testing.Short() {
		t.Skip("real cluster and worker processes")
	}
	o := scenariotest.RunScenario(t, parse(t, harnessScenario), scenarios.Options{Workers: twoWorkers()})
	if o.Err != nil {
		t.Fatal(o.Err)
	}
	evs := readEvents(t, o.Out)
	samples := map[string]int{}
	var names []string
	ended := false
	for _, ev := range evs {
		switch ev.Kind {
		case sim.WorkerJoin:
			names = append(names, ev.Detail)
		case sim.RunEnd:
			ended = true
		case sim.HarnessLag:
			if ended {
				t.Errorf("a sample of %s after the run ended", ev.Detail)
			}
			if ev.Harness == nil || ev.Harness.From > ev.T {
				t.Errorf("sample %+v", ev)
			}
			samples[ev.Detail]++
		}
	}
	for _, n := range append(names, sim.HarnessRunner) {
		if samples[n] < 3 {
			t.Errorf("%s: %d samples over a run of %v", n, samples[n], o.Elapsed)
		}
	}
	if len(names) != 2 || len(samples) != 3 {
		t.Errorf("workers %v, samples %v", names, samples)
	}
}
