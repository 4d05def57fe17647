package faults

// down lets no link pass: live links close at once and new ones are reset
// as soon as they are accepted, so the target looks like a closed port.
// Through an external toxiproxy, its proxies are disabled.
func init() {
	RegisterKind(Kind{
		Name:  "down",
		Doc:   "No link passes: live links close, new ones are reset.",
		Cuts:  true,
		Whole: true,
		Build: func(Values) (Effect, error) {
			return Effect{CloseNow: true, Admit: AdmitRefuse}, nil
		},
		External: func(Values) (External, error) { return External{Disable: true}, nil },
	})
}
