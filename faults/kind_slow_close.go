package faults

// slow_close delays the close of each touched direction by delay after
// its sender hangs up (toxiproxy's slow_close toxic): the peer keeps a
// half-dead connection for a while.
func init() {
	RegisterKind(Kind{
		Name: "slow_close",
		Doc:  "Delay the close of each touched direction after its sender hangs up.",
		Params: []Param{
			{Name: "delay", Type: TypeDuration, Required: true, Rule: positive, Doc: "delay before closing."},
		},
		Build: func(v Values) (Effect, error) {
			return Effect{Toxic: "slow_close", Attrs: map[string]int64{"delay": millis(v.Duration("delay"))}}, nil
		},
		External: func(v Values) (External, error) {
			return External{Toxic: "slow_close", Attrs: map[string]any{"delay": millis(v.Duration("delay"))}}, nil
		},
	})
}
