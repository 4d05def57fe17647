package faults

import "errors"

// slow_close delays the close of each touched direction by delay after
// its sender hangs up (toxiproxy's slow_close toxic): the peer keeps a
// half-dead connection for a while.
func init() {
	registerKind(kind{
		name:   "slow_close",
		params: []string{"delay"},
		build: func(p params) (effect, error) {
			delay, err := p.duration("delay", 0)
			if err != nil {
				return effect{}, err
			}
			if delay <= 0 {
				return effect{}, errors.New("delay is required and must be positive")
			}
			return effect{toxic: "slow_close", attrs: map[string]int64{"delay": millis(delay)}}, nil
		},
	})
}
