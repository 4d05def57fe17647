package assert

import (
	"fmt"
	"sort"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// convergence is the shape of mesh: after every change of some kind, a
// predicate must hold at some evaluated moment within a bound, and it
// must hold in the state at the end of the run's steady part too. A later
// change inside the window does not reset it: the predicate then has to
// hold for the newer state, which is what a person expects of "within 2s
// of every change".
type convergence struct {
	within time.Duration
	// trigger returns the last change of the kind that starts a window.
	trigger func(*State) Change
	// relevant says which events can make the predicate true, so it is
	// not evaluated after every publish sample.
	relevant func(sim.Event) bool
	holds    func(*State) (bool, string)
	// subjects counts what the predicate judges in a state (for mesh, the
	// server pairs): holding over none is no evidence.
	subjects func(*State) int
}

type outcome struct {
	change Change
	// held: when the predicate first held after the change (-1: never).
	held time.Duration
	// subjects: what the predicate judged when it held.
	subjects int
	// why: the predicate's reason at the last evaluation inside the window.
	why   string
	whyAt time.Duration
	// unverified: the run's steady part ended before the window did.
	unverified bool
}

func (o outcome) failed() bool { return o.held < 0 && !o.unverified }

// endState is the predicate in the state at the end of the steady part.
// It is judged only when no window is still open then: an open window is
// reported as not verified instead.
type endState struct {
	judged   bool
	at       time.Duration
	ok       bool
	why      string
	subjects int
}

func (cv convergence) run(events []sim.Event) ([]outcome, endState) {
	st := NewState()
	end := TeardownStart(events)
	var pending, done []outcome
	for _, ev := range events[:end] {
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
		ok, why := cv.holds(st)
		n := cv.subjects(st)
		for i := range pending {
			if ok {
				pending[i].held, pending[i].subjects = ev.T, n
				done = append(done, pending[i])
			} else {
				pending[i].why, pending[i].whyAt = why, ev.T
			}
		}
		if ok {
			pending = pending[:0]
		}
	}
	var endT time.Duration
	if end < len(events) {
		endT = events[end].T
	} else if end > 0 {
		endT = events[end-1].T
	}
	var es endState
	for _, p := range pending {
		p.unverified = p.change.T+cv.within > endT
		done = append(done, p)
	}
	if len(pending) == 0 && end > 0 {
		es.judged, es.at = true, endT
		es.ok, es.why = cv.holds(st)
		es.subjects = cv.subjects(st)
	}
	sort.Slice(done, func(i, j int) bool { return done[i].change.Seq < done[j].change.Seq })
	return done, es
}

// verdict turns outcomes and the end state into a Result. noun is what
// must hold ("the mesh"), unit what subjects counts ("server pairs").
func (cv convergence) verdict(noun, unit string, outcomes []outcome, es endState) Result {
	if len(outcomes) == 0 {
		return vacuousf("no change recorded to converge after")
	}
	var details []string
	var first *outcome
	failed, verified, slowest, most := 0, 0, -1, 0
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
			verified++
			most = max(most, o.subjects)
			if slowest < 0 || o.held-o.change.T > outcomes[slowest].held-outcomes[slowest].change.T {
				slowest = i
			}
			details = append(details, fmt.Sprintf("%s at %s: held after %s over %d %s", o.change.What, dur(o.change.T), dur(o.held-o.change.T), o.subjects, unit))
		}
	}
	if es.judged {
		most = max(most, es.subjects)
		details = append(details, fmt.Sprintf("at the end, %s: %s", dur(es.at), es.why))
	}
	if first != nil {
		r := failf(first.change.T, "after %s at %s %s did not hold within %s: at %s %s", first.change.What, dur(first.change.T), noun, dur(cv.within), dur(first.whyAt), first.why)
		if failed > 1 {
			r.Evidence += fmt.Sprintf(" (%d of %d changes failed)", failed, len(outcomes))
		}
		r.Details = capLines(details, 50)
		return withData(r, convergeData(outcomes))
	}
	if es.judged && !es.ok {
		r := failf(es.at, "at the end, %s, %s did not hold: %s", dur(es.at), noun, es.why)
		r.Details = capLines(details, 50)
		return r
	}
	if verified == 0 && !es.judged {
		r := vacuousf("the run ended within %s of each of %d changes: %s was never verified", dur(cv.within), len(outcomes), noun)
		r.Details = capLines(details, 50)
		return r
	}
	if most == 0 {
		r := vacuousf("%s held over 0 %s after each of %d changes and at the end: nothing to judge", noun, unit, len(outcomes))
		r.Details = capLines(details, 50)
		return r
	}
	r := passf("%s held within %s after %d of %d changes (the rest not verified: the run ended first)", noun, dur(cv.within), verified, len(outcomes))
	if verified == len(outcomes) {
		r = passf("%s held within %s after each of %d changes", noun, dur(cv.within), len(outcomes))
	}
	if slowest >= 0 {
		o := outcomes[slowest]
		r.Evidence += fmt.Sprintf(" (slowest %s, after %s at %s)", dur(o.held-o.change.T), o.change.What, dur(o.change.T))
	}
	if es.judged {
		r.Evidence += fmt.Sprintf(" and at the end over %d %s", es.subjects, unit)
	} else {
		r.Evidence += "; the end state was not verified: a change came less than " + dur(cv.within) + " before the end"
	}
	r.Details = capLines(details, 50)
	return withData(r, convergeData(outcomes))
}
