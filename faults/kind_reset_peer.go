package faults

// reset_peer resets each touched link (TCP RST on both sides, "connection
// reset by peer") timeout after the fault reaches it: at the start for
// live links, on creation for new ones. Data flows until then.
//
// Stock toxiproxy's reset_peer needs *net.TCPConn on both sides and stops
// reading its input when it fires; the layer resets the link's sockets
// itself instead, so no toxic is involved. An external toxiproxy uses the
// stock one.
func init() {
	RegisterKind(Kind{
		Name:  "reset_peer",
		Doc:   "Reset each touched link timeout after the fault reaches it.",
		Cuts:  true,
		Whole: true,
		Params: []Param{
			{Name: "timeout", Type: TypeDuration, Rule: nonNegative, Doc: "reset after this."},
		},
		Build: func(v Values) (Effect, error) {
			return Effect{Reset: true, ResetAfter: v.Duration("timeout")}, nil
		},
		External: func(v Values) (External, error) {
			return External{Toxic: "reset_peer", Attrs: map[string]any{"timeout": v.Duration("timeout").Milliseconds()}}, nil
		},
	})
}
