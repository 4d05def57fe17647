package scenarios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
)

func init() {
	RegisterStep[Wait]("wait", "Wait for mesh, discovered, connected, balanced or healed.")
}

// Wait blocks until a condition holds or Timeout passes. `wait: mesh` is
// short for `wait: {until: mesh}`.
type Wait struct {
	Until   WaitCondition `yaml:"until" jsonschema:"required"`
	Timeout time.Duration `yaml:"timeout" jsonschema_description:"Default 30s. Timing out fails the property waited for."`

	Pos Pos `yaml:"-"`
}

func (*Wait) shorthandField() string { return "until" }

// Validate checks the condition and the timeout, and warns about a wait
// that may hold only because of a fault in force.
func (w *Wait) Validate(c *StepValidator) {
	v, where := c.v, c.where
	if w.Until == "" && !v.failed(&w.Until) {
		v.add(w.Pos, "%s.until is required: one of %s", where, strings.Join(strs(WaitConditions), ", "))
	}
	enum(v, &w.Until, where+".until", "wait condition", WaitConditions, w.Pos)
	v.positive(&w.Timeout, where+".timeout", w.Pos)
	v.waitWarnings(c.sc, w, where)
}

// Run polls the same predicate the checkers use, over the timeline as it
// grows, re-reading the servers before each evaluation. A timeout fails
// the property waited for and stops the steps (a warning only records it).
func (w *Wait) Run(ctx context.Context, env *StepEnv) error {
	r, i := env.r, env.index
	timeout := orDefault(w.Timeout, DefaultWaitTimeout)
	pred := r.predicate(w.Until)
	start := time.Now()
	deadline := start.Add(timeout)
	why := ""
	defer r.recordJSCurrent(w.Until)
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
		Evidence: fmt.Sprintf("wait for %s timed out after %v at step %d (%s): %s", w.Until, timeout, i+1, r.where(env.step.Pos), why),
		At:       r.tl.Since(),
	}
	if e := r.sc.Expect.Get(w.Until.Property()); e != nil && e.Warning() {
		res.Verdict = assert.Warn
		r.tl.Add(assert.VerdictEvent(i+1, res))
		return nil // a warning does not stop the run
	}
	return &failedWait{result: res}
}

// Describe is "wait: mesh".
func (w *Wait) Describe() string { return fmt.Sprintf("wait: %s", w.Until) }

// Marshal writes the wait on one line.
func (w *Wait) Marshal(*Scenario) any {
	return mapping{}.add("until", string(w.Until)).dur("timeout", w.Timeout).flow()
}

func (w *Wait) applyDefaults() {
	if w.Timeout == 0 {
		w.Timeout = DefaultWaitTimeout
	}
}
