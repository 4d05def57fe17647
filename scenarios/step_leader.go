package scenarios

import (
	"context"
	"fmt"
	"strings"
	"time"
)

func init() {
	RegisterStep[LeaderStep]("leader", "Kill, stop, lame-duck, restart or isolate the server leading a JetStream stream when the step runs.")
}

// LeaderStep acts on the server that leads a stream when the step runs:
// the runner asks the cluster, records the answer on the timeline
// (js_leader), then acts. `leader: {stream: ORDERS, do: kill}`.
type LeaderStep struct {
	Stream string       `yaml:"stream" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Do     LeaderAction `yaml:"do" jsonschema:"required"`
	// RestartAfter (kill, stop, lame_duck) starts the same server again
	// that long after (after lame duck ends, at the earliest); the step
	// returns once it runs.
	RestartAfter time.Duration `yaml:"restart_after" jsonschema_description:"kill, stop, lame_duck: start the same server again after this long."`
	// Duration, Mode and Name are isolate's, as a partition's.
	Duration time.Duration `yaml:"duration" jsonschema_description:"isolate: heal after this long; absent: a heal step does."`
	Mode     PartitionMode `yaml:"mode" jsonschema_description:"isolate: close (default) or stall."`
	Name     string        `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"isolate: name for heal."`
	Timeout  time.Duration `yaml:"timeout" jsonschema_description:"How long to wait for the stream to have a leader (default 30s)."`

	Pos Pos `yaml:"-"`
}

// Validate checks the stream and the action's parameters; isolate counts
// as a partition for heal.
func (l *LeaderStep) Validate(c *StepValidator) {
	v, sc, step, where := c.v, c.sc, c.index, c.where
	js := v.s.JetStream
	switch {
	case l.Stream == "" && !v.failed(&l.Stream):
		v.add(l.Pos, "%s.stream is required: the stream whose leader to act on", where)
	case l.Stream == "":
	case js == nil:
		v.add(v.at(&l.Stream, l.Pos), "%s.stream: no jetstream section declares stream %q", where, l.Stream)
	case !oneOf(l.Stream, streamNames(js)):
		v.add(v.at(&l.Stream, l.Pos), "%s.stream: unknown stream %q%s", where, l.Stream, didYouMean(l.Stream, streamNames(js)))
	}
	if l.Do == "" && !v.failed(&l.Do) {
		v.add(l.Pos, "%s.do is required: one of %s", where, strings.Join(strs(LeaderActions), ", "))
	}
	enum(v, &l.Do, where+".do", "leader action", LeaderActions, l.Pos)
	v.positive(&l.Timeout, where+".timeout", l.Pos)
	v.positive(&l.RestartAfter, where+".restart_after", l.Pos)
	v.positive(&l.Duration, where+".duration", l.Pos)
	enum(v, &l.Mode, where+".mode", "partition mode", PartitionModes, l.Pos)
	onlyFor := func(given bool, field any, key string, actions ...LeaderAction) {
		if given && l.Do != "" && !oneOf(l.Do, actions) {
			v.add(v.keyAt(field, l.Pos), "%s.%s applies to do: %s, not %s", where, key, strings.Join(strs(actions), " or "), l.Do)
		}
	}
	onlyFor(v.given(&l.RestartAfter, l.RestartAfter != 0), &l.RestartAfter, "restart_after", LeaderKill, LeaderStop, LeaderLameDuck)
	onlyFor(v.given(&l.Duration, l.Duration != 0), &l.Duration, "duration", LeaderIsolate)
	onlyFor(v.given(&l.Mode, l.Mode != ""), &l.Mode, "mode", LeaderIsolate)
	onlyFor(v.given(&l.Name, l.Name != ""), &l.Name, "name", LeaderIsolate)
	if l.Do == LeaderIsolate {
		if len(v.names) < 2 {
			v.add(v.at(&l.Do, l.Pos), "%s: isolate needs at least two servers", where)
		}
		v.faultName(sc, &l.Name, step, where, l.Pos)
		sc.faults = append(sc.faults, step)
		return
	}
	sc.slept += max(l.RestartAfter, 0)
}

// Run finds the stream's leader now, records it, and acts on it.
func (l *LeaderStep) Run(ctx context.Context, env *StepEnv) error {
	r, i := env.r, env.index
	r.refMu.Lock()
	js := r.js
	r.refMu.Unlock()
	if js == nil {
		return fmt.Errorf("leader: no JetStream in this run")
	}
	name, err := js.Leader(ctx, l.Stream, i+1, orDefault(l.Timeout, DefaultLeaderTimeout))
	if err != nil {
		return err
	}
	c := r.cluster
	switch l.Do {
	case LeaderKill:
		err = c.Kill(name)
	case LeaderStop:
		err = c.Stop(name)
	case LeaderLameDuck:
		err = c.LameDuck(name)
	case LeaderRestart:
		return c.Restart(name, "")
	case LeaderIsolate:
		var rest []string
		for _, n := range c.Names() {
			if n != name {
				rest = append(rest, n)
			}
		}
		id, err := r.layer.Partition([][]string{{name}, rest}, partitionMode(l.Mode), l.Duration)
		env.injected(id)
		return err
	default:
		return fmt.Errorf("leader: unknown action %q", l.Do)
	}
	if err != nil || l.RestartAfter <= 0 {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(l.RestartAfter):
	}
	// Restart waits out a lame duck that has not ended yet.
	return c.Restart(name, "")
}

// Describe is "leader: kill of ORDERS".
func (l *LeaderStep) Describe() string { return fmt.Sprintf("leader: %s of %s", l.Do, l.Stream) }

// Marshal writes the leader step on one line.
func (l *LeaderStep) Marshal(*Scenario) any {
	return mapping{}.add("stream", l.Stream).add("do", string(l.Do)).dur("restart_after", l.RestartAfter).
		dur("duration", l.Duration).str("mode", string(l.Mode)).str("name", l.Name).dur("timeout", l.Timeout).flow()
}

func (l *LeaderStep) injects() (forced, bool) {
	if l.Do != LeaderIsolate {
		return forced{}, false
	}
	return forced{what: "isolation of the leader", dur: l.Duration, routes: true, cuts: true}, true
}

func (l *LeaderStep) checkExternal(c *StepValidator, _ *External, _ map[string]bool) {
	c.notOnExternal()
}
