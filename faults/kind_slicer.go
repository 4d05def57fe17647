package faults

import "errors"

// slicer cuts the stream into small writes of average_size ± size_variation
// bytes, delay apart (toxiproxy's slicer toxic): parsers see torn frames.
func init() {
	registerKind(kind{
		name:   "slicer",
		params: []string{"average_size", "size_variation", "delay"},
		build: func(p params) (effect, error) {
			avg, err := p.size("average_size", 64)
			if err != nil {
				return effect{}, err
			}
			vary, err := p.size("size_variation", 0)
			if err != nil {
				return effect{}, err
			}
			delay, err := p.duration("delay", 0)
			if err != nil {
				return effect{}, err
			}
			if avg < 1 || vary >= avg {
				return effect{}, errors.New("average_size must be at least 1 and above size_variation")
			}
			return effect{toxic: "slicer", attrs: map[string]int64{
				"average_size": avg, "size_variation": vary, "delay": delay.Microseconds(),
			}}, nil
		},
	})
}
