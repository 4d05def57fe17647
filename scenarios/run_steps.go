package scenarios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/sim"
)

// pollEvery is how often a wait re-reads the servers and re-evaluates its
// condition: the resolution of measured convergence times.
const pollEvery = 20 * time.Millisecond

// pollPause is the pause after an evaluation that took took: pollEvery,
// or four times the evaluation when that is longer. The timeline cannot
// grow while a predicate reads the live state, so with tens of thousands
// of clients (tens of milliseconds an evaluation) waits must leave it
// most of the time.
func pollPause(took time.Duration) time.Duration { return max(pollEvery, 4*took) }

// errStop ends the steps early after a failed wait; it is a verdict, not an
// infrastructure error.
type errStop struct{ result assert.Result }

func (e *errStop) Error() string { return e.result.Evidence }

// runSteps executes the steps in order. A wait that times out records the
// failure of the property it waited for and stops the steps (nil error);
// anything else that goes wrong is returned.
func (r *run) runSteps(ctx context.Context) error {
	for i := range r.sc.Steps {
		st := &r.sc.Steps[i]
		r.refMu.Lock()
		r.step = i + 1
		r.refMu.Unlock()
		r.progress()
		r.tl.Add(sim.Event{Kind: sim.StepStart, Step: i + 1, Detail: describeStep(st)})
		r.note = ""
		err := r.runStep(ctx, i, st)
		end := sim.Event{Kind: sim.StepEnd, Step: i + 1, Detail: r.note}
		if err != nil {
			end.Err = err.Error()
		} else {
			r.noteTimed(i, st)
		}
		r.tl.Add(end)
		if stop, ok := err.(*errStop); ok {
			r.tl.Add(assert.VerdictEvent(i+1, stop.result))
			r.noteCutShort(i)
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%s: step %d (%s): %w", r.where(st.Pos), i+1, describeStep(st), err)
		}
	}
	return r.awaitDeclared(ctx)
}

func (r *run) where(p Pos) string {
	if p.IsZero() {
		return r.sc.Name
	}
	return fmt.Sprintf("%s:%d:%d", r.sc.File, p.Line, p.Col)
}

func (r *run) runStep(ctx context.Context, i int, st *Step) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := r.clusterFor(st)
	switch st.Kind {
	case StepStart:
		return c.Start(st.Start)
	case StepStop:
		return c.Stop(st.Stop)
	case StepKill:
		return c.Kill(st.Kill)
	case StepLameDuck:
		return c.LameDuck(st.LameDuck)
	case StepRestart:
		return c.Restart(st.Restart.Server, engineVersion(st.Restart.Version))
	case StepFault:
		id, err := r.layer.Inject(faultSpec(st.Fault))
		r.faultIDs[i] = id
		return err
	case StepPartition:
		mode := faults.Mode(st.Partition.Mode)
		if mode == "" {
			mode = faults.Mode(PartitionClose)
		}
		id, err := r.layer.Partition(st.Partition.Groups, mode, st.Partition.Duration)
		r.faultIDs[i] = id
		return err
	case StepFreeze:
		id, err := r.layer.Freeze(st.Freeze.Server, st.Freeze.Duration)
		r.faultIDs[i] = id
		if err == nil {
			r.suspend(id, st.Freeze.Server)
		}
		return err
	case StepHeal:
		if st.Heal.All {
			r.layer.HealAll()
			return nil
		}
		id, ok := r.faultIDs[st.Heal.Step]
		if !ok {
			return fmt.Errorf("heal: step %d has not injected anything", st.Heal.Step+1)
		}
		return r.layer.Heal(id)
	case StepSleep:
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(st.Sleep):
			return nil
		}
	case StepWait:
		return r.waitJS(ctx, i, st)
	case StepCheck:
		r.check(i, st)
		return nil
	case StepRemove:
		return c.Remove(st.Remove)
	case StepJoin:
		return r.fleet.Join(ctx, st.Join.Group, scaledCount(st.Join.Count, r.opts.ClientsScale))
	case StepLeave:
		_, err := r.fleet.Leave(st.Leave.Group, scaledCount(st.Leave.Count, r.opts.ClientsScale))
		return err
	case StepBurst:
		_, err := r.fleet.Burst(st.Burst.Group, st.Burst.Messages)
		return err
	case StepLeader:
		return r.leader(ctx, i, st)
	}
	return fmt.Errorf("unknown step kind %v", st.Kind)
}

// wait polls the same predicate the checkers use, over the timeline as it
// grows, re-reading the servers before each evaluation.
func (r *run) wait(ctx context.Context, i int, st *Step) error {
	w := st.Wait
	timeout := orDefault(w.Timeout, DefaultWaitTimeout)
	pred := r.predicate(w.Until)
	start := time.Now()
	deadline := start.Add(timeout)
	why := ""
	for first := true; ; first = false {
		r.cluster.ObserveNow()
		evalStart := time.Now()
		r.liveMu.Lock()
		ok, reason := pred(r.live)
		if ok {
			r.note = r.heldNote(w.Until, pred, first, time.Since(start))
		}
		r.liveMu.Unlock()
		if ok {
			return nil
		}
		why = reason
		if time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollPause(time.Since(evalStart))):
		}
	}
	if w.Until == WaitHealed {
		// Fault durations are the harness's own timing, not a property of
		// the system: a timeout shorter than they last is the file's error.
		return fmt.Errorf("wait for healed timed out after %v: %s; its timeout must cover the declared durations", timeout, why)
	}
	res := assert.Result{
		Name:     string(w.Until.Property()),
		Verdict:  assert.Fail,
		Evidence: fmt.Sprintf("wait for %s timed out after %v at step %d (%s): %s", w.Until, timeout, i+1, r.where(st.Pos), why),
		At:       r.tl.Since(),
	}
	if e := r.sc.Expect.Get(w.Until.Property()); e != nil && e.Warning() {
		res.Verdict = assert.Warn
		r.tl.Add(assert.VerdictEvent(i+1, res))
		return nil // a warning does not stop the run
	}
	return &errStop{result: res}
}

func (r *run) predicate(c WaitCondition) func(*assert.State) (bool, string) {
	switch c {
	case WaitMesh:
		return assert.Mesh
	case WaitDiscovered:
		return assert.Discovered
	case WaitConnected:
		return assert.Connected
	case WaitBalanced:
		skew := DefaultMaxSkew
		if e, ok := r.sc.Expect.Get(PropBalance).(*BalanceExpect); ok && e.MaxSkew > 0 {
			skew = e.MaxSkew
		}
		return func(st *assert.State) (bool, string) { return assert.Balanced(st, skew) }
	case WaitHealed:
		return r.healed
	case WaitJSCurrent:
		return r.jsCurrent
	}
	return func(*assert.State) (bool, string) { return false, "unknown condition " + string(c) }
}

// check evaluates expectations over the timeline so far.
func (r *run) check(i int, st *Step) {
	r.cluster.ObserveNow()
	var exps []assert.Expectation
	for _, p := range st.Check {
		e := assert.Expectation{Name: string(p)}
		if x := r.sc.Expect.Get(p); x != nil {
			e.Params, e.Warn = checkerParams(x), x.Warning()
		} else {
			e.Params = defaultParams(p)
		}
		exps = append(exps, e)
	}
	for _, res := range assert.Evaluate(exps, r.tl.Events()) {
		res.Evidence = fmt.Sprintf("check at step %d: %s", i+1, res.Evidence)
		r.tl.Add(assert.VerdictEvent(i+1, res))
	}
}

// defaultParams are a property's parameters when a check names it but the
// expect section does not.
func defaultParams(p Property) any {
	switch p {
	case PropMesh:
		return assert.MeshParams{Within: DefaultWithin}
	case PropDiscovery:
		return assert.DiscoveryParams{Within: DefaultWithin}
	case PropBalance:
		return assert.BalanceParams{MaxSkew: DefaultMaxSkew}
	case PropHerd:
		return assert.HerdParams{Window: DefaultHerdWindow}
	}
	return nil
}

func faultSpec(f *Fault) faults.Spec {
	p := map[string]string{}
	dur := func(key string, d time.Duration) {
		if d != 0 {
			p[key] = d.String()
		}
	}
	size := func(key string, n ByteSize) {
		if n != 0 {
			p[key] = fmt.Sprint(int64(n))
		}
	}
	dur("latency", f.Latency)
	dur("jitter", f.Jitter)
	dur("timeout", f.Timeout)
	dur("delay", f.Delay)
	size("bytes", f.Bytes)
	size("average_size", f.AverageSize)
	size("size_variation", f.SizeVariation)
	if f.Rate != 0 {
		// toxiproxy's bandwidth toxic counts in KB/s; below 1 KB/s rounds up.
		p["rate"] = fmt.Sprintf("%dKB/s", max(1, int64(f.Rate)/1024))
	}
	return faults.Spec{Target: f.Link.String(), Kind: string(f.Kind), Direction: string(f.Direction), Duration: f.Duration, Params: p}
}

// describeStep is a step as a person would write it, for logs and events.
func describeStep(st *Step) string {
	switch st.Kind {
	case StepRestart:
		if st.Restart.Version != "" {
			return fmt.Sprintf("restart: %s as %s", st.Restart.Server, st.Restart.Version)
		}
		return "restart: " + st.Restart.Server
	case StepFault:
		f := st.Fault
		return fmt.Sprintf("fault: %s on %s", f.Kind, f.Link) + forDuration(f.Duration)
	case StepPartition:
		var gs []string
		for _, g := range st.Partition.Groups {
			gs = append(gs, "{"+strings.Join(g, ",")+"}")
		}
		return "partition: " + strings.Join(gs, " | ") + forDuration(st.Partition.Duration)
	case StepFreeze:
		return "freeze: " + st.Freeze.Server + forDuration(st.Freeze.Duration)
	case StepHeal:
		if st.Heal.All {
			return "heal: all"
		}
		return fmt.Sprintf("heal: step %d", st.Heal.Step+1)
	case StepSleep:
		return fmt.Sprintf("sleep: %v", st.Sleep)
	case StepWait:
		return fmt.Sprintf("wait: %s", st.Wait.Until)
	case StepJoin:
		return fmt.Sprintf("join: %d of %s", max(st.Join.Count, 1), st.Join.Group)
	case StepLeave:
		return fmt.Sprintf("leave: %d of %s", max(st.Leave.Count, 1), st.Leave.Group)
	case StepBurst:
		return fmt.Sprintf("burst: %d messages from each of %s", st.Burst.Messages, st.Burst.Group)
	case StepLeader:
		return fmt.Sprintf("leader: %s of %s", st.Leader.Do, st.Leader.Stream)
	case StepCheck:
		var ps []string
		for _, p := range st.Check {
			ps = append(ps, string(p))
		}
		return "check: " + strings.Join(ps, ", ")
	}
	return st.Kind.String() + ": " + st.Server()
}

// forDuration is " for 3s" for a declared duration, else "".
func forDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf(" for %v", d)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
