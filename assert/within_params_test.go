package assert

import (
	"errors"
	"testing"
	"time"
)

// interest, leaf_discovery and gateway_mesh need a positive bound; the
// error names the key, so a scenario file's error lands on it.
func TestWithinBoundsMustBePositive(t *testing.T) {
	for _, c := range []struct {
		name     string
		validate func(within time.Duration) error
	}{
		{"interest", func(d time.Duration) error { return InterestParams{Within: d}.Validate() }},
		{"leaf_discovery", func(d time.Duration) error { return LeafDiscoveryParams{Within: d}.Validate() }},
		{"gateway_mesh", func(d time.Duration) error { return GatewayMeshParams{Within: d}.Validate() }},
	} {
		for _, d := range []time.Duration{0, -time.Second} {
			var pe *ParamError
			if err := c.validate(d); !errors.As(err, &pe) || pe.Param != "within" {
				t.Errorf("%s within %v: %v, want an error naming within", c.name, d, err)
			}
		}
		if err := c.validate(time.Nanosecond); err != nil {
			t.Errorf("%s within 1ns: %v", c.name, err)
		}
	}
}
