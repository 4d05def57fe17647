package scenarios

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// Declared durations are honoured: a fault, partition or freeze with a
// duration lasts that long. `wait: {until: healed}` waits for those still
// in force, and when the steps end first the run waits for them before
// its final checks, as a step of its own after the last one.

// lateEndGrace is how long past its declared end a timed fault may take
// to end before the run gives up on the fault layer.
const lateEndGrace = 10 * time.Second

// timedFault is a fault, partition or freeze injected with a duration.
type timedFault struct {
	id   string
	step int           // its index in Scenario.Steps
	what string        // the step as written
	ends time.Duration // on the run's clock: its start plus its duration
}

func (t timedFault) String() string {
	return fmt.Sprintf("%s (step %d, ends at %s)", t.what, t.step+1, seconds(t.ends))
}

// declaredDuration is a step's fault duration: 0 for steps that inject
// nothing timed.
func declaredDuration(st *Step) time.Duration {
	f, _ := injection(st)
	return f.dur
}

// noteTimed remembers a step's fault when it was injected with a duration.
func (r *run) noteTimed(i int, st *Step) {
	d := declaredDuration(st)
	id, ok := r.faultIDs[i]
	if d <= 0 || !ok || id == "" {
		return
	}
	start := r.tl.Since()
	r.liveMu.Lock()
	if f, ok := r.live.Faults[id]; ok {
		start = f.Start
	}
	r.liveMu.Unlock()
	r.timed = append(r.timed, timedFault{id: id, step: i, what: st.Action.Describe(), ends: start + d})
}

// pendingTimed lists the timed faults the state still has in force.
func (r *run) pendingTimed(st *assert.State) []timedFault {
	var out []timedFault
	for _, t := range r.timed {
		if _, active := st.Faults[t.id]; active {
			out = append(out, t)
		}
	}
	return out
}

// healed is the healed wait's predicate: no fault with a duration is in
// force. Faults without one are not waited for (only a heal step ends them).
func (r *run) healed(st *assert.State) (bool, string) {
	pending := r.pendingTimed(st)
	if len(pending) > 0 {
		return false, "in force: " + joinTimed(pending)
	}
	return true, "every fault with a duration has ended"
}

// healedNote says what a healed wait that held at once waited for: nothing
// timed was in force, and faults without a duration do not count.
func healedNote(st *assert.State) string {
	var untimed []string
	for _, id := range sortedFaultIDs(st) {
		untimed = append(untimed, st.Faults[id].String())
	}
	if len(untimed) == 0 {
		return "held at once: no fault, partition or freeze with a duration was in force"
	}
	return "held at once: no fault with a duration was in force (without one, until a heal step: " + strings.Join(untimed, ", ") + ")"
}

// faultsOnlyNote says, for a wait that held while faults were in force,
// whether it held only because of them: the same condition, judged as if
// nothing were cut, frozen or delayed, does not hold. "" when it would hold
// anyway. Called with the live state locked.
func faultsOnlyNote(pred func(*assert.State) (bool, string), st *assert.State, atOnce bool, after time.Duration) string {
	if len(st.Faults) == 0 {
		return ""
	}
	unfaulted := *st
	unfaulted.Faults = map[string]*assert.Fault{}
	ok, why := pred(&unfaulted)
	if ok {
		return ""
	}
	var in []string
	for _, id := range sortedFaultIDs(st) {
		in = append(in, st.Faults[id].String())
	}
	when := "at once"
	if !atOnce {
		when = "after " + seconds(after)
	}
	return fmt.Sprintf("held %s only because %s in force; without it: %s", when, strings.Join(in, ", ")+isAre(len(in)), why)
}

func isAre(n int) string {
	if n == 1 {
		return " was"
	}
	return " were"
}

func sortedFaultIDs(st *assert.State) []string {
	ids := make([]string, 0, len(st.Faults))
	for id := range st.Faults {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func joinTimed(ts []timedFault) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, "; ")
}

// awaitDeclared waits, after the last step, for the faults whose declared
// durations outlast the steps, and records the wait as a step of its own
// (numbered after the last) so that the report and the summary say the run
// waited and for what.
func (r *run) awaitDeclared(ctx context.Context) error {
	r.liveMu.Lock()
	pending := r.pendingTimed(r.live)
	r.liveMu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	last := pending[0].ends
	for _, t := range pending {
		last = max(last, t.ends)
	}
	n := len(r.sc.Steps) + 1
	r.tl.Add(sim.Event{Kind: sim.StepStart, Step: n, Detail: "after the steps: wait for declared durations: " + joinTimed(pending)})
	began := r.tl.Since()
	end := sim.Event{Kind: sim.StepEnd, Step: n}
	err := r.until(ctx, r.healed, last-began+lateEndGrace)
	if err != nil {
		end.Err = err.Error()
	} else {
		end.Detail = "waited " + seconds(r.tl.Since()-began)
	}
	r.tl.Add(end)
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("after the steps: the fault layer did not end %s by its declared time: %w", joinTimed(pending), err)
	}
	return err
}

// noteCutShort records, when a failed wait stopped the steps at step i,
// the faults whose declared durations the teardown is about to cut short.
func (r *run) noteCutShort(i int) {
	r.liveMu.Lock()
	pending := r.pendingTimed(r.live)
	r.liveMu.Unlock()
	if len(pending) == 0 {
		return
	}
	n := len(r.sc.Steps) + 1
	r.tl.Add(sim.Event{Kind: sim.StepStart, Step: n, Detail: "after the steps: declared durations cut short: " + joinTimed(pending)})
	r.tl.Add(sim.Event{Kind: sim.StepEnd, Step: n, Detail: fmt.Sprintf("not waited for: the steps stopped at step %d, and the teardown heals every fault", i+1)})
}

// until polls a predicate of the live state until it holds, ctx ends or
// within passes.
func (r *run) until(ctx context.Context, pred func(*assert.State) (bool, string), within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		r.liveMu.Lock()
		ok, why := pred(r.live)
		r.liveMu.Unlock()
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still %s after %v", why, within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

// seconds formats a time on the run's clock: "10.25 s".
func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// heldNote is what a wait that held says of itself: a healed wait that had
// nothing to wait for, or a wait that held only because faults were in
// force. Called with the live state locked.
func (r *run) heldNote(c WaitCondition, pred func(*assert.State) (bool, string), atOnce bool, after time.Duration) string {
	switch c {
	case WaitHealed:
		if atOnce {
			return healedNote(r.live)
		}
		return ""
	case WaitJSCurrent:
		return "" // judged by asking the cluster, not from the faults
	}
	return faultsOnlyNote(pred, r.live, atOnce, after)
}
