//go:build !mutation

package assert_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
)

// runJS runs a JetStream property scenario with the engine's spec
// adjusted (a planted defect) and the scenario adjusted, and returns the
// verdict of property.
func runJS(t *testing.T, file, property string, plant func(*sim.JetStreamSpec), adjust func(*scenarios.Scenario)) (assert.Result, *scenarios.Outcome) {
	t.Helper()
	sc, err := scenarios.Load(filepath.Join("testdata", "properties", file))
	if err != nil {
		t.Fatal(err)
	}
	if adjust != nil {
		adjust(sc)
	}
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: scenariotest.OutDir(t, sc.Name), JetStream: plant})
	if o.Err != nil {
		t.Fatalf("run error: %v\nreplay: %s", o.Err, o.Replay)
	}
	for _, r := range o.Results {
		if r.Name == property {
			return r, o
		}
	}
	t.Fatalf("no %s verdict in %+v", property, o.Results)
	return assert.Result{}, o
}

// js_no_loss on a real cluster whose stream leader is killed: it holds for
// a sound publisher, and fails for one that reports acks for messages it
// never sent (every 50th), with exactly those sequences as evidence,
// missing both from the stream and from the durable.
func TestJSNoLossOnRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	t.Run("sound publisher holds", func(t *testing.T) {
		t.Parallel() // its own cluster and ports; it waits out elections
		r, o := runJS(t, "js-noloss-kill-leader.yaml", "js_no_loss", nil, nil)
		if r.Verdict != assert.Pass {
			t.Fatalf("%s: %s\n%s\nreplay: %s", r.Verdict, r.Evidence, strings.Join(r.Details, "\n"), o.Replay)
		}
		t.Logf("%s: %s", r.Verdict, r.Evidence)
	})
	t.Run("phantom acks fail", func(t *testing.T) {
		t.Parallel()
		const every = 50
		plant := func(s *sim.JetStreamSpec) { s.Publishers[0].Defect.PhantomAckEvery = every }
		r, o := runJS(t, "js-noloss-kill-leader.yaml", "js_no_loss", plant, nil)
		if r.Verdict != assert.Fail {
			t.Fatalf("%s: %s\nreplay: %s", r.Verdict, r.Evidence, o.Replay)
		}
		if want := "w-0: acknowledged seq 50 missing from stream ORDERS (middle)"; !strings.HasPrefix(r.Evidence, want) {
			t.Errorf("evidence %q, want it to begin %q", r.Evidence, want)
		}
		d, ok := r.Data.(assert.JSLossData)
		if !ok {
			t.Fatalf("data %T", r.Data)
		}
		events, err := sim.ReadEventsFile(filepath.Join(o.Out, "events.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		var end uint64
		for _, ev := range events {
			if ev.Kind == sim.JSPublishEnd {
				end = ev.Seq
			}
		}
		phantoms := end / every
		if phantoms < 2 || d.LostStored != phantoms || d.Undelivered != phantoms {
			t.Fatalf("%d sequences published, %d phantom acks; lost from the stream %d, undelivered %d", end, phantoms, d.LostStored, d.Undelivered)
		}
		for _, g := range d.Gaps {
			if g.First != g.Last || g.First%every != 0 || g.Publisher != "w-0" ||
				!(g.Position == "middle" || g.Position == "suffix" && g.First == end) ||
				!(g.Where == "stream ORDERS" || g.Where == "consumer proc") {
				t.Errorf("unexpected gap %+v", g)
			}
		}
		t.Logf("%s: %s", r.Verdict, r.Evidence)
	})
}

// js_no_duplicates on a real cluster: a client that republishes acked
// messages with the same id 300ms later is absorbed by the stream's duplicate window,
// and is stored twice once the window is shorter than its retry.
func TestJSNoDuplicatesOnRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	plant := func(s *sim.JetStreamSpec) {
		s.Publishers[0].Defect.RetryAckedEvery = 25
		s.Publishers[0].Defect.RetryAfter = 300 * time.Millisecond
	}
	t.Run("within the window holds", func(t *testing.T) {
		r, o := runJS(t, "js-duplicates-window.yaml", "js_no_duplicates", plant, nil)
		if r.Verdict != assert.Pass {
			t.Fatalf("%s: %s\nreplay: %s", r.Verdict, r.Evidence, o.Replay)
		}
		t.Logf("%s: %s", r.Verdict, r.Evidence)
	})
	t.Run("after the window fails", func(t *testing.T) {
		short := func(sc *scenarios.Scenario) { sc.JetStream.Streams[0].DuplicateWindow = 100 * time.Millisecond }
		r, o := runJS(t, "js-duplicates-window.yaml", "js_no_duplicates", plant, short)
		if r.Verdict != assert.Fail || !strings.HasPrefix(r.Evidence, "stream ORDERS holds w-0 seq 25, 50, ") {
			t.Fatalf("%s: %s\nreplay: %s", r.Verdict, r.Evidence, o.Replay)
		}
		t.Logf("%s: %s", r.Verdict, r.Evidence)
	})
}
