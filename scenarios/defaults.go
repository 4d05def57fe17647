package scenarios

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
	for i := range s.Steps {
		st := &s.Steps[i]
		switch {
		case st.Wait != nil && st.Wait.Timeout == 0:
			st.Wait.Timeout = DefaultWaitTimeout
		case st.Fault != nil && st.Fault.Direction == "" && st.Fault.Kind != FaultDown:
			st.Fault.Direction = DirectionBoth
		case st.Partition != nil && st.Partition.Mode == "":
			st.Partition.Mode = PartitionClose
		}
	}
}
