package lab

import (
	"context"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
)

// Each shipped strategy the built-ins do not already pit against doing
// nothing, through the lab on a real cluster: the improvement must show.
func TestLabStrategiesBeatDoingNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real clusters")
	}
	axes := func(flags ...string) []scenarios.Axis {
		var out []scenarios.Axis
		for _, f := range flags {
			a, err := scenarios.ParseAxis(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, a)
		}
		return out
	}
	// The whole cluster comes back; without jitter its clients return at
	// once, full-jitter backoff spreads them.
	c, err := Run(context.Background(), "herd-cluster-restart", Options{Axes: axes("strategy=none,backoff_full_jitter", "option.reconnect_jitter=0s"), Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	none, backoff := c.Rows[0], c.Rows[1]
	if backoff.PeakChange == nil || *backoff.PeakChange > -0.25 || none.Stranded+backoff.Stranded != 0 {
		t.Errorf("backoff_full_jitter: peak %v → %v (%s), stranded %d/%d", none.Peak, backoff.Peak, backoff.Improvement, none.Stranded, backoff.Stranded)
	}
	t.Log(backoff.Improvement)

	// A lame-duck server spreads its closes over ~1.9s; clients reacting
	// to the notice within 500ms are all gone well before.
	c, err = Run(context.Background(), "herd-lame-duck", Options{Axes: axes("strategy=none,lame_duck_move", "strategy.max_delay=500ms"), Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	none, move := c.Rows[0], c.Rows[1]
	if move.BackChange == nil || *move.BackChange > -0.25 || move.Stranded != 0 {
		t.Errorf("lame_duck_move: all back %v → %v (%s), stranded %d", none.AllBack, move.AllBack, move.Improvement, move.Stranded)
	}
	t.Log(move.Improvement)
}
