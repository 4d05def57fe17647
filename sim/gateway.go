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
// is the cluster's name.
//
//	A1 ──dial, INFO from B2, CONNECT name=ID(A1) gateway=east──> GP_B2 ──> B2's gateway port
//
// Behind a fault layer each server also has a gateway endpoint (GP_X),
// advertised as its gateway address, so gossiped gateway URLs name only
// proxies.

// GatewaySpec joins a cluster to a supercluster. NewSupercluster sets it.
type GatewaySpec struct {
	// Remotes lists the other clusters' gateways, each with the gateway
	// URLs of its declared servers.
	Remotes func() []GatewayRemote
	// PeerName maps a server ID to its name across the supercluster ("" if
	// unknown), to name the peer of each gateway link on the timeline.
	PeerName func(id string) string
}

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
// layer). A cluster with a GatewaySpec refuses a Network without it:
// gateway links would bypass it.
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

// Supercluster is a set of named clusters joined by gateways, sharing one
// timeline and one network.
type Supercluster struct {
	clusters []*Cluster
}

// NewSupercluster declares every cluster of the supercluster; it starts
// nothing. Cluster names and server names must be unique across it. net
// may be nil (direct links); otherwise it must be a GatewayNetwork.
func NewSupercluster(specs []ClusterSpec, tl *Timeline, net Network) (*Supercluster, error) {
	if len(specs) < 2 {
		return nil, fmt.Errorf("a supercluster needs at least two clusters, got %d", len(specs))
	}
	if net != nil {
		if _, ok := net.(GatewayNetwork); !ok {
			return nil, errors.New("the network cannot carry gateway links")
		}
	}
	names, servers := map[string]bool{}, map[string]string{}
	for _, s := range specs {
		if s.Name == "" {
			return nil, errors.New("every cluster of a supercluster needs a name")
		}
		if names[s.Name] {
			return nil, fmt.Errorf("cluster %s declared twice", s.Name)
		}
		names[s.Name] = true
		for _, sv := range s.Servers {
			if other, dup := servers[sv.Name]; dup {
				return nil, fmt.Errorf("server %s is in clusters %s and %s", sv.Name, other, s.Name)
			}
			servers[sv.Name] = s.Name
		}
	}
	sc := &Supercluster{}
	for _, spec := range specs {
		self := spec.Name
		spec.Gateway = &GatewaySpec{Remotes: func() []GatewayRemote { return sc.remotesOf(self) }, PeerName: sc.peerName}
		c, err := NewCluster(spec, tl, net)
		if err != nil {
			sc.Close()
			return nil, fmt.Errorf("cluster %s: %w", spec.Name, err)
		}
		sc.clusters = append(sc.clusters, c)
	}
	return sc, nil
}

func (sc *Supercluster) remotesOf(self string) []GatewayRemote {
	var out []GatewayRemote
	for _, c := range sc.clusters {
		if c.spec.Name != self {
			out = append(out, GatewayRemote{Name: c.spec.Name, URLs: c.gatewayURLs()})
		}
	}
	return out
}

// Clusters lists the clusters in declaration order.
func (sc *Supercluster) Clusters() []*Cluster { return slices.Clone(sc.clusters) }

// Cluster returns the cluster of that name, nil if none.
func (sc *Supercluster) Cluster(name string) *Cluster {
	for _, c := range sc.clusters {
		if c.spec.Name == name {
			return c
		}
	}
	return nil
}

// ClusterOf returns the cluster a server was declared in, nil if none.
func (sc *Supercluster) ClusterOf(server string) *Cluster {
	for _, c := range sc.clusters {
		if _, err := c.member(server); err == nil {
			return c
		}
	}
	return nil
}

// StartAll starts every cluster's servers, cluster after cluster.
func (sc *Supercluster) StartAll() error {
	var errs []error
	for _, c := range sc.clusters {
		if err := c.StartAll(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close closes every cluster; the network, owned by the caller, stays.
func (sc *Supercluster) Close() error {
	var errs []error
	for _, c := range sc.clusters {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// memberGateway is a member's stable gateway address (supercluster only).
type memberGateway struct {
	addr string // what gateways dial: the network's endpoint or a stable port
	port int    // stable direct gateway port when there is no network
}

// Name is the cluster's name (its gateway name in a supercluster).
func (c *Cluster) Name() string { return c.spec.Name }

// gatewayURLs are the gateway URLs of the cluster's declared servers.
func (c *Cluster) gatewayURLs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, n := range c.order {
		if m := c.members[n]; m.phase != phaseRemoved && m.gw.addr != "" {
			out = append(out, "nats://"+m.gw.addr)
		}
	}
	return out
}

// declareGateway gives a new member its stable gateway address: the
// network's gateway endpoint, or a port of its own without a network.
func (c *Cluster) declareGateway(m *member) error {
	if c.spec.Gateway == nil {
		return nil
	}
	if c.net != nil {
		gn, ok := c.net.(GatewayNetwork)
		if !ok {
			return errors.New("the network cannot carry gateway links")
		}
		addr, err := gn.AttachGateway(m.spec.Name, c.spec.Name)
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
	if c.spec.Gateway == nil {
		return nil
	}
	g := &LaunchGateway{Name: c.spec.Name, Port: m.gw.port, Remotes: c.spec.Gateway.Remotes()}
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
func (sc *Supercluster) GatewayMeshed() bool {
	for _, c := range sc.clusters {
		for _, s := range c.Running() {
			links, err := c.GatewayLinks(s)
			if err != nil {
				return false
			}
			for _, o := range sc.clusters {
				if o == c || len(o.Running()) == 0 {
					continue
				}
				if !slices.ContainsFunc(links, func(l GatewayLink) bool { return l.Outbound && l.Remote == o.spec.Name }) {
					return false
				}
			}
		}
	}
	return true
}
