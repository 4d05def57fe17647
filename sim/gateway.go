package sim

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/natschaos/natschaos/internal/ports"
)

// A supercluster is two or more clusters joined by gateways: every server
// of a cluster keeps one outbound gateway connection to some server of
// each other cluster and accepts inbound ones from them. The gateway name
// is the cluster's name. One Cluster runs a whole supercluster: servers
// whose ServerSpec.Cluster names differ form separate clusters, each
// routed only inside itself (ClusterSpec.Topologies may give each its
// own topology), and every server lists the other clusters' servers as
// remote gateways. Lifecycle steps, clients and observations work on
// every server alike.
//
//	A1 ──dial, INFO from B2, CONNECT name=ID(A1) gateway=east──> GP_B2 ──> B2's gateway port
//
// Behind a fault layer each server also has a gateway endpoint (GP_X),
// advertised as its gateway address, so gossiped gateway URLs name only
// proxies.

// GatewayRemote is one remote gateway: a cluster's name and its servers'
// gateway URLs (nats://host:port).
type GatewayRemote struct {
	Name string
	URLs []string
}

// LaunchGateway is a server's gateway configuration (LaunchConfig.Gateway).
type LaunchGateway struct {
	Name string
	// Port is the port to listen on; 0 picks one.
	Port int
	// Advertise is the gateway address gossiped to the other clusters
	// (the fault layer's gateway endpoint, when there is one).
	Advertise string
	Remotes   []GatewayRemote
	// OnListening, when set, is called with the real gateway address as
	// soon as the server listens on it.
	OnListening func(addr string)
}

// GatewayNetwork is a Network that can carry gateway links too (the fault
// layer). A supercluster refuses a Network without it: gateway links
// would bypass it.
type GatewayNetwork interface {
	// AttachGateway creates the server's gateway endpoint and returns its
	// address; cluster is the server's cluster (its gateway name).
	AttachGateway(server, cluster string) (gatewayAddr string, err error)
	// GatewayListening gives the real gateway address the moment the
	// starting server listens on it. Up opens the endpoint otherwise.
	GatewayListening(server, gatewayAddr string) error
}

// GatewayLink is one gateway connection a server reports.
type GatewayLink struct {
	Remote   string // the remote cluster (gateway name)
	Outbound bool   // this server dialled it
	PeerID   string // the remote server's ID, when the server reports it
}

// GatewayObserver is an Instance that reports its gateway connections.
type GatewayObserver interface {
	ObserveGateways() ([]GatewayLink, error)
}

// memberGateway is a member's stable gateway address (supercluster only).
type memberGateway struct {
	addr string // what gateways dial: the network's endpoint or a stable port
	port int    // stable direct gateway port when there is no network
}

// topologyLocked is a cluster's topology.
func (c *Cluster) topologyLocked(cluster string) Topology {
	if t, ok := c.spec.Topologies[cluster]; ok {
		return t
	}
	return c.spec.Topology
}

// superclusterOf says whether the servers declare more than one cluster.
func superclusterOf(spec ClusterSpec) bool {
	for _, s := range spec.Servers {
		if s.Cluster != "" && s.Cluster != spec.Name {
			return true
		}
	}
	return false
}

// clusterOfLocked is a member's cluster name.
func (c *Cluster) clusterOfLocked(m *member) string {
	if m.spec.Cluster != "" {
		return m.spec.Cluster
	}
	return c.spec.Name
}

// ClusterOf names a server's cluster ("" for an unknown server).
func (c *Cluster) ClusterOf(server string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m := c.members[server]; m != nil {
		return c.clusterOfLocked(m)
	}
	return ""
}

// ClusterNames lists the clusters in the order their first server was
// declared: one name outside a supercluster.
func (c *Cluster) ClusterNames() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, n := range c.order {
		if name := c.clusterOfLocked(c.members[n]); !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// remotesLocked are the gateways of every cluster but the member's own.
func (c *Cluster) remotesLocked(self string) []GatewayRemote {
	var out []GatewayRemote
	for _, n := range c.order {
		m := c.members[n]
		name := c.clusterOfLocked(m)
		if name == self || m.phase == phaseRemoved || m.gw.addr == "" {
			continue
		}
		i := slices.IndexFunc(out, func(r GatewayRemote) bool { return r.Name == name })
		if i < 0 {
			out = append(out, GatewayRemote{Name: name})
			i = len(out) - 1
		}
		out[i].URLs = append(out[i].URLs, "nats://"+m.gw.addr)
	}
	return out
}

// declareGateway gives a new member its stable gateway address: the
// network's gateway endpoint, or a port of its own without a network.
func (c *Cluster) declareGateway(m *member) error {
	if !c.super {
		if m.spec.Cluster != "" && m.spec.Cluster != c.spec.Name {
			return errors.New("a supercluster's clusters are declared when the cluster is made")
		}
		return nil
	}
	if c.net != nil {
		gn, ok := c.net.(GatewayNetwork)
		if !ok {
			return errors.New("the network cannot carry gateway links")
		}
		addr, err := gn.AttachGateway(m.spec.Name, c.clusterOfLocked(m))
		if err != nil {
			return err
		}
		m.gw.addr = addr
		return nil
	}
	p, err := freePort()
	if err != nil {
		return err
	}
	m.gw.port = p
	m.gw.addr = fmt.Sprintf("127.0.0.1:%d", p)
	return nil
}

// launchGateway is the gateway part of a member's LaunchConfig.
func (c *Cluster) launchGateway(m *member) *LaunchGateway {
	if !c.super {
		return nil
	}
	c.mu.Lock()
	self := c.clusterOfLocked(m)
	g := &LaunchGateway{Name: self, Port: m.gw.port, Remotes: c.remotesLocked(self)}
	c.mu.Unlock()
	if gn, ok := c.net.(GatewayNetwork); ok && c.net != nil {
		g.Advertise = m.gw.addr
		name := m.spec.Name
		g.OnListening = func(addr string) { _ = gn.GatewayListening(name, addr) } // Up reports failures
	}
	return g
}

// embeddedGateway fills a server's gateway options; the returned port
// (picked here behind a network) must be released once the server holds it.
func embeddedGateway(opts *server.Options, g *LaunchGateway) (picked int, err error) {
	if g == nil {
		return 0, nil
	}
	opts.Gateway = server.GatewayOpts{Name: g.Name, Host: "127.0.0.1", Port: g.Port, Advertise: g.Advertise}
	if g.Port == 0 {
		if picked, err = ports.Pick(); err != nil {
			return 0, err
		}
		opts.Gateway.Port = picked
	}
	for _, r := range g.Remotes {
		rg := &server.RemoteGatewayOpts{Name: r.Name}
		for _, s := range r.URLs {
			u, err := url.Parse(s)
			if err != nil {
				return picked, fmt.Errorf("gateway %s URL %q: %w", r.Name, s, err)
			}
			rg.URLs = append(rg.URLs, u)
		}
		opts.Gateway.Gateways = append(opts.Gateway.Gateways, rg)
	}
	return picked, nil
}

// ObserveGateways implements GatewayObserver from the server's Gatewayz.
func (e *embeddedInstance) ObserveGateways() ([]GatewayLink, error) {
	if !e.s.Running() {
		return nil, errors.New("not running")
	}
	gz, err := e.s.Gatewayz(&server.GatewayzOptions{})
	if err != nil {
		return nil, err
	}
	var out []GatewayLink
	for name, rg := range gz.OutboundGateways {
		if rg != nil && rg.Connection != nil {
			out = append(out, GatewayLink{Remote: name, Outbound: true, PeerID: rg.Connection.Name})
		}
	}
	for name, rgs := range gz.InboundGateways {
		for _, rg := range rgs {
			if rg != nil && rg.Connection != nil {
				out = append(out, GatewayLink{Remote: name, PeerID: rg.Connection.Name})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out, nil
}

func (g GatewayLink) key() string {
	dir := "inbound"
	if g.Outbound {
		dir = "outbound"
	}
	return dir + " " + g.Remote + " " + g.PeerID
}

// GatewayLinks reads a running server's gateway links now, without
// recording anything (tests and the fault layer's no-bypass check).
func (c *Cluster) GatewayLinks(server string) ([]GatewayLink, error) {
	m, err := c.member(server)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	inst, p := m.inst, m.phase
	c.mu.Unlock()
	g, ok := inst.(GatewayObserver)
	if !ok || (p != phaseRunning && p != phaseLameDuck) {
		return nil, fmt.Errorf("server %s: no gateway links to read", server)
	}
	return g.ObserveGateways()
}

// GatewayMeshed says whether every running server has an outbound
// gateway link to every other cluster that has a running server.
func (c *Cluster) GatewayMeshed() bool {
	running := c.Running()
	for _, s := range running {
		links, err := c.GatewayLinks(s)
		if err != nil {
			return false
		}
		self := c.ClusterOf(s)
		for _, o := range running {
			other := c.ClusterOf(o)
			if other != self && !slices.ContainsFunc(links, func(l GatewayLink) bool { return l.Outbound && l.Remote == other }) {
				return false
			}
		}
	}
	return true
}
