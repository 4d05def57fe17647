package faults

import "errors"

// latency delays every chunk by latency ± jitter (toxiproxy's latency
// toxic: chunks keep their order, so jitter never reorders a stream).
func init() {
	registerKind(kind{
		name:   "latency",
		params: []string{"latency", "jitter"},
		build: func(p params) (effect, error) {
			lat, err := p.duration("latency", 0)
			if err != nil {
				return effect{}, err
			}
			jit, err := p.duration("jitter", 0)
			if err != nil {
				return effect{}, err
			}
			if lat <= 0 {
				return effect{}, errors.New("latency is required and must be positive")
			}
			return effect{toxic: "latency", attrs: map[string]int64{"latency": millis(lat), "jitter": millis(jit)}}, nil
		},
	})
}
