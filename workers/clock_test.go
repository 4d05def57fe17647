package workers

import (
	"testing"
	"time"
)

func TestRunStartFromTheWelcome(t *testing.T) {
	now := time.Now()
	runStarted := now.Add(-10 * time.Second) // the runner's start, wall clock
	for _, c := range []struct {
		name    string
		delay   time.Duration // how long the welcome took to arrive
		skew    time.Duration // how far the runner's wall clock is ahead
		noStart bool
		remote  bool
		want    time.Duration // the start's error: found minus true
	}{
		{name: "same machine, prompt", delay: 200 * time.Microsecond, want: 0},
		{name: "same machine, welcome 300 ms late under load", delay: 300 * time.Millisecond, want: 0},
		{name: "no wall clock sent (an older runner)", delay: 5 * time.Millisecond, noStart: true, want: 5 * time.Millisecond},
		{name: "another machine, wall clock 300 ms behind: Elapsed", delay: 2 * time.Millisecond, skew: -300 * time.Millisecond, remote: true, want: 2 * time.Millisecond},
	} {
		m := message{Elapsed: now.Sub(runStarted) - c.delay}
		if !c.noStart {
			m.Start = runStarted.Add(c.skew).UnixNano()
		}
		got := runStart(now, m, !c.remote).Sub(runStarted)
		if d := got - c.want; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("%s: start off by %v, want %v", c.name, got, c.want)
		}
	}
}
