package scenarios

import (
	"fmt"
	"time"
)

// LeafNodes is the leafnodes section: leaf servers that dial the
// cluster's servers (a hub) as leaf nodes. Each leaf is a server of its
// own: steps (kill, stop, lame_duck, restart, freeze, start) and client
// groups' servers may name it.
type LeafNodes struct {
	Count int      `yaml:"count" jsonschema_description:"How many leaves, named L1, L2, ... (or give names)."`
	Names []string `yaml:"names" jsonschema_description:"The leaves' names (or give count)."`
	// Hubs are the cluster servers every leaf's remote lists; it learns
	// the others by the hub's gossip.
	Hubs    []string `yaml:"hubs" jsonschema_description:"Cluster servers every leaf dials (it learns the others by gossip). Default: every server that starts with the scenario."`
	Version string   `yaml:"version" jsonschema:"pattern=^(embedded|v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?)$" jsonschema_description:"embedded (default) or a nats-server release for every leaf."`
	// Reconnect is the leaves' leafnodes.reconnect interval; ReconnectSpread
	// spreads them evenly from Reconnect up to it over the leaves (a
	// mitigation of the leaf herd).
	Reconnect       *time.Duration `yaml:"reconnect" jsonschema_description:"The leaves' reconnect interval (nats-server's default: 1s)."`
	ReconnectSpread *time.Duration `yaml:"reconnect_spread" jsonschema_description:"Spread the leaves' reconnect intervals evenly from reconnect up to this."`
	NoAdvertise     *bool          `yaml:"no_advertise" jsonschema_description:"Hub servers do not gossip their leafnode URLs to leaves."`
	TLS             *bool          `yaml:"tls" jsonschema_description:"Leaf links use cluster.security.tls's certificates (mutual TLS). Faults can then name only a hub server's whole leaf side."`
	// User names a password user of cluster.security.users: the one
	// credential hub servers accept from leaves, which every leaf presents.
	User string `yaml:"user" jsonschema_description:"A password user of cluster.security.users: hub servers accept leaves with its credential only, and every leaf presents it."`
	// Clients are groups started on every leaf: count per leaf.
	Clients []ClientGroup `yaml:"clients" jsonschema_description:"Client groups started on every leaf (count is per leaf); group <name> on leaf L is named <name>-L."`

	Pos Pos `yaml:"-"`
}

// LeafNames lists the leaves in order.
func (l *LeafNodes) LeafNames() []string {
	if l == nil {
		return nil
	}
	if len(l.Names) > 0 {
		return l.Names
	}
	out := make([]string, 0, l.Count)
	for i := 1; i <= l.Count; i++ {
		out = append(out, fmt.Sprintf("L%d", i))
	}
	return out
}

// TLSOn says whether leaf links use TLS.
func (l *LeafNodes) TLSOn() bool { return l != nil && l.TLS != nil && *l.TLS }

// reconnectOf is leaf i's (of n) reconnect interval; 0 keeps the default.
func (l *LeafNodes) reconnectOf(i, n int) time.Duration {
	var base time.Duration
	if l.Reconnect != nil {
		base = *l.Reconnect
	}
	if l.ReconnectSpread == nil || n < 2 {
		return base
	}
	if base == 0 {
		base = time.Second
	}
	return base + time.Duration(i)*(*l.ReconnectSpread-base)/time.Duration(n-1)
}
