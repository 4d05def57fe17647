package extend_test

import (
	"fmt"
	"time"

	"github.com/natschaos/natschaos/faults"
)

// drip is a fault kind declared outside faults: it lets data through in
// chunks of size bytes, gap apart (toxiproxy's stock slicer toxic, in the
// layer and through an external toxiproxy alike).
func init() {
	faults.RegisterKind(faults.Kind{
		Name: "drip",
		Doc:  "Let data through in chunks of size, gap apart.",
		Params: []faults.Param{
			{Name: "size", Type: faults.TypeByteSize, Required: true, Rule: atLeastOneByte, Doc: "chunk size."},
			{Name: "gap", Type: faults.TypeDuration, Default: time.Millisecond, Rule: notNegative, Doc: "time between chunks (default 1ms)."},
		},
		Build: func(v faults.Values) (faults.Effect, error) {
			return faults.Effect{Toxic: "slicer", Attrs: dripAttrs(v)}, nil
		},
		External: func(v faults.Values) (faults.External, error) {
			a := map[string]any{}
			for k, n := range dripAttrs(v) {
				a[k] = n
			}
			return faults.External{Toxic: "slicer", Attrs: a}, nil
		},
	})
}

func dripAttrs(v faults.Values) map[string]int64 {
	return map[string]int64{"average_size": v.Bytes("size"), "size_variation": 0, "delay": v.Duration("gap").Microseconds()}
}

func atLeastOneByte(v any) error {
	if n, _ := v.(int64); n < 1 {
		return fmt.Errorf("must be at least 1 byte, got %v", v)
	}
	return nil
}

func notNegative(v any) error {
	if d, _ := v.(time.Duration); d < 0 {
		return fmt.Errorf("must not be negative, got %v", d)
	}
	return nil
}
