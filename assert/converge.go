package assert

import (
	"fmt"
	"sort"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// convergence is the shared shape of mesh and discovery: after every
// change of some kind, a predicate must hold at some evaluated moment
// within a bound. A later change inside the window does not reset it: the
// predicate then has to hold for the newer state, which is what a person
// expects of "within 2s of every change".
type convergence struct {
	within time.Duration
	// trigger returns the last change of the kind that starts a window.
	trigger func(*State) Change
	// relevant says which events can make the predicate true, so it is
	// not evaluated after every publish sample.
	relevant func(sim.Event) bool
	holds    func(*State) (bool, string)
	// failing, when set, replaces holds and also counts the clients that
	// fail it, each of which only an event of its own (or any event not a
	// client's) can put right. After a failure with n failing clients, the
	// next n-1 client events cannot make it hold and are not evaluated:
	// the same verdict, without a pass over every client after every
	// client event (quadratic at tens of thousands of clients).
	failing func(*State) (bool, string, int)
}

// clientOnly says whether ev changes the state of its own client alone.
func clientOnly(ev sim.Event) bool {
	switch ev.Kind {
	case sim.ClientConnect, sim.ClientReconnect, sim.ClientDiscovered, sim.ClientDisconnect, sim.ClientClosed, sim.ClientLeave, sim.ClientLameDuck:
		return ev.Client != ""
	}
	return false
}

func (cv convergence) eval(st *State) (bool, string, int) {
	if cv.failing != nil {
		return cv.failing(st)
	}
	ok, why := cv.holds(st)
	return ok, why, 0
}

type outcome struct {
	change Change
	// held: when the predicate first held after the change (-1: never).
	held time.Duration
	// why: the predicate's reason at the last evaluation inside the window.
	why   string
	whyAt time.Duration
	// unverified: the run's steady part ended before the window did.
	unverified bool
}

func (o outcome) failed() bool { return o.held < 0 && !o.unverified }

func (cv convergence) run(events []sim.Event) []outcome {
	st := NewState()
	end := SteadyEnd(events)
	var pending, done []outcome
	skip := 0                      // client events that cannot make it hold
	skippedAt := time.Duration(-1) // the last relevant event not evaluated
	// catchUp evaluates what was skipped, as of the last skipped event, so
	// a window that closes reports the reason it would have seen.
	catchUp := func() {
		if skippedAt < 0 || len(pending) == 0 {
			return
		}
		_, why, n := cv.eval(st)
		for i := range pending {
			pending[i].why, pending[i].whyAt = why, skippedAt
		}
		skip, skippedAt = max(n-1, 0), -1
	}
	for _, ev := range events[:end] {
		for _, p := range pending {
			if ev.T > p.change.T+cv.within {
				catchUp()
				break
			}
		}
		keep := pending[:0]
		for _, p := range pending {
			if ev.T > p.change.T+cv.within {
				done = append(done, p)
			} else {
				keep = append(keep, p)
			}
		}
		pending = keep
		st.Apply(ev)
		ch := cv.trigger(st)
		isNew := ch.Seq == st.Seq
		if isNew {
			pending = append(pending, outcome{change: ch, held: -1})
		}
		if len(pending) == 0 || !(isNew || cv.relevant(ev)) {
			continue
		}
		if skip > 0 && !isNew && clientOnly(ev) {
			skip--
			skippedAt = ev.T
			continue
		}
		ok, why, n := cv.eval(st)
		skip, skippedAt = 0, -1
		if !ok {
			skip = max(n-1, 0)
		}
		for i := range pending {
			if ok {
				pending[i].held = ev.T
				done = append(done, pending[i])
			} else {
				pending[i].why, pending[i].whyAt = why, ev.T
			}
		}
		if ok {
			pending = pending[:0]
		}
	}
	catchUp()
	var endT time.Duration
	if end < len(events) {
		endT = events[end].T
	} else if end > 0 {
		endT = events[end-1].T
	}
	for _, p := range pending {
		p.unverified = p.change.T+cv.within > endT
		done = append(done, p)
	}
	sort.Slice(done, func(i, j int) bool { return done[i].change.Seq < done[j].change.Seq })
	return done
}

// verdict turns outcomes into a Result. noun is what must hold ("the
// mesh", "discovery").
func (cv convergence) verdict(noun string, outcomes []outcome) Result {
	if len(outcomes) == 0 {
		return notEvaluatedf("no change recorded to converge after")
	}
	var details []string
	var first *outcome
	failed, slowest := 0, -1
	for i, o := range outcomes {
		switch {
		case o.failed():
			failed++
			if first == nil {
				first = &outcomes[i]
			}
			details = append(details, fmt.Sprintf("%s at %s: not within %s; at %s: %s", o.change.What, dur(o.change.T), dur(cv.within), dur(o.whyAt), o.why))
		case o.unverified:
			details = append(details, fmt.Sprintf("%s at %s: not verified, the run ended first (last: %s)", o.change.What, dur(o.change.T), o.why))
		default:
			if slowest < 0 || o.held-o.change.T > outcomes[slowest].held-outcomes[slowest].change.T {
				slowest = i
			}
			details = append(details, fmt.Sprintf("%s at %s: held after %s", o.change.What, dur(o.change.T), dur(o.held-o.change.T)))
		}
	}
	if first != nil {
		r := failf(first.change.T, "after %s at %s %s did not hold within %s: at %s %s", first.change.What, dur(first.change.T), noun, dur(cv.within), dur(first.whyAt), first.why)
		if failed > 1 {
			r.Evidence += fmt.Sprintf(" (%d of %d changes failed)", failed, len(outcomes))
		}
		r.Details = capLines(details, 50)
		return withData(r, convergeData(outcomes))
	}
	r := passf("%s held within %s after each of %d changes", noun, dur(cv.within), len(outcomes))
	if slowest >= 0 {
		o := outcomes[slowest]
		r.Evidence += fmt.Sprintf(" (slowest %s, after %s at %s)", dur(o.held-o.change.T), o.change.What, dur(o.change.T))
	}
	r.Details = capLines(details, 50)
	return withData(r, convergeData(outcomes))
}
