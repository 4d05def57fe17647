package explore

import (
	"github.com/goccy/go-yaml"

	"github.com/natschaos/natschaos/scenarios"
)

// leafTree writes the leafnodes section back: count or names, hubs,
// version, the reconnect intervals, no_advertise, tls, user and the
// groups started on every leaf.
func leafTree(l *scenarios.LeafNodes) tree {
	var t tree
	if l.Count != 0 {
		t.add("count", l.Count)
	}
	if len(l.Names) > 0 {
		t.add("names", flow{append([]string{}, l.Names...)})
	}
	if len(l.Hubs) > 0 {
		t.add("hubs", flow{append([]string{}, l.Hubs...)})
	}
	t.str("version", l.Version)
	t.durp("reconnect", l.Reconnect)
	t.durp("reconnect_spread", l.ReconnectSpread)
	t.boolp("no_advertise", l.NoAdvertise)
	t.boolp("tls", l.TLS)
	t.str("user", l.User)
	if len(l.Clients) > 0 {
		var gs []any
		for i := range l.Clients {
			gs = append(gs, yaml.MapSlice(groupTree(&l.Clients[i])))
		}
		t.add("clients", gs)
	}
	return t
}
