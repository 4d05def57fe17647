package scenarios

import "github.com/natschaos/natschaos/faults"

// applyDefaults fills what a valid file left out (see the Default*
// constants), so a runner reads values rather than re-deriving defaults.
// Option structs are left alone: nil there means the library's default.
func (s *Scenario) applyDefaults() {
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	c := &s.Cluster
	if c.Name == "" {
		c.Name = DefaultClusterName
	}
	if c.Topology == "" {
		c.Topology = TopologyFull
	}
	for i := range c.Servers {
		if c.Servers[i].Version == "" {
			c.Servers[i].Version = DefaultVersion
		}
	}
	for i := range s.Clients {
		if s.Clients[i].Count == 0 {
			s.Clients[i].Count = 1
		}
	}
	for _, st := range s.Steps {
		if a, ok := st.Action.(defaulter); ok && !isNilPointer(a) {
			a.applyDefaults()
		}
	}
}

// wholeFault says whether a fault kind acts on whole connections, where
// a direction means nothing.
func wholeFault(k FaultKind) bool {
	kind, _ := faults.LookupKind(string(k))
	return kind.Whole
}
