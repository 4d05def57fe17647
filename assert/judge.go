package assert

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// recordedExpectation is how an Expectation is written on the timeline.
type recordedExpectation struct {
	Name   string          `json:"name"`
	Params json.RawMessage `json:"params,omitempty"`
	Warn   bool            `json:"warn,omitempty"`
}

// ExpectationsEvent records the run's expectations on the timeline, so a
// later reader (natschaos report) judges exactly what the run judged.
func ExpectationsEvent(exps []Expectation) (sim.Event, error) {
	rec := make([]recordedExpectation, 0, len(exps))
	for _, e := range exps {
		p, err := json.Marshal(e.Params)
		if err != nil {
			return sim.Event{}, fmt.Errorf("%s: %w", e.Name, err)
		}
		rec = append(rec, recordedExpectation{Name: e.Name, Params: p, Warn: e.Warn})
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return sim.Event{}, err
	}
	return sim.Event{Kind: sim.Expectations, Detail: string(b)}, nil
}

// VerdictEvent records a verdict reached during the run (a wait that timed
// out, a check step).
func VerdictEvent(step int, r Result) sim.Event {
	b, _ := json.Marshal(r) // Result marshals: strings, durations, plain data
	return sim.Event{Kind: sim.Verdict, Step: step, Detail: string(b)}
}

// Judge reaches every verdict of a run from its timeline alone: the
// verdicts recorded during the run, in order, then each recorded
// expectation evaluated over the whole timeline. The runner and the report
// renderer both call it, so they cannot disagree.
func Judge(events []sim.Event) ([]Result, error) {
	var out []Result
	var exps []Expectation
	var recordedAt []time.Duration // when each recorded verdict was reached
	for _, ev := range events {
		switch ev.Kind {
		case sim.Verdict:
			var r Result
			if err := json.Unmarshal([]byte(ev.Detail), &r); err != nil {
				return nil, fmt.Errorf("verdict event at %v: %w", ev.T, err)
			}
			if r.JudgedAt == 0 {
				r.JudgedAt = ev.T
			}
			out = append(out, r)
			recordedAt = append(recordedAt, ev.T)
		case sim.Expectations:
			var rec []recordedExpectation
			if err := json.Unmarshal([]byte(ev.Detail), &rec); err != nil {
				return nil, fmt.Errorf("expectations event: %w", err)
			}
			for _, e := range rec {
				params, ok := NewParams(e.Name)
				if ok && len(e.Params) > 0 && string(e.Params) != "null" {
					if err := json.Unmarshal(e.Params, params); err != nil {
						return nil, fmt.Errorf("expectation %s: %w", e.Name, err)
					}
				}
				exps = append(exps, Expectation{Name: e.Name, Params: params, Warn: e.Warn})
			}
		}
	}
	final := Evaluate(exps, events)
	if len(events) > 0 {
		for i := range final {
			final[i].JudgedAt = events[len(events)-1].T
		}
	}
	out = append(out, final...)
	// Timing verdicts say when the harness's own lag may have made them.
	fr := readFidelity(events, narrowestHerdWindow(exps))
	for i := range out {
		cutoff := time.Duration(1<<63 - 1)
		if i < len(recordedAt) {
			cutoff = recordedAt[i]
		}
		fr.annotate(&out[i], cutoff)
	}
	return out, nil
}
