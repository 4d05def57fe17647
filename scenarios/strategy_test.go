package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func TestStrategyValidation(t *testing.T) {
	for _, c := range []struct {
		group string
		want  string // "" means valid
	}{
		{`strategy: {kind: backoff_full_jitter, base: 50ms, cap: 2s}`, ""},
		{`strategy: rebalance`, ""},
		{`strategy: {kind: lame_duck_move, max_delay: 500ms}`, ""},
		{`strategy: {kind: rebalanse}`, `10:22: clients[0].strategy.kind: unknown strategy "rebalanse"; did you mean "rebalance"?`},
		{`strategy: {base: 1s}`, `10:5: clients[0].strategy: kind is required (one of backoff_full_jitter, jittered_failover, lame_duck_move, rebalance)`},
		{`strategy: {kind: lame_duck_move, base: 1s}`, `10:38: clients[0].strategy.base: a lame_duck_move strategy takes no base`},
		{`strategy: {kind: backoff_full_jitter, base: 2s, cap: 1s}`, `10:58: clients[0].strategy.cap (1s) must not be below base (2s)`},
		{`strategy: {kind: jittered_failover, max_delay: -1s}`, `clients[0].strategy.max_delay must be positive`},
		{`strategy: {kind: rebalance, max_dlay: 1s}`, `unknown key "max_dlay"`},
	} {
		src := head + "clients:\n  - name: c\n    " + c.group + "\n"
		got := strings.Join(problemsOf(t, src), "\n")
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.group, got, c.want)
		}
	}
}

func TestExpectedVerdictValidation(t *testing.T) {
	if got := problemsOf(t, head+"expected_verdict: fail\n"); got != nil {
		t.Errorf("fail: %v", got)
	}
	got := strings.Join(problemsOf(t, head+"expected_verdict: failed\n"), "\n")
	if !strings.Contains(got, `8:19: expected_verdict: unknown verdict "failed"; did you mean "fail"?`) {
		t.Errorf("failed: %q", got)
	}
	got = strings.Join(problemsOf(t, head+"expected_verdict: error\n"), "\n")
	if !strings.Contains(got, `unknown verdict "error"`) {
		t.Errorf("error: %q", got)
	}
}

// The file's strategy reaches the engine with its defaults and the run's
// seed.
func TestStrategyMapping(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(head+"clients:\n  - name: c\n    strategy: backoff_full_jitter\n  - name: d\n"))
	if err != nil {
		t.Fatal(err)
	}
	groups := groupSpecs(sc, 1)
	seedStrategies(sc, groups, 42)
	want := sim.Strategy{Kind: sim.StrategyBackoffFullJitter, Base: DefaultStrategyBase, Cap: DefaultStrategyCap, MaxDelay: DefaultStrategyMaxDelay, Seed: 42}
	if groups[0].Options.Strategy != want {
		t.Errorf("c: %+v, want %+v", groups[0].Options.Strategy, want)
	}
	if groups[1].Options.Strategy != (sim.Strategy{}) {
		t.Errorf("d has no strategy, got %+v", groups[1].Options.Strategy)
	}
	if DefaultStrategyCap < DefaultStrategyBase || DefaultStrategyMaxDelay <= 0 || DefaultStrategyBase < time.Millisecond {
		t.Error("defaults out of order")
	}
}
