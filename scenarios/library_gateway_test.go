package scenarios

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

func TestClustersSectionBecomesOneSupercluster(t *testing.T) {
	s, _, err := Builtin("gateway-partition")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, srv := range s.Cluster.Servers {
		names = append(names, srv.Name+"@"+s.ClusterOf(srv.Name))
	}
	if fmt.Sprint(names) != "[E1@east E2@east W1@west W2@west]" {
		t.Errorf("servers %v", names)
	}
	for _, g := range s.Clients {
		want := "[E1 E2]"
		if strings.HasPrefix(g.Name, "west") {
			want = "[W1 W2]"
		}
		if fmt.Sprint(g.Servers) != want {
			t.Errorf("group %s dials %v, want %s", g.Name, g.Servers, want)
		}
	}
	spec := clusterSpec(s, Options{})
	if spec.Servers[2].Cluster != "west" {
		t.Errorf("engine spec: W1 in cluster %q", spec.Servers[2].Cluster)
	}
	if err := s.Validate(); err != nil { // validation runs again without moving twice
		t.Fatal(err)
	}
	if len(s.Cluster.Servers) != 4 {
		t.Errorf("%d servers after a second validation", len(s.Cluster.Servers))
	}
}

const superHead = `name: t
clusters:
  - name: east
    servers: [E1, E2]
    clients: [{name: subs, subscribe: [x]}]
  - name: west
    servers: [W1]
`

func TestClustersSectionProblems(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{superHead + "steps:\n  - fault: {target: gateway:east-north, kind: down}\n", `want gateway:<cluster>-<cluster> naming two of [east west]`},
		{superHead + "steps:\n  - fault: {target: gateway:east-east, kind: down}\n", "a gateway joins two different clusters"},
		{superHead + "cluster:\n  servers: [X]\n", "with clusters:, declare each server under its cluster"},
		{"name: t\nclusters:\n  - name: east\n    servers: [E1]\n", "a supercluster needs at least two clusters"},
		{"name: t\nclusters:\n  - name: east\n    servers: [E1]\n  - name: east\n    servers: [E2]\n", `duplicate cluster name "east"`},
		{"name: t\nclusters:\n  - name: east\n    servers: [E1]\n  - name: west\n    servers: [{name: E1}]\n", `duplicate server name "E1"`},
		{"name: t\nclusters:\n  - name: east\n    servers: [{name: E1, version: v2.10.0}]\n  - name: west\n    servers: [W1]\n", "gateways run on embedded servers only"},
		{"name: t\ncluster:\n  servers: [A, B]\nsteps:\n  - fault: {target: gateway:a-b, kind: down}\n", "there is none"},
	} {
		got := strings.Join(problemsOf(t, c.src), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%q: problems\n%s\nwant one with %q", c.src, got, c.want)
		}
	}
	if got := problemsOf(t, superHead+"steps:\n  - fault: {target: gateway:east-west, kind: down, duration: 1s}\n"); got != nil {
		t.Errorf("a valid gateway fault: %v", got)
	}
}

// The built-in reaches its expected verdict (3 runs under make soak), and
// its timeline shows the gateways cut by the partition and back after.
// The same timeline, judged by strict no_loss, must fail on real servers
// naming the gateway: the losses the partition explains crossed it.
func TestGatewayPartitionBuiltinReachesItsVerdict(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	s, _, err := Builtin("gateway-partition")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= soakRuns(3); i++ {
		o := Execute(context.Background(), s, Options{Out: filepath.Join(t.TempDir(), s.Name)})
		if o.Err != nil {
			t.Fatalf("run %d: %v (replay: %s)", i, o.Err, o.Replay)
		}
		if !o.AsExpected(s) {
			t.Fatalf("run %d: verdict %s, the scenario expects %s:\n%s", i, o.Verdict, s.ExpectedVerdict, resultsLine(o))
		}
		t.Logf("run %d: %s as expected: %s", i, o.Verdict, resultsLine(o))
		evs, err := sim.ReadEventsFile(filepath.Join(o.Out, "events.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		var cut, back []string // outbound gateways down during the partition, up after its end
		phase := 0
		for _, ev := range evs {
			switch {
			case ev.Kind == sim.FaultStart && ev.FaultKind == "partition":
				phase = 1
			case ev.Kind == sim.FaultEnd && phase == 1:
				phase = 2
			case ev.Kind == sim.GatewayDown && ev.Detail == "outbound" && phase == 1 && !slices.Contains(cut, ev.Server):
				cut = append(cut, ev.Server)
			case ev.Kind == sim.GatewayUp && ev.Detail == "outbound" && phase == 2 && !slices.Contains(back, ev.Server):
				back = append(back, ev.Server)
			}
		}
		slices.Sort(cut)
		slices.Sort(back)
		if fmt.Sprint(cut) != "[E1 E2 W1 W2]" || fmt.Sprint(back) != "[E1 E2 W1 W2]" {
			t.Errorf("run %d: outbound gateways cut by the partition %v, back after it %v; want every server in both", i, cut, back)
		}
		strict := strictNoLoss(t, s)
		r := assert.Evaluate([]assert.Expectation{strict}, evs)[0]
		if r.Verdict != assert.Fail || !strings.Contains(r.Evidence, "explained, ") || !strings.Contains(r.Evidence, "across gateway ") {
			t.Errorf("run %d: strict no_loss %s (%s), want fail naming the gateway", i, r.Verdict, r.Evidence)
		}
		t.Logf("run %d: strict no_loss %s: %s", i, r.Verdict, r.Evidence)
	}
}

// strictNoLoss is the scenario's no_loss expectation made strict.
func strictNoLoss(t *testing.T, s *Scenario) assert.Expectation {
	t.Helper()
	for _, x := range s.Expect {
		if x.Name == PropNoLoss {
			nl := *x.Params.(*assert.NoLossParams)
			nl.Strict = true
			return assert.Expectation{Name: string(PropNoLoss), Params: &nl}
		}
	}
	t.Fatalf("%s expects no no_loss", s.Name)
	return assert.Expectation{}
}

// resultsLine is every verdict of a run on one line, for test logs.
func resultsLine(o *Outcome) string {
	var b strings.Builder
	for _, r := range o.Results {
		b.WriteString(r.Name + " " + string(r.Verdict) + ": " + r.Evidence + "; ")
	}
	return b.String()
}
