package scenarios

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// The leaf built-ins to be, each run as a scenario and its leaf
// properties judged from its timeline (the expect: section takes them
// once the scenario format decodes properties from assert's registry).
var leafBuiltins = []struct {
	file  string
	runs  int
	judge []leafJudgement
}{
	{"leaf-herd-hub-restart.yaml", 3, []leafJudgement{
		{assert.Expectation{Name: "leaf_herd", Params: assert.LeafHerdParams{Window: 200 * time.Millisecond, MaxPerServer: 20}}, assert.Fail, "leaf links in 200ms from"},
		{assert.Expectation{Name: "leaf_reconnect", Params: assert.LeafReconnectParams{Max: 10 * time.Second}}, assert.Pass, "leaf reconnects of"},
	}},
	{"leaf-interest-reset.yaml", 1, []leafJudgement{
		{assert.Expectation{Name: "interest", Params: assert.InterestParams{Within: 2 * time.Second}}, assert.Pass, "messages flowed again within 2s after 2 heals on 4 pairs"},
		{assert.Expectation{Name: "leaf_reconnect", Params: assert.LeafReconnectParams{Max: 3 * time.Second}}, assert.Pass, "1 leaf reconnects of 1 leaves"},
	}},
	{"leaf-hub-rolling-upgrade.yaml", 1, []leafJudgement{
		{assert.Expectation{Name: "leaf_reconnect", Params: assert.LeafReconnectParams{Max: 5 * time.Second}}, assert.Pass, "leaf reconnects of"},
	}},
}

type leafJudgement struct {
	exp      assert.Expectation
	want     assert.Verdict
	evidence string
}

func TestLeafBuiltinsReachTheirVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers")
	}
	for _, b := range leafBuiltins {
		t.Run(strings.TrimSuffix(b.file, ".yaml"), func(t *testing.T) {
			sc, err := Load(filepath.Join("testdata", "leaf", b.file))
			if err != nil {
				t.Fatal(err)
			}
			for run := 1; run <= b.runs; run++ {
				out := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%d", sc.Name, run))
				o := Execute(context.Background(), sc, Options{Out: out})
				if o.Err != nil {
					t.Fatalf("run %d: %v", run, o.Err)
				}
				events, err := sim.ReadEventsFile(filepath.Join(out, "events.jsonl"))
				if err != nil {
					t.Fatal(err)
				}
				for _, j := range b.judge {
					r := assert.Evaluate([]assert.Expectation{j.exp}, events)[0]
					t.Logf("run %d: %s %s: %s", run, r.Name, r.Verdict, r.Evidence)
					if r.Verdict != j.want || !strings.Contains(r.Evidence, j.evidence) {
						t.Errorf("run %d: %s %s (%s), want %s with %q\nreplay: %s", run, r.Name, r.Verdict, r.Evidence, j.want, j.evidence, o.Replay)
					}
				}
				if b.file == "leaf-hub-rolling-upgrade.yaml" {
					// Measured: a leaf redials the next URL of its list,
					// so each restart passes its leaves on, and they end
					// piled on one hub server (as clients drift).
					on := leafSpread(events)
					t.Logf("leaves end on %v", on)
					if len(on) != 1 {
						t.Errorf("leaves end on %v, want all on one hub server (the drift measured)", on)
					}
				}
			}
		})
	}
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
