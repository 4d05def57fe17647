package explore

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/scenarios"
)

// Shrinking runs every candidate once, so it accepts a schedule that
// failed once by chance: on a loaded machine a stale ping or a late route
// can fail a run that passes on replay. A file that does not fail when the
// user runs it is worse than a larger one that does. So before the file is
// written, confirm replays the smallest failing schedule; when it passes
// every replay, it steps back through the larger schedules rapid accepted
// on the way, back to the one first drawn, until one fails again.

// defaultConfirm is how many replays a failing schedule gets to fail
// again before confirm steps back to the previous one.
const defaultConfirm = 2

// failKey is what makes two failures the same one: rapid shrinks only
// while the failure message stays the same, and confirm asks the same.
func failKey(out *scenarios.Outcome) string {
	switch out.Verdict {
	case scenarios.VerdictPass:
		return ""
	case scenarios.VerdictFail:
		return "fail: " + strings.Join(failedNames(out), ", ")
	default:
		return "error"
	}
}

// failedNames are the properties a run failed, sorted, each once.
func failedNames(out *scenarios.Outcome) []string {
	var names []string
	for _, r := range out.Failed() {
		names = append(names, r.Name)
	}
	sort.Strings(names)
	return dedupe(names)
}

// accept notes a failing run rapid is about to accept as the smallest so
// far (rapid's own replays of it revisit the same text).
func (e *explorer) accept(f *failing) {
	e.fail = f
	if n := len(e.fails); n == 0 || string(e.fails[n-1].text) != string(f.text) {
		e.fails = append(e.fails, f)
	}
}

// confirm replays the failing schedules from the smallest back, up to
// Confirm times each, and keeps the first that fails the same way again.
// When none does it reports the smallest as it was, marked flaky; when
// interrupted or past ShrinkTime, the smallest, unconfirmed.
func (e *explorer) confirm() {
	tries := e.o.Confirm
	if tries == 0 {
		tries = defaultConfirm
	}
	if tries < 0 || e.fail == nil || e.ctx.Err() != nil {
		return
	}
	smallest := e.fail
	start := time.Now()
	for i := len(e.fails) - 1; i >= 0; i-- {
		cand := e.fails[i]
		want := failKey(cand.out)
		actions := Actions(cand.sc)
		for try := 1; try <= tries; try++ {
			if e.ctx.Err() != nil || time.Since(start) > e.o.ShrinkTime {
				e.fail = smallest // unconfirmed: interrupted or out of time
				return
			}
			out := e.execute(cand.sc)
			if e.ctx.Err() != nil {
				e.fail = smallest
				return
			}
			got := failKey(out)
			fmt.Fprintf(e.o.Progress, "explore: confirming seed %d: %d actions, replay %d of %d: %s (%v)\n",
				e.seed, actions, try, tries, out.Verdict, out.Elapsed.Round(10*time.Millisecond))
			if got == want {
				e.fail = &failing{sc: cand.sc, text: cand.text, out: out, replays: try, steppedBack: len(e.fails) - 1 - i}
				return
			}
		}
		if i > 0 {
			fmt.Fprintf(e.o.Progress, "explore: seed %d: the %d-action schedule did not fail again in %d replays; stepping back to the %d-action one that failed before it\n",
				e.seed, actions, tries, Actions(e.fails[i-1].sc))
		}
	}
	e.fail, smallest.flaky = smallest, true
}

// Confirmation says, in a line, whether the written schedule failed again
// when replayed.
func (f *Failure) Confirmation() string {
	switch {
	case f.Reproduced > 0 && f.SteppedBack > 0:
		return fmt.Sprintf("Failed again on replay %d; %d smaller schedules that failed once did not, so this one is written.", f.Reproduced, f.SteppedBack)
	case f.Reproduced > 0:
		return fmt.Sprintf("Failed again on replay %d.", f.Reproduced)
	case f.Flaky:
		return "Flaky: no failing schedule failed again when replayed; the failure depends on timing."
	default:
		return "Not confirmed by a replay."
	}
}
