package scenarios

import (
	"context"
	"fmt"
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

// failedWait ends the steps early after a wait timed out: it carries the
// failed verdict, and is not an infrastructure error.
type failedWait struct{ result assert.Result }

func (e *failedWait) Error() string { return e.result.Evidence }

// runSteps executes the steps in order. A wait that times out records the
// failure of the property it waited for and stops the steps (nil error);
// anything else that goes wrong is returned.
func (r *run) runSteps(ctx context.Context) error {
	for i := range r.sc.Steps {
		st := &r.sc.Steps[i]
		if st.Action == nil || isNilPointer(st.Action) {
			return fmt.Errorf("%s: step %d (%s) has no value; validate the scenario first", r.where(st.Pos), i+1, st.Key())
		}
		r.refMu.Lock()
		r.step = i + 1
		r.refMu.Unlock()
		r.progress()
		r.tl.Add(sim.Event{Kind: sim.StepStart, Step: i + 1, Detail: st.Action.Describe()})
		r.note = ""
		err := ctx.Err()
		if err == nil {
			err = st.Action.Run(ctx, &StepEnv{r: r, index: i, step: st})
		}
		end := sim.Event{Kind: sim.StepEnd, Step: i + 1, Detail: r.note}
		if err != nil {
			end.Err = err.Error()
		} else {
			r.noteTimed(i, st)
		}
		r.tl.Add(end)
		if stop, ok := err.(*failedWait); ok {
			r.tl.Add(assert.VerdictEvent(i+1, stop.result))
			r.noteCutShort(i)
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%s: step %d (%s): %w", r.where(st.Pos), i+1, st.Action.Describe(), err)
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

// predicate is what a wait for c polls: the checkers' own test.
func (r *run) predicate(c WaitCondition) func(*assert.State) (bool, string) {
	switch c {
	case WaitMesh:
		return assert.Mesh
	case WaitDiscovered:
		return assert.Discovered
	case WaitConnected:
		return assert.Connected
	case WaitBalanced:
		p, _ := ExpectParams[assert.BalanceParams](r.sc.Expect, PropBalance)
		return func(st *assert.State) (bool, string) { return assert.Balanced(st, p.MaxSkew) }
	case WaitHealed:
		return r.healed
	case WaitJSCurrent:
		return r.jsCurrent
	}
	return func(*assert.State) (bool, string) { return false, "unknown condition " + string(c) }
}

// faultSpec is a fault as faults takes it: its parameters travel typed.
func faultSpec(f *Fault) faults.Spec {
	return faults.Spec{Target: f.Link.String(), Kind: string(f.Kind), Direction: string(f.Direction), Duration: f.Duration, Params: f.Values()}
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
