package extend_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/explore"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/sim"
)

// bounce is a step declared outside the scenarios package, all in this
// file: `bounce: {server: B, pause: 200ms}` stops a server and starts it
// again after the pause. It shows that a new step is one file.
type bounce struct {
	Server string        `yaml:"server"`
	Pause  time.Duration `yaml:"pause"`

	Pos scenarios.Pos `yaml:"-"`
}

func init() {
	scenarios.RegisterStep[bounce]("bounce", "Stop a server and start it again after a pause.")
}

// maxPause is bounce's own rule, checked at the pause's line:col.
const maxPause = 5 * time.Second

func (b *bounce) Validate(c *scenarios.StepValidator) {
	if b.Server == "" && !c.Failed(&b.Server) {
		c.Errorf(b.Pos, "%s.server is required", c.Where())
	} else if b.Server != "" {
		c.Server(&b.Server, c.Where()+".server")
	}
	c.Positive(&b.Pause, c.Where()+".pause")
	if b.Pause > maxPause {
		c.Errorf(c.At(&b.Pause), "%s.pause must be at most %v, got %v", c.Where(), maxPause, b.Pause)
	}
}

func (b *bounce) Run(ctx context.Context, env *scenarios.StepEnv) error {
	if err := env.Cluster().Stop(b.Server); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(b.Pause):
	}
	if err := env.Cluster().Start(b.Server); err != nil {
		return fmt.Errorf("%s: %w", env.Where(b.Pos), err)
	}
	env.Notef("bounced %s after %v", b.Server, b.Pause)
	return nil
}

func (b *bounce) Describe() string { return fmt.Sprintf("bounce: %s for %v", b.Server, b.Pause) }

func (b *bounce) Marshal(*scenarios.Scenario) any {
	return map[string]any{"server": b.Server, "pause": b.Pause.String()}
}

const bounceScenario = `name: bounce
cluster:
  servers: [A, B]
clients:
  - name: subs
    count: 6
    options: {reconnect_wait: 100ms, max_reconnects: -1}
    subscribe: [">"]
steps:
  - wait: mesh
  - bounce: {server: B, pause: 200ms}
  - wait: {until: connected, timeout: 10s}
  - wait: {until: mesh, timeout: 10s}
expect:
  mesh: {within: 5s}
  reconnect: {max: 5s}
`

func TestCustomStepValidates(t *testing.T) {
	bad := strings.Replace(bounceScenario, "bounce: {server: B, pause: 200ms}", "bounce: {server: Z, pause: 1m, paws: 1s}", 1)
	_, err := scenarios.Parse("bounce.yaml", []byte(bad))
	want := []string{
		`bounce.yaml:11:22: steps[1].bounce.server: unknown server "Z" (declared: A, B)`,
		`bounce.yaml:11:32: steps[1].bounce.pause must be at most 5s, got 1m0s`,
		`bounce.yaml:11:36: unknown key "paws" in steps[1].bounce (known keys: server, pause)`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	_, err = scenarios.Parse("bounce.yaml", []byte(strings.Replace(bounceScenario, "pause: 200ms", "pause: soon", 1)))
	if err == nil || !strings.Contains(err.Error(), "bounce.yaml:11:32: steps[1].bounce.pause: invalid duration") {
		t.Errorf("a pause that is no duration: %v", err)
	}
}

func TestCustomStepRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real cluster")
	}
	sc, err := scenarios.Parse("bounce.yaml", []byte(bounceScenario))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := explore.Marshal(sc); err != nil || !strings.Contains(string(out), "- bounce:") {
		t.Errorf("marshal: %v\n%s", err, out)
	}
	out := t.TempDir()
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{Out: out})
	if o.Err != nil || o.Verdict != scenarios.VerdictPass {
		t.Fatalf("verdict %s, err %v: %+v", o.Verdict, o.Err, o.Results)
	}
	data, err := os.ReadFile(filepath.Join(out, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var stopped, started bool
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var ev sim.Event
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatal(err)
		}
		switch {
		case ev.Kind == sim.ServerStop && ev.Server == "B":
			stopped = true
		case ev.Kind == sim.ServerStart && ev.Server == "B" && stopped:
			started = true
		}
	}
	want := "step 2 (bounce: B for 200ms): bounced B after 200ms"
	if !stopped || !started || !slices.Contains(o.Notes, want) {
		t.Errorf("B stopped %v, started again %v; notes %q, want %q", stopped, started, o.Notes, want)
	}
	for _, r := range o.Results {
		if r.Verdict != assert.Pass {
			t.Errorf("%s: %s %s", r.Name, r.Verdict, r.Evidence)
		}
	}
}
