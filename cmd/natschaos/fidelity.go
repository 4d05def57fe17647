package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/assert"
)

// fidelityFlags say how a run judges the harness's own lag.
type fidelityFlags struct {
	mode string
	lag  time.Duration
}

func (f *fidelityFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.mode, "fidelity", "warn", "when the harness lags in a fault window: warn (mark the timing verdicts) or strict (also exit 3)")
	cmd.Flags().DurationVar(&f.lag, "fidelity-lag", 0, fmt.Sprintf("harness lag that marks a fault window's timings (default %v, or half a narrower herd window)", assert.DefaultLagBound))
}

func (f *fidelityFlags) policy() (assert.FidelityPolicy, error) {
	if f.lag < 0 {
		return assert.FidelityPolicy{}, fmt.Errorf("--fidelity-lag must not be negative")
	}
	p := assert.FidelityPolicy{LagBound: f.lag}
	switch f.mode {
	case "warn":
	case "strict":
		p.Strict = true
	default:
		return p, fmt.Errorf("--fidelity is warn or strict, not %q", f.mode)
	}
	return p, nil
}
