package sim

// leafDirectory is a hub and its leaves as one Directory, so one fleet
// can have groups on hub servers and groups on leaves.
type leafDirectory struct {
	hub *Cluster
	ln  *LeafNodes
}

// Directory is the hub's servers and the leaves, for a fleet whose
// groups use either.
func (ln *LeafNodes) Directory() Directory { return leafDirectory{hub: ln.hub, ln: ln} }

// NewFleetOn is NewFleet on any directory (LeafNodes.Directory).
func NewFleetOn(d Directory, tl *Timeline, groups []GroupSpec) (*Fleet, error) {
	return newFleet(d, tl, groups)
}

func (d leafDirectory) Names() []string { return append(d.hub.Names(), d.ln.order...) }

func (d leafDirectory) ClientURL(name string) (string, error) {
	if c, ok := d.ln.leaves[name]; ok {
		return c.ClientURL(name)
	}
	return d.hub.ClientURL(name)
}

func (d leafDirectory) ServerForAddr(hostport string) (string, bool) {
	if n, ok := d.hub.ServerForAddr(hostport); ok {
		return n, true
	}
	for _, n := range d.ln.order {
		if s, ok := d.ln.leaves[n].ServerForAddr(hostport); ok {
			return s, true
		}
	}
	return "", false
}

func (d leafDirectory) IsRemoved(name string) bool {
	if c, ok := d.ln.leaves[name]; ok {
		return c.IsRemoved(name)
	}
	return d.hub.IsRemoved(name)
}
