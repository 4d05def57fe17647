package assert

import (
	"errors"
	"testing"
	"time"
)

// interest, leaf_discovery and gateway_mesh need a positive bound; the
// error names the key, so a scenario file's error lands on it.
func TestWithinBoundsMustBePositive(t *testing.T) {
	for name, params := range map[string]func(time.Duration) interface{ Validate() error }{
		"interest":       func(d time.Duration) interface{ Validate() error } { return InterestParams{Within: d} },
		"leaf_discovery": func(d time.Duration) interface{ Validate() error } { return LeafDiscoveryParams{Within: d} },
		"gateway_mesh":   func(d time.Duration) interface{ Validate() error } { return GatewayMeshParams{Within: d} },
	} {
		for _, d := range []time.Duration{0, -time.Second} {
			err := params(d).Validate()
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != "within" {
				t.Errorf("%s within %v: %v, want an error naming within", name, d, err)
			}
		}
		if err := params(time.Nanosecond).Validate(); err != nil {
			t.Errorf("%s within 1ns: %v", name, err)
		}
	}
}
