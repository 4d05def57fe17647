//go:build !mutation

package assert_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
)

// Every property on real clusters: one scenario where it must FAIL for a
// real reason, one where it must HOLD. The scenarios are files under
// testdata/properties, each saying why in its first comment. A case with
// sameRunAs is judged on the timeline of that earlier case's run: its file
// differs from that one in name, comments and expect only, so the two
// verdicts come from one real run judged two ways.
var propertyCases = []struct {
	file      string
	property  string
	want      assert.Verdict
	evidence  string // a substring the evidence must contain
	sameRunAs string
}{
	{"discovery-ignored.yaml", "discovery", assert.Fail, "does not know [B", ""},
	{"discovery-gossip.yaml", "discovery", assert.Pass, "", ""},
	// Clients that can never learn the others, and clients that connect
	// after the last membership change: each connection opens a window.
	{"discovery-no-advertise.yaml", "discovery", assert.Fail, "on A does not know [B C]", ""},
	{"discovery-late-joiners.yaml", "discovery", assert.Fail, "within 1s for late-", ""},
	// A property whose subjects never appear fails as vacuous.
	{"noloss-no-publisher.yaml", "no_loss", assert.Fail, "vacuous: no publisher", ""},
	{"herd-no-reconnection.yaml", "herd", assert.Fail, "vacuous: no client reconnected", ""},
	{"balance-no-randomize.yaml", "balance", assert.Fail, "skew", ""},
	{"balance-killed-spread.yaml", "balance", assert.Pass, "", ""},
	{"noloss-slow-consumer.yaml", "no_loss", assert.Fail, "slow consumer", ""},
	{"noloss-slow-consumer-allowed.yaml", "no_loss", assert.Pass, "", "noloss-slow-consumer.yaml"},
	{"noloss-self-restart.yaml", "no_loss", assert.Pass, "", ""},
	{"noloss-freeze-thaw.yaml", "no_loss", assert.Pass, "", ""},
	{"noloss-partition.yaml", "no_loss", assert.Pass, "", ""},
	{"noloss-partition-strict.yaml", "no_loss", assert.Fail, "explained", "noloss-partition.yaml"},
	{"noloss-burst-slow-consumer.yaml", "no_loss", assert.Fail, "slow_consumer", ""},
	{"noloss-churn.yaml", "no_loss", assert.Pass, "", ""},
	{"herd-kill.yaml", "herd", assert.Fail, "", ""},
	{"herd-lame-duck.yaml", "herd", assert.Pass, "", ""},
	{"freeze-default-pings.yaml", "reconnect", assert.Fail, "wait for connected timed out", ""},
	{"freeze-fast-pings.yaml", "reconnect", assert.Pass, "", ""},
	{"mesh-stall.yaml", "mesh", assert.Fail, "", ""},
	{"mesh-close.yaml", "mesh", assert.Pass, "", ""},
	{"reconnect-stranded.yaml", "reconnect", assert.Fail, "", ""},
	{"reconnect-failover.yaml", "reconnect", assert.Pass, "", ""},
	// Failover duplicates always, which the plain contract fails on and
	// allow_failover accepts.
	{"duplicates-migration.yaml", "no_duplicates", assert.Fail, "duplicates from pubs-", ""},
	{"duplicates-migration-failover.yaml", "no_duplicates", assert.Pass, "explained by subscribers' failovers", "duplicates-migration.yaml"},
	{"lists-configured-pruned.yaml", "server_lists", assert.Fail, "still lists A", ""},
	{"lists-discovered-pruned.yaml", "server_lists", assert.Pass, "", ""},
	{"auth-gain.yaml", "auth_consistent", assert.Fail, "admin.x on B", ""},
	{"auth-same.yaml", "auth_consistent", assert.Pass, "all refused (by [A B])", ""},
}

func TestPropertiesOnRealClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	// run runs a file once: a case judged on another file's run reuses it,
	// or runs it when a -run pattern left that case out. The timeline is
	// kept in memory: the run's folder goes with its subtest.
	type ran struct {
		o      *scenarios.Outcome
		events []sim.Event
	}
	runs := map[string]ran{}
	run := func(t *testing.T, file string) (*scenarios.Outcome, []sim.Event) {
		t.Helper()
		if r, ok := runs[file]; ok {
			return r.o, r.events
		}
		sc, err := scenarios.Load(filepath.Join("testdata", "properties", file))
		if err != nil {
			t.Fatal(err)
		}
		o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: scenariotest.OutDir(t, sc.Name)})
		if o.Err != nil {
			t.Fatalf("run error: %v", o.Err)
		}
		events, err := sim.ReadEventsFile(filepath.Join(o.Out, "events.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		runs[file] = ran{o, events}
		return o, events
	}
	for _, c := range propertyCases {
		t.Run(strings.TrimSuffix(c.file, ".yaml"), func(t *testing.T) {
			var got *assert.Result
			var replay string
			if c.sameRunAs != "" {
				path := filepath.Join("testdata", "properties", c.file)
				sameScenarioApartFromExpect(t, path, filepath.Join("testdata", "properties", c.sameRunAs))
				sc, err := scenarios.Load(path)
				if err != nil {
					t.Fatal(err)
				}
				o, events := run(t, c.sameRunAs)
				exp := assert.Expectation{Name: c.property, Params: sc.Expect.ParamsFor(scenarios.Property(c.property))}
				got = &assert.Evaluate([]assert.Expectation{exp}, events)[0]
				replay = o.Replay + " (judged by " + c.file + "'s expect)"
			} else {
				o, _ := run(t, c.file)
				// The first failure of the property (a wait that timed out
				// comes before the final verdicts), else its last verdict.
				for i := range o.Results {
					if r := &o.Results[i]; r.Name == c.property && (got == nil || got.Verdict != assert.Fail) {
						got = r
					}
				}
				replay = o.Replay
			}
			if got == nil {
				t.Fatalf("no %s verdict", c.property)
			}
			if got.Verdict != c.want || !strings.Contains(got.Evidence, c.evidence) {
				t.Fatalf("%s: %s (%s), want %s with %q\ndetails: %s\nreplay: %s",
					c.property, got.Verdict, got.Evidence, c.want, c.evidence, strings.Join(got.Details, "\n  "), replay)
			}
			t.Logf("%s %s: %s", c.property, got.Verdict, got.Evidence)
		})
	}
}

// sameScenarioApartFromExpect fails the test unless the two files are the
// same scenario once comments, the name line and the expect section (the
// last) are left out.
func sameScenarioApartFromExpect(t *testing.T, a, b string) {
	t.Helper()
	body := func(path string) string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "expect:") {
				break
			}
			if !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "name:") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n")
	}
	if body(a) != body(b) {
		t.Fatalf("%s and %s differ beyond name, comments and expect: one run cannot judge both", a, b)
	}
}

// no_duplicates and ordered cannot be made to fail by core NATS on demand,
// so these plant a known-bad publisher (a naive retry, a reordering
// buffer) in an otherwise real cluster and fleet.
func TestDuplicatesAndOrderOnRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	for _, c := range []struct {
		name     string
		defect   sim.PublishDefect
		property string
		params   any
		want     assert.Verdict
	}{
		{"retrying publisher", sim.PublishDefect{RepeatEvery: 50}, "no_duplicates", nil, assert.Fail},
		{"healthy publisher", sim.PublishDefect{}, "no_duplicates", nil, assert.Pass},
		// Duplicates with no failover of the subscriber are silent:
		// allowing failover duplicates does not excuse them.
		{"retrying publisher, failovers allowed", sim.PublishDefect{RepeatEvery: 50}, "no_duplicates",
			assert.NoDuplicatesParams{AllowFailover: true}, assert.Fail},
		{"reordering publisher", sim.PublishDefect{SwapEvery: 40}, "ordered", nil, assert.Fail},
		{"healthy publisher", sim.PublishDefect{}, "ordered", nil, assert.Pass},
	} {
		t.Run(c.property+"/"+c.name, func(t *testing.T) {
			events := runFleet(t, c.defect)
			res := assert.Evaluate([]assert.Expectation{{Name: c.property, Params: c.params}}, events)[0]
			if res.Verdict != c.want {
				t.Fatalf("%s: %s (%s), want %s", c.property, res.Verdict, res.Evidence, c.want)
			}
			t.Logf("%s: %s", res.Verdict, res.Evidence)
		})
	}
}

func runFleet(t *testing.T, defect sim.PublishDefect) []sim.Event {
	t.Helper()
	tl := sim.NewTimeline()
	layer := faults.New(tl, faults.Options{})
	defer layer.Close()
	c, err := sim.NewCluster(sim.ClusterSpec{Servers: []sim.ServerSpec{{Name: "A"}, {Name: "B"}}}, tl, layer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartAll(); err != nil {
		t.Fatal(err)
	}
	f, err := sim.NewFleet(c, tl, []sim.GroupSpec{
		{Name: "subs", Count: 3, Subscribe: []sim.Subscription{{Subject: "d.>"}}},
		{Name: "pubs", Count: 1, Publish: &sim.Publish{Subject: "d.{client}", Rate: 1000, Size: 32, Defect: defect}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "400 messages published", func() bool { return published(tl) >= 400 })
	f.StopPublishing()
	f.Quiesce(200*time.Millisecond, 5*time.Second)
	f.Close()
	return tl.Events()
}

func published(tl *sim.Timeline) uint64 {
	var n uint64
	for _, ev := range tl.Events() {
		if ev.Kind == sim.PublishProgress && ev.Seq > n {
			n = ev.Seq
		}
	}
	return n
}
