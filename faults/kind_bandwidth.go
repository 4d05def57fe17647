package faults

// bandwidth limits each touched direction of each link to rate KB/s
// (toxiproxy's bandwidth toxic).
func init() {
	registerKind(kind{
		name:   "bandwidth",
		params: []string{"rate"},
		build: func(p params) (effect, error) {
			rate, err := p.rate("rate")
			if err != nil {
				return effect{}, err
			}
			return effect{toxic: "bandwidth", attrs: map[string]int64{"rate": rate}}, nil
		},
	})
}
