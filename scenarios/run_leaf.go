package scenarios

import (
	"fmt"

	"github.com/natschaos/natschaos/sim"
)

// The leafnodes section mapped onto the engine (sim.LeafNodes): the
// cluster becomes a hub, and each leaf runs behind the same fault layer.

// leafHub makes the cluster's servers accept leaf nodes when the
// scenario declares leaves.
func (r *run) leafHub(spec *sim.ClusterSpec) {
	l := r.sc.LeafNodes
	if l == nil {
		return
	}
	spec.Leaf = &sim.LeafSpec{Accept: true, NoAdvertise: l.NoAdvertise != nil && *l.NoAdvertise}
	r.leafSecurity(spec.Leaf)
}

// leafSecurity gives leaf links the run's certificates and the leaf
// user's generated password, as the section asks.
func (r *run) leafSecurity(s *sim.LeafSpec) {
	l := r.sc.LeafNodes
	if r.sec == nil {
		return
	}
	if l.TLSOn() {
		s.TLS = r.sec.tls
	}
	if l.User != "" {
		if c := r.sec.creds[credKey(User{Name: l.User, Kind: KindPassword})]; c != nil {
			s.User, s.Password = l.User, c.password
		}
	}
}

// startLeaves declares and starts the leaves once the hub runs.
func (r *run) startLeaves(hub *sim.Cluster, network sim.Network) error {
	l := r.sc.LeafNodes
	if l == nil {
		return nil
	}
	hubs := l.Hubs
	if len(hubs) == 0 {
		hubs = initialServers(r.sc)
	}
	spec := sim.LeafNodesSpec{Backends: r.opts.Backends, Verbose: r.opts.Verbose}
	r.leafSecurity(&spec.Leaf)
	names := l.LeafNames()
	for i, n := range names {
		spec.Leaves = append(spec.Leaves, sim.LeafNodeSpec{Name: n, Version: engineVersion(l.Version), Hubs: hubs, Reconnect: l.reconnectOf(i, len(names))})
	}
	ln, err := sim.NewLeafNodes(spec, hub, r.tl, network)
	if err != nil {
		return err
	}
	r.refMu.Lock()
	r.leaves = ln
	r.refMu.Unlock()
	return ln.StartAll()
}

// leafGroups are the leafnodes section's client groups, one per leaf.
func leafGroups(sc *Scenario, scale float64) []sim.GroupSpec {
	l := sc.LeafNodes
	if l == nil || len(l.Clients) == 0 {
		return nil
	}
	per := groupSpecs(&Scenario{Clients: l.Clients}, scale)
	var out []sim.GroupSpec
	for _, leaf := range l.LeafNames() {
		for _, g := range per {
			g.Name = g.Name + "-" + leaf
			g.Servers = []string{leaf}
			out = append(out, g)
		}
	}
	return out
}

// newLeafFleet runs the groups on the hub and the leaves in this process.
func (r *run) newLeafFleet(groups []sim.GroupSpec) (sim.ClientFleet, error) {
	if r.opts.Workers != nil && r.opts.Workers.Workers() > 0 {
		return nil, fmt.Errorf("%s: workers cannot run clients of a scenario with leafnodes yet", r.sc.Name)
	}
	return sim.NewFleetOn(r.leaves.Directory(), r.tl, groups)
}

// clusterFor is the cluster that runs the server a step names: a leaf's
// own, or the scenario's.
func (r *run) clusterFor(name string) *sim.Cluster {
	if r.leaves == nil {
		return r.cluster
	}
	if c, err := r.leaves.Cluster(name); err == nil {
		return c
	}
	return r.cluster
}

// closeLeaves stops the leaves (before the hub).
func (r *run) closeLeaves() {
	if r.leaves != nil {
		r.leaves.ObserveLinks()
		r.leaves.Close()
	}
}
