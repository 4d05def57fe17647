package faults

// reset_peer resets each touched link (TCP RST on both sides, "connection
// reset by peer") timeout after the fault reaches it: at the start for
// live links, on creation for new ones. Data flows until then.
//
// Stock toxiproxy's reset_peer needs *net.TCPConn on both sides and stops
// reading its input when it fires; the layer resets the link's sockets
// itself instead, so no toxic is involved.
func init() {
	registerKind(kind{
		name:   "reset_peer",
		params: []string{"timeout"},
		cuts:   true,
		build: func(p params) (effect, error) {
			after, err := p.duration("timeout", 0)
			if err != nil {
				return effect{}, err
			}
			return effect{whole: true, reset: true, resetAfter: after}, nil
		},
	})
}
