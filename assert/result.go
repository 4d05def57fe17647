package assert

import (
	"strings"
	"time"
)

// Verdict is what a checker concluded. A checker that cannot conclude says
// NotEvaluated with the reason in Evidence; it never returns an error.
type Verdict string

const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
	// Warn is a failure of an expectation marked `warn: true`: reported,
	// never failing the run.
	Warn Verdict = "warn"
	// NotEvaluated: the timeline lacks a record the property needs (no
	// receipts yet, no observation of a server) or the parameters are
	// unusable. A run with nothing for the property to judge is not this:
	// it fails as vacuous (see VacuousPrefix).
	NotEvaluated Verdict = "not_evaluated"
)

// VacuousPrefix starts the evidence of a property that had nothing to
// judge: no clients, publishers, reconnections, changes... A predicate
// over zero subjects is no evidence, so such a property fails.
const VacuousPrefix = "vacuous: "

// Vacuous says whether the result is a failure for want of anything to judge.
func (r Result) Vacuous() bool {
	return r.Verdict != Pass && strings.HasPrefix(r.Evidence, VacuousPrefix)
}

// Result is one property's verdict over one timeline.
type Result struct {
	Name    string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	// Evidence is one line a person can act on: which servers, clients,
	// messages, and when.
	Evidence string `json:"evidence"`
	// Details are further lines, most important first.
	Details []string `json:"details,omitempty"`
	// At is the moment on the run's clock the evidence is about (the
	// change that did not converge, the first lost message...), 0 if none.
	At time.Duration `json:"at,omitempty"`
	// Data is a structured figure for reports (HerdData, BalanceData,
	// LossData), nil when the property has none.
	Data any `json:"data,omitempty"`
	// JudgedAt is the moment on the run's clock the verdict was judged
	// (a check during the run, or the run's end), set by Judge.
	JudgedAt time.Duration `json:"judged_at,omitempty"`
	// Fidelity warns that the harness lagged while this timing was
	// measured (fidelity.go): one line per span, nil when it did not.
	Fidelity []string `json:"fidelity,omitempty"`
}

// Failed says whether the result fails the run.
func (r Result) Failed() bool { return r.Verdict == Fail }

func passf(evidence string, args ...any) Result {
	return Result{Verdict: Pass, Evidence: sprintf(evidence, args...)}
}

func failf(at time.Duration, evidence string, args ...any) Result {
	return Result{Verdict: Fail, Evidence: sprintf(evidence, args...), At: at}
}

func notEvaluatedf(evidence string, args ...any) Result {
	return Result{Verdict: NotEvaluated, Evidence: sprintf(evidence, args...)}
}

// vacuousf fails a property that had nothing to judge; the evidence says
// what was missing.
func vacuousf(evidence string, args ...any) Result {
	return Result{Verdict: Fail, Evidence: VacuousPrefix + sprintf(evidence, args...)}
}
