package scenarios_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
)

func events(t *testing.T, dir string) []sim.Event {
	t.Helper()
	evs, err := sim.ReadEventsFile(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// starts lists "server=version" for every server start, in order.
func starts(evs []sim.Event) string {
	var out []string
	for _, ev := range evs {
		if ev.Kind == sim.ServerStart {
			out = append(out, ev.Server+"="+ev.Version)
		}
	}
	return strings.Join(out, " ")
}

func verdicts(o *scenarios.Outcome) map[string]assert.Verdict {
	out := map[string]assert.Verdict{}
	for _, r := range o.Results {
		out[r.Name] = r.Verdict
	}
	return out
}

// The docs' rotation across two releases: A, B and C on v2.14.9 (nats-server
// processes), A and B back on v2.15.3 (embedded). The cluster runs both
// releases at once from A's restart to B's, meshes, and passes discovery,
// mesh, reconnect and no silent loss.
func TestUpgradeAcrossReleases(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nats-server processes")
	}
	dir := t.TempDir()
	o := scenariotest.Run(t, "upgrade", scenarios.Options{Out: dir})
	wantPass(t, o, "mesh", "discovery", "reconnect", "no_loss", "no_duplicates")
	cur := "v" + sim.EmbeddedVersion
	want := "A=v2.14.9 B=v2.14.9 C=v2.14.9 A=" + cur + " B=" + cur
	if got := starts(events(t, dir)); got != want {
		t.Errorf("starts:\n got %s\nwant %s", got, want)
	}
	for _, name := range []string{"A", "B", "C"} {
		data, err := os.ReadFile(filepath.Join(dir, "servers", name+".log"))
		if err != nil || !bytes.Contains(data, []byte("Version:  2.14.9")) {
			t.Errorf("%s's log in the output folder: %v", name, err)
		}
	}
}

// Back one patch release: embedded v2.15.3 to processes of v2.15.2.
func TestDowngradeOnePatch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nats-server processes")
	}
	dir := t.TempDir()
	o := scenariotest.Run(t, "downgrade", scenarios.Options{Out: dir})
	wantPass(t, o, "mesh", "discovery", "reconnect", "no_loss", "no_duplicates")
	cur := "v" + sim.EmbeddedVersion
	want := "A=" + cur + " B=" + cur + " C=" + cur + " A=v2.15.2 B=v2.15.2"
	if got := starts(events(t, dir)); got != want {
		t.Errorf("starts:\n got %s\nwant %s", got, want)
	}
}

// Parity: the same scenario and seed, on embedded servers and on
// nats-server processes of the same release, reach the same verdict for
// every property (the numbers may differ).
func TestProcessParity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nats-server processes")
	}
	seed := int64(20261126)
	embedded := scenariotest.Run(t, "rolling-upgrade", scenarios.Options{Seed: &seed, Out: t.TempDir()})
	procDir := t.TempDir()
	process := scenariotest.Run(t, "rolling-upgrade", scenarios.Options{
		Seed: &seed, Out: procDir,
		Backends: []sim.Backend{sim.Process{AllVersions: true}},
	})
	if embedded.Verdict != process.Verdict {
		t.Errorf("verdict: embedded %s, process %s", embedded.Verdict, process.Verdict)
	}
	ve, vp := verdicts(embedded), verdicts(process)
	if len(ve) != len(vp) {
		t.Errorf("properties: embedded %v, process %v", ve, vp)
	}
	for name, v := range ve {
		// A warning is a measurement reported, not a verdict: balance
		// may land on either side of its bound on either backend.
		if v != vp[name] && v != assert.Warn && vp[name] != assert.Warn {
			t.Errorf("%s: embedded %s, process %s", name, v, vp[name])
		}
		t.Logf("%s: embedded %s, process %s", name, v, vp[name])
	}
	// The process run really ran processes: each server left a log.
	for _, name := range []string{"A", "B", "C"} {
		if _, err := os.Stat(filepath.Join(procDir, "servers", name+".log")); err != nil {
			t.Errorf("no process log for %s: %v", name, err)
		}
	}
}

// A release that does not exist stops the run before anything starts, as
// an infrastructure error (exit 3) that names it.
func TestMissingReleaseFailsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("calls the Go toolchain")
	}
	_, data, err := scenarios.Builtin("upgrade")
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("version: v2.14.9"), []byte("version: v2.99.99"))
	sc, err := scenarios.Parse("missing.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cache := t.TempDir()
	t.Setenv(sim.CacheEnv, cache)
	o := scenarios.Execute(t.Context(), sc, scenarios.Options{Out: t.TempDir()})
	if o.Verdict != scenarios.VerdictError || o.Err == nil ||
		!strings.Contains(o.Err.Error(), "v2.99.99") {
		t.Fatalf("verdict %s, err %v", o.Verdict, o.Err)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %v to fail", took)
	}
	t.Logf("failed in %v: %v", time.Since(start).Round(time.Millisecond), o.Err)
}

// A frozen process server is really stopped (SIGSTOP) while the freeze
// lasts, on top of the fault layer holding its links, and runs again when
// the freeze ends: clients with fast pings leave it, and the run ends
// cleanly (a server left stopped could not shut down gracefully).
func TestFreezeSuspendsAProcessServer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real nats-server processes")
	}
	sc, err := scenarios.Parse("freeze-process.yaml", []byte(`
name: freeze-process
timeout: 1m
cluster:
  servers: [{name: A}, {name: B}]
clients:
  - name: c
    count: 20
    servers: [A]
    options: {ping_interval: 200ms, max_pings_out: 2, reconnect_wait: 50ms, max_reconnects: -1}
    subscribe: [">"]
steps:
  - wait: {until: discovered, timeout: 10s}
  - freeze: {server: A, duration: 1500ms}
  - wait: {until: connected, timeout: 5s}
  - sleep: 1s
  - wait: {until: mesh, timeout: 10s}
expect:
  reconnect: {max: 3s}
`))
	if err != nil {
		t.Fatal(err)
	}
	var stoppedSeen atomic.Bool
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{
		Out:      t.TempDir(),
		Backends: []sim.Backend{sim.Process{AllVersions: true}},
		Progress: func(s scenarios.Status) {
			if strings.HasPrefix(s.StepText, "wait: connected") && anyProcessStopped() {
				stoppedSeen.Store(true)
			}
		},
	})
	if o.Verdict != scenarios.VerdictPass {
		t.Fatalf("verdict %s (%v): %+v", o.Verdict, o.Err, o.Results)
	}
	if !stoppedSeen.Load() {
		t.Error("no nats-server process was seen stopped (state T) during the freeze")
	}
}

// anyProcessStopped says whether some nats-server child of this process is
// stopped by a signal (state T in /proc).
func anyProcessStopped() bool {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil || !strings.Contains(string(b), "(nats-server)") {
			continue
		}
		fields := strings.Fields(string(b)[strings.LastIndex(string(b), ")")+1:])
		if len(fields) > 1 && fields[0] == "T" && fields[1] == strconv.Itoa(os.Getpid()) {
			return true
		}
	}
	return false
}

// wantPass checks that each named property passed.
func wantPass(t *testing.T, o *scenarios.Outcome, props ...string) {
	t.Helper()
	v := verdicts(o)
	for _, p := range props {
		if v[p] != assert.Pass {
			t.Errorf("%s: %s", p, v[p])
		}
	}
}
