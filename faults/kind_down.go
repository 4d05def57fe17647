package faults

// down lets no link pass: live links close at once and new ones are reset
// as soon as they are accepted, so the target looks like a closed port.
func init() {
	registerKind(kind{
		name: "down",
		cuts: true,
		build: func(params) (effect, error) {
			return effect{whole: true, closeNow: true, admit: admitRefuse}, nil
		},
	})
}
