package explore

import (
	"context"
	"path/filepath"
	"testing"

	"pgregory.net/rapid"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
)

// TestExplore replays the fail files `natschaos explore` saved in
// testdata/rapid/TestExplore (run from the repository root, it puts them
// there), with the command's default sizes, which they need to draw the
// same schedules. It draws nothing new: fresh exploration is the command's
// job (and TestExploreHealthyPasses's, in small). A failure is written to
// testdata/failing, where TestFailingScenarios keeps it as a regression.
func TestExplore(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "rapid", Name, Name+"-*.fail"))
	if len(files) == 0 {
		t.Skip("no saved fail files to replay")
	}
	if testing.Short() {
		t.Skip("replays real clusters")
	}
	res, err := Run(context.Background(), Options{ReplayOnly: true, Out: filepath.Join("testdata", "failing"), Progress: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Failure; f != nil {
		t.Fatalf("a saved schedule still fails: %v\n%s\n%s\nreplay: %s", f.Failed, f.Outcome.FailureText(""), f.YAML, f.Replay)
	}
}

// TestFailingScenarios runs every scenario file the explorer once wrote
// and someone kept under testdata/failing: each must pass once its bug is
// fixed, through the same code `natschaos run` uses.
func TestFailingScenarios(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "failing", "*.yaml"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if testing.Short() {
				t.Skip("runs a real cluster")
			}
			scenariotest.Run(t, f)
		})
	}
}

// TestDrawnSchedulesMakeSense checks the generator without running
// anything: every schedule validates (Schedule panics otherwise), survives
// the file round trip, keeps a server up, and draws nothing impossible.
func TestDrawnSchedulesMakeSense(t *testing.T) {
	drawn := map[string]bool{}
	schedules := 0
	defer func() {
		// Every action kind shows up over rapid's hundred schedules. Under
		// -short rapid draws twenty, where a rare kind (remove) can be
		// missing by chance: the plain run checks coverage.
		if schedules < 100 {
			t.Logf("%d schedules: too few to require every action kind", schedules)
			return
		}
		for _, k := range []string{"kill", "stop", "lame_duck", "restart", "start", "remove", "partition", "heal", "fault",
			"freeze", "join", "leave", "burst"} {
			if !drawn[k] && !t.Failed() {
				t.Errorf("no %s step drawn in any schedule", k)
			}
		}
	}()
	rapid.Check(t, func(rt *rapid.T) {
		schedules++
		cfg := Config{Servers: rapid.IntRange(2, 5).Draw(rt, "servers"), Clients: rapid.IntRange(2, 200).Draw(rt, "clients"), Steps: rapid.IntRange(1, 20).Draw(rt, "steps")}
		sc, text := Schedule(rt, cfg, 1)
		again, err := Marshal(sc)
		if err != nil || string(again) != string(text) {
			rt.Fatalf("round trip: %v\n%s\n---\n%s", err, text, again)
		}
		if sc.TotalClients() != cfg.Clients {
			rt.Fatalf("%d clients, want %d", sc.TotalClients(), cfg.Clients)
		}
		if n := Actions(sc); n > cfg.Steps {
			rt.Fatalf("%d actions, at most %d wanted", n, cfg.Steps)
		}
		state := map[string]string{}
		for _, n := range sc.ServerNames() {
			state[n] = "up"
		}
		partitioned := false
		present := map[string]int{}
		for _, g := range sc.Clients {
			present[g.Name] = g.Count
		}
		for i, st := range sc.Steps {
			drawn[st.Key()] = true
			srv := st.Server()
			switch a := st.Action.(type) {
			case *scenarios.Kill, *scenarios.Stop, *scenarios.LameDuck:
				if state[srv] != "up" {
					rt.Fatalf("step %d: %s of %s, which is %s", i+1, st.Key(), srv, state[srv])
				}
				state[srv] = "down"
			case *scenarios.Start:
				if state[srv] != "down" {
					rt.Fatalf("step %d: start of %s, which is %s", i+1, srv, state[srv])
				}
				state[srv] = "up"
			case *scenarios.Restart:
				state[srv] = "up"
			case *scenarios.Freeze:
				if state[srv] != "up" {
					rt.Fatalf("step %d: freeze of %s, which is %s", i+1, srv, state[srv])
				}
			case *scenarios.Partition:
				if partitioned {
					rt.Fatalf("step %d: a second partition", i+1)
				}
				partitioned = true
			case *scenarios.Heal:
				if !partitioned {
					rt.Fatalf("step %d: heal with nothing to heal", i+1)
				}
				partitioned = false
			case *scenarios.Remove:
				if state[srv] != "up" || partitioned {
					rt.Fatalf("step %d: remove of %s, which is %s (partitioned: %v)", i+1, srv, state[srv], partitioned)
				}
				delete(state, srv)
				if len(state) < 2 {
					rt.Fatalf("step %d: fewer than 2 servers left", i+1)
				}
			case *scenarios.Join:
				present[a.Group] += a.Count
			case *scenarios.Leave:
				present[a.Group] -= a.Count
				if present[a.Group] < 1 {
					rt.Fatalf("step %d: group %s left empty", i+1, a.Group)
				}
			case *scenarios.Fault:
				for _, s := range []string{a.Link.Server, a.Link.Peer} {
					if s != "" && state[s] != "up" {
						rt.Fatalf("step %d: fault on %s, which is %s", i+1, a.Link, state[s])
					}
				}
			}
			ups := 0
			for _, s := range state {
				if s == "up" {
					ups++
				}
			}
			if ups == 0 {
				rt.Fatalf("step %d leaves no server up", i+1)
			}
		}
	})
}
