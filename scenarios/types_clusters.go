package scenarios

import "github.com/natschaos/natschaos/sim"

// NamedCluster is one cluster of a supercluster (the scenario's
// `clusters:` section): two or more clusters joined by gateways, each with
// its servers, topology and clients. Validation moves its servers into
// cluster.servers and its client groups into clients (whose initial URL
// list defaults to this cluster's servers), so steps, faults and
// expectations name servers and groups as in a single cluster; cluster:
// then holds only what every server shares (server_options).
type NamedCluster struct {
	Name     string          `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"The cluster's name, also its gateway name."`
	Topology ClusterTopology `yaml:"topology" jsonschema_description:"full or seed, as cluster.topology; default cluster.topology."`
	Servers  []Server        `yaml:"servers" jsonschema:"required,minItems=1"`
	Clients  []ClientGroup   `yaml:"clients" jsonschema_description:"Client groups whose initial URL list defaults to this cluster's servers."`

	Pos Pos `yaml:"-"`
	// moved: its servers and clients were moved into the scenario's
	// cluster and clients (validation may run more than once).
	moved bool
}

// ClusterOf names the cluster of the supercluster that declared a server,
// "" for a single cluster.
func (s *Scenario) ClusterOf(server string) string {
	for _, c := range s.Clusters {
		for _, srv := range c.Servers {
			if srv.Name == server {
				return c.Name
			}
		}
	}
	return ""
}

// clusterTopologies is each named cluster's topology, when it sets one.
func clusterTopologies(sc *Scenario) map[string]sim.Topology {
	var out map[string]sim.Topology
	for _, c := range sc.Clusters {
		if c.Topology != "" {
			if out == nil {
				out = map[string]sim.Topology{}
			}
			out[c.Name] = sim.Topology(c.Topology)
		}
	}
	return out
}
