package scenarios_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/sim"
)

// The leaf built-ins, each run from the library: the run reaches the
// file's expected verdict, and each property named here has the verdict
// and the evidence measured (docs/TOPOLOGIES.md). The leaf herd runs
// three times in a row under make soak, as issue 21 asks. An external
// test, so it runs after the package's own: the hub's rolling upgrade
// runs v2.15.2, which make test builds while the first tests run.
var leafBuiltins = []struct {
	name  string
	runs  int
	judge []leafJudgement
}{
	{"leaf-herd-hub-restart", scenarios.SoakRuns(3), []leafJudgement{
		{"leaf_herd", assert.Fail, "leaf links in 200ms from"},
		{"leaf_reconnect", assert.Pass, "leaf reconnects of"},
	}},
	{"leaf-interest-reset", 1, []leafJudgement{
		{"interest", assert.Pass, "messages flowed again within 2s after 2 heals on 4 pairs"},
		{"leaf_reconnect", assert.Pass, "1 leaf reconnects of 1 leaves"},
	}},
	{"leaf-hub-rolling-upgrade", 1, []leafJudgement{
		{"leaf_reconnect", assert.Pass, "leaf reconnects of"},
	}},
}

type leafJudgement struct {
	property string
	want     assert.Verdict
	evidence string
}

func TestLeafBuiltinsReachTheirVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	for _, b := range leafBuiltins {
		t.Run(b.name, func(t *testing.T) {
			sc, _, err := scenarios.Builtin(b.name)
			if err != nil {
				t.Fatal(err)
			}
			for run := 1; run <= b.runs; run++ {
				out := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%d", sc.Name, run))
				o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: out})
				if o.Err != nil {
					t.Fatalf("run %d: %v", run, o.Err)
				}
				if !o.AsExpected(sc) {
					t.Errorf("run %d: verdict %s, the file expects %s\nreplay: %s", run, o.Verdict, sc.ExpectedVerdict, o.Replay)
				}
				for _, j := range b.judge {
					r := resultNamed(o, j.property)
					t.Logf("run %d: %s %s: %s", run, r.Name, r.Verdict, r.Evidence)
					if r.Verdict != j.want || !strings.Contains(r.Evidence, j.evidence) {
						t.Errorf("run %d: %s %s (%s), want %s with %q\nreplay: %s", run, j.property, r.Verdict, r.Evidence, j.want, j.evidence, o.Replay)
					}
				}
				if b.name == "leaf-hub-rolling-upgrade" {
					// Measured: a leaf redials the next URL of its list,
					// so each restart passes its leaves on, and they end
					// piled on one hub server (as clients drift).
					on := leafSpread(events(t, out))
					t.Logf("leaves end on %v", on)
					if len(on) != 1 {
						t.Errorf("leaves end on %v, want all on one hub server (the drift measured)", on)
					}
				}
			}
		})
	}
}

// resultNamed is the run's verdict on a property (zero if absent).
func resultNamed(o *scenarios.Outcome, name string) assert.Result {
	for _, r := range o.Results {
		if r.Name == name {
			return r
		}
	}
	return assert.Result{Name: name}
}

// leafSpread counts the leaves each hub server holds at the end, as the
// hub servers report their links.
func leafSpread(events []sim.Event) map[string]int {
	on := map[string]string{}
	for _, ev := range events {
		if ev.Detail != sim.LeafSideHub || ev.Kind == sim.RunEnd {
			continue
		}
		switch ev.Kind {
		case sim.LeafUp:
			on[ev.Server] = ev.Target
		case sim.LeafDown:
			if on[ev.Server] == ev.Target {
				delete(on, ev.Server)
			}
		}
	}
	out := map[string]int{}
	for _, hub := range on {
		out[hub]++
	}
	return out
}
