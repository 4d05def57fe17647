package faults

// latency delays every chunk by latency ± jitter (toxiproxy's latency
// toxic: chunks keep their order, so jitter never reorders a stream).
func init() {
	RegisterKind(Kind{
		Name: "latency",
		Doc:  "Delay every chunk by latency ± jitter.",
		Params: []Param{
			{Name: "latency", Type: TypeDuration, Required: true, Rule: positive, Doc: "added delay."},
			{Name: "jitter", Type: TypeDuration, Rule: nonNegative, Doc: "random extra delay, up to this."},
		},
		Build: func(v Values) (Effect, error) {
			return Effect{Toxic: "latency", Attrs: latencyAttrs(v)}, nil
		},
		External: func(v Values) (External, error) {
			return External{Toxic: "latency", Attrs: anyAttrs(latencyAttrs(v))}, nil
		},
	})
}

func latencyAttrs(v Values) map[string]int64 {
	return map[string]int64{"latency": millis(v.Duration("latency")), "jitter": millis(v.Duration("jitter"))}
}
