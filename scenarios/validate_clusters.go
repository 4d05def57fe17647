package scenarios

import (
	"fmt"
	"reflect"
	"strings"
)

// clusters checks the `clusters:` section and moves its servers and
// client groups where the rest of validation and the runner expect them.
func (v *validator) clusters() {
	s := v.s
	if len(s.Clusters) == 0 {
		return
	}
	if len(s.Clusters) < 2 {
		v.add(v.keyAt(&s.Clusters, s.Clusters[0].Pos), "clusters: a supercluster needs at least two clusters, got 1 (use cluster: for one)")
	}
	moving := false
	for i := range s.Clusters {
		moving = moving || !s.Clusters[i].moved
	}
	if moving && len(s.Cluster.Servers) > 0 {
		v.add(v.keyAt(&s.Cluster.Servers, s.Cluster.Pos), "cluster.servers: with clusters:, declare each server under its cluster")
	}
	if s.Cluster.External != nil {
		v.add(v.keyAt(&s.Cluster.External, s.Cluster.Pos), "cluster.external: clusters: starts its own servers")
	}
	if s.Cluster.Security != nil {
		v.add(v.keyAt(&s.Cluster.Security, s.Cluster.Pos), "cluster.security: not supported with clusters: (gateways run without TLS)")
	}
	if s.JetStream != nil {
		v.add(v.keyAt(&s.JetStream, fileStart), "jetstream: not supported with clusters:")
	}
	first := map[string]Pos{}
	for i := range s.Clusters {
		c := &s.Clusters[i]
		where := fmt.Sprintf("clusters[%d]", i)
		v.name(&c.Name, where+".name", true, c.Pos)
		if p, dup := first[c.Name]; dup && c.Name != "" {
			v.add(v.at(&c.Name, c.Pos), "duplicate cluster name %q (first at line %d)", c.Name, p.Line)
		} else {
			first[c.Name] = v.at(&c.Name, c.Pos)
		}
		enum(v, &c.Topology, where+".topology", "topology", Topologies, c.Pos)
		if len(c.Servers) == 0 && !v.failed(&c.Servers) {
			v.add(v.keyAt(&c.Servers, c.Pos), "%s.servers: declare at least one server", where)
		}
		for j := range c.Servers {
			if ver := c.Servers[j].Version; ver != "" && ver != DefaultVersion {
				v.add(v.at(&c.Servers[j].Version, c.Servers[j].Pos), "%s.servers[%d].version: gateways run on embedded servers only, not %s", where, j, ver)
			}
		}
	}
	// Move every cluster's servers and clients at once into new slices;
	// the decoder's positions follow each value to its new address.
	var servers, clients []reflect.Value
	for i := range s.Cluster.Servers {
		servers = append(servers, reflect.ValueOf(&s.Cluster.Servers[i]).Elem())
	}
	for i := range s.Clients {
		clients = append(clients, reflect.ValueOf(&s.Clients[i]).Elem())
	}
	for i := range s.Clusters {
		c := &s.Clusters[i]
		if c.moved {
			continue
		}
		c.moved = true
		var names []string
		for j := range c.Servers {
			names = append(names, c.Servers[j].Name)
			servers = append(servers, reflect.ValueOf(&c.Servers[j]).Elem())
		}
		for j := range c.Clients {
			if c.Clients[j].Servers == nil {
				c.Clients[j].Servers = names
			}
			clients = append(clients, reflect.ValueOf(&c.Clients[j]).Elem())
		}
	}
	s.Cluster.Servers = moveAll[Server](v, servers)
	s.Clients = moveAll[ClientGroup](v, clients)
	if v.d != nil {
		if _, written := v.d.valPos[&s.Cluster]; !written {
			v.d.valPos[&s.Cluster] = v.at(&s.Clusters, fileStart) // declared by clusters:
		}
	}
}

// moveAll copies the values into a new slice and moves the decoder's
// positions of each (and of its fields) to the copy.
func moveAll[T any](v *validator, from []reflect.Value) []T {
	if len(from) == 0 {
		return nil
	}
	out := make([]T, len(from))
	for i, f := range from {
		to := reflect.ValueOf(&out[i]).Elem()
		to.Set(f)
		v.movePositions(f, to)
	}
	return out
}

func (v *validator) movePositions(from, to reflect.Value) {
	if v.d == nil {
		return
	}
	a, b := from.Addr().Interface(), to.Addr().Interface()
	if p, ok := v.d.valPos[a]; ok {
		v.d.valPos[b] = p
	}
	if p, ok := v.d.keyPos[a]; ok {
		v.d.keyPos[b] = p
	}
	if v.d.failed[a] {
		v.d.failed[b] = true
	}
	if from.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < from.NumField(); i++ {
		if from.Type().Field(i).IsExported() {
			v.movePositions(from.Field(i), to.Field(i))
		}
	}
}

// gatewayTarget parses the <A>-<B> of gateway:<A>-<B>, two clusters of
// the supercluster, into f.Link. Cluster names may contain '-'.
func (v *validator) gatewayTarget(f *Fault, rest, where string, at Pos) {
	known := map[string]bool{}
	var names []string
	for _, c := range v.s.Clusters {
		known[c.Name] = true
		names = append(names, c.Name)
	}
	var splits []Link
	for i := 0; i < len(rest); i++ {
		if rest[i] == '-' && known[rest[:i]] && known[rest[i+1:]] {
			splits = append(splits, Link{Kind: LinkGateway, Server: rest[:i], Peer: rest[i+1:]})
		}
	}
	switch {
	case len(known) == 0:
		v.add(at, "%s.target %q: gateways join the clusters of a clusters: section, and there is none", where, f.Target)
	case len(splits) == 1 && splits[0].Server == splits[0].Peer:
		v.add(at, "%s.target %q: a gateway joins two different clusters", where, f.Target)
	case len(splits) == 1:
		f.Link = splits[0]
	case len(splits) > 1:
		v.add(at, "%s.target %q is ambiguous", where, f.Target)
	default:
		v.add(at, "%s.target %q: want gateway:<cluster>-<cluster> naming two of [%s]", where, f.Target, strings.Join(names, " "))
	}
}
