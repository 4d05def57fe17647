package extend_test

import (
	"errors"
	"fmt"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// faults_seen is a property declared outside assert: the run started at
// least at_least faults of the given kind.
type faultsSeenParams struct {
	Kind    string `yaml:"kind" jsonschema:"required"`
	AtLeast int    `yaml:"at_least"`
}

// SetDefaults asks for one fault.
func (p *faultsSeenParams) SetDefaults() { p.AtLeast = 1 }

// Validate needs a count of at least one (kind is required by its tag).
func (p faultsSeenParams) Validate() error {
	var errs []error
	if p.AtLeast < 1 {
		errs = append(errs, &assert.ParamError{Param: "at_least", Msg: fmt.Sprintf("must be at least 1, got %d", p.AtLeast)})
	}
	return errors.Join(errs...)
}

func init() { assert.Register("faults_seen", checkFaultsSeen) }

func checkFaultsSeen(p faultsSeenParams, events []sim.Event) assert.Result {
	n := 0
	for _, ev := range events {
		if ev.Kind == sim.FaultStart && ev.FaultKind == p.Kind {
			n++
		}
	}
	if n < p.AtLeast {
		return assert.Result{Verdict: assert.Fail, Evidence: fmt.Sprintf("%d %s faults started, want at least %d", n, p.Kind, p.AtLeast)}
	}
	return assert.Result{Verdict: assert.Pass, Evidence: fmt.Sprintf("%d %s faults started (at least %d)", n, p.Kind, p.AtLeast)}
}
