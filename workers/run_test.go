package workers_test

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
	"github.com/natschaos/natschaos/workers"
)

// churn exercises every step that acts on clients through workers: a
// group cut across both workers joins and leaves across their slices,
// publishers burst, a queue group stays whole on one worker, a server is
// removed (the workers get the new directory) and another is killed.
const churn = `name: workers-churn
timeout: 1m
cluster:
  servers: [A, B, C]
clients:
  - name: subs
    count: 10
    options: {reconnect_wait: 100ms, max_reconnects: -1, ping_interval: 1s}
    subscribe: ["orders.>"]
  - name: qsubs
    count: 4
    options: {reconnect_wait: 100ms, max_reconnects: -1}
    subscribe: [{subject: "orders.>", queue: q}]
  - name: pubs
    count: 3
    options: {reconnect_wait: 100ms, max_reconnects: -1}
    publish: {subject: "orders.{client}", rate: 100/s, size: 64}
steps:
  - wait: {until: mesh, timeout: 5s}
  - join: {group: subs, count: 7}
  - join: pubs
  - wait: {until: connected, timeout: 5s}
  - burst: {group: pubs, messages: 500}
  - leave: {group: subs, count: 12}
  - remove: C
  - wait: {until: connected, timeout: 10s}
  - join: {group: subs, count: 3}
  - kill: A
  - wait: {until: connected, timeout: 10s}
  - sleep: 300ms
expect:
  reconnect: {max: 5s}
  no_loss: {}
`

// no_duplicates is left out of churn: removing a server while publishers
// burst gives duplicates in a single process too (seen under -race).

func parse(t *testing.T, src string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("churn.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func twoWorkers() *workers.Config {
	return &workers.Config{Local: 2, Command: workers.WorkerCommand()}
}

// The same scenario through two worker processes: it passes, and the
// timeline shows both workers' clients, numbered as one fleet.
func TestChurnThroughWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("real cluster and worker processes")
	}
	o := scenariotest.RunScenario(t, parse(t, churn), scenarios.Options{Workers: twoWorkers()})
	if o.Verdict != scenarios.VerdictPass {
		t.Fatalf("verdict %s: %v", o.Verdict, o.Err)
	}
	evs := readEvents(t, o.Out)
	joins, closes := 0, 0
	connected := map[string]bool{}
	left := map[string]bool{}
	pubs := map[int]bool{}
	for _, ev := range evs {
		switch ev.Kind {
		case sim.WorkerJoin:
			joins++
		case sim.FleetClose:
			closes++
		case sim.ClientConnect:
			connected[ev.Client] = true
		case sim.ClientLeave:
			left[ev.Client] = true
		case sim.PublishEnd:
			pubs[ev.Pub] = true
		}
	}
	if joins != 2 || closes != 1 {
		t.Errorf("worker_join %d (want 2), fleet_close %d (want 1)", joins, closes)
	}
	// 10 + 7 + 3 subs, 4 qsubs, 3 + 1 pubs, each once.
	for g, want := range map[string]int{"subs": 20, "qsubs": 4, "pubs": 4} {
		n := 0
		for c := range connected {
			if strings.HasPrefix(c, g+"-") {
				n++
			}
		}
		if n != want {
			t.Errorf("%s: %d clients connected, want %d", g, n, want)
		}
	}
	// The 12 leaving are the most recently numbered: subs-5 to subs-16,
	// though they sit on both workers.
	for i := 5; i <= 16; i++ {
		if id := "subs-" + itoa(i); !left[id] {
			t.Errorf("%s did not leave; left: %v", id, left)
		}
	}
	if len(left) != 12 {
		t.Errorf("%d clients left, want 12", len(left))
	}
	if len(pubs) != 4 {
		t.Errorf("publisher indices %v: want 4 distinct", pubs)
	}
}

// A client application bug planted in a group that runs in workers is
// still caught: the checkers read the same timeline.
func TestWorkersStillCatchLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("real cluster and worker processes")
	}
	src := strings.Replace(churn, "  - leave: {group: subs, count: 12}\n", "", 1)
	opts := scenarios.Options{Workers: twoWorkers(), Out: t.TempDir(), Groups: func(gs []sim.GroupSpec) {
		for i := range gs {
			if gs[i].Name == "subs" {
				gs[i].Defect.ForgetSubsAfterReconnects = 1
			}
		}
	}}
	o := scenarios.Execute(t.Context(), parse(t, src), opts)
	if o.Verdict != scenarios.VerdictFail {
		t.Fatalf("verdict %s (%v), want FAIL", o.Verdict, o.Err)
	}
	for _, r := range o.Failed() {
		if r.Name == "no_loss" {
			return
		}
	}
	t.Fatalf("no_loss did not fail: %+v", o.Results)
}
