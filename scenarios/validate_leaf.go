package scenarios

import (
	"fmt"
	"slices"
	"time"
)

// leafNodes checks the leafnodes section and declares its leaves as
// servers steps and client groups may name.
func (v *validator) leafNodes() {
	l := v.s.LeafNodes
	if l == nil {
		return
	}
	if v.s.Cluster.External != nil {
		v.add(l.Pos, "leafnodes: not with cluster.external (natschaos starts the hub)")
	}
	switch {
	case l.Count > 0 && len(l.Names) > 0:
		v.add(l.Pos, "leafnodes: give count or names, not both")
	case l.Count < 0:
		v.add(v.at(&l.Count, l.Pos), "leafnodes.count must be ≥ 0, got %d", l.Count)
	case l.Count == 0 && len(l.Names) == 0:
		v.add(l.Pos, "leafnodes: give count or names")
	}
	for i := range l.Names {
		v.name(&l.Names[i], fmt.Sprintf("leafnodes.names[%d]", i), true, l.Pos)
	}
	for i := range l.Hubs {
		v.serverRef(&l.Hubs[i], fmt.Sprintf("leafnodes.hubs[%d]", i), l.Pos)
	}
	for _, d := range []*durationField{{l.Reconnect, "reconnect"}, {l.ReconnectSpread, "reconnect_spread"}} {
		if d.d != nil && *d.d < 0 {
			v.add(v.at(d.d, l.Pos), "leafnodes.%s must be ≥ 0, got %v", d.name, *d.d)
		}
	}
	if l.ReconnectSpread != nil && l.Reconnect != nil && *l.ReconnectSpread < *l.Reconnect {
		v.add(v.at(l.ReconnectSpread, l.Pos), "leafnodes.reconnect_spread %v is below reconnect %v", *l.ReconnectSpread, *l.Reconnect)
	}
	if l.TLSOn() && (v.s.Cluster.Security == nil || v.s.Cluster.Security.TLS == nil) {
		v.add(v.at(l.TLS, l.Pos), "leafnodes.tls needs cluster.security.tls (its certificates)")
	}
	if l.User != "" {
		found := false
		if sec := v.s.Cluster.Security; sec != nil {
			for _, u := range sec.Users {
				found = found || (u.Name == l.User && u.KindOr() == KindPassword)
			}
		}
		if !found {
			v.add(v.at(&l.User, l.Pos), "leafnodes.user %q: not a password user of cluster.security.users", l.User)
		}
	}
	for _, name := range l.LeafNames() {
		if _, clash := v.servers[name]; clash {
			v.add(l.Pos, "leafnodes: %q is already a server's name", name)
			continue
		}
		v.servers[name] = &Server{Name: name, Version: l.Version, Pos: l.Pos}
		v.names = append(v.names, name)
	}
	for i := range l.Clients {
		g := &l.Clients[i]
		where := fmt.Sprintf("leafnodes.clients[%d]", i)
		v.name(&g.Name, where+".name", true, g.Pos)
		if slices.ContainsFunc(v.s.Clients, func(c ClientGroup) bool { return c.Name == g.Name }) {
			v.add(v.at(&g.Name, g.Pos), "%s.name %q is a clients group's name too", where, g.Name)
		}
		if g.Count < 0 {
			v.add(v.at(&g.Count, g.Pos), "%s.count must be ≥ 0, got %d", where, g.Count)
		}
		if g.Servers != nil {
			v.add(v.at(&g.Servers, g.Pos), "%s.servers: a leaf group runs on every leaf", where)
		}
		v.clientOptions(&g.Options, where+".options", v.at(&g.Options, g.Pos))
		for j := range g.Subscribe {
			v.subscription(&g.Subscribe[j], fmt.Sprintf("%s.subscribe[%d]", where, j))
		}
		if g.Publish != nil {
			v.publish(g.Publish, where+".publish")
		}
	}
}

type durationField struct {
	d    *time.Duration
	name string
}
