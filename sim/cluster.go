package sim

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// Topology says which routes each server is configured with.
type Topology string

const (
	// TopologyFull: every server lists the routes of every server that
	// starts with the cluster. A server declared for a later start (the
	// docs' temporary C) lists the same routes: the others learn of it by
	// gossip, as in "Upgrading a Cluster". The docs' self-route is left
	// out: nats-server skips a self-route whose address is its own, but
	// behind the fault layer the address is a proxy's, and dialling itself
	// through it made route pools collide and redial a second later.
	TopologyFull Topology = "full"
	// TopologySeed: every server routes only to the first one; gossip
	// forms the rest of the mesh.
	TopologySeed Topology = "seed"
)

// ServerSpec declares one server.
type ServerSpec struct {
	Name string
	// Version selects the release; "" is the embedded one.
	Version string
	// Deferred servers are declared (their addresses exist and refuse
	// connections) but only started by an explicit Start.
	Deferred bool
	// Options, when set, replace the cluster-wide options for this server.
	Options *ServerOptions
	// ClientAddr, when set, is the fixed host:port clients dial (a server
	// natschaos does not start: see External).
	ClientAddr string
	// Cluster names the server's cluster in a supercluster (gateway.go);
	// empty means the ClusterSpec's Name.
	Cluster string
}

// ClusterSpec declares a cluster.
type ClusterSpec struct {
	Name     string
	Topology Topology
	Servers  []ServerSpec
	Options  ServerOptions
	// Backends run the servers; the first that supports a server's
	// version is used, at every start (a restart with another version may
	// switch backend). Empty means DefaultBackends: embedded for its own
	// release, a nats-server process for any other.
	Backends []Backend
	// LogDir receives the logs of servers that write one (processes:
	// <LogDir>/<name>.log); empty means a temporary folder.
	LogDir string
	// ObserveEvery is the period of the servers' observations on the
	// timeline; 0 means 50ms, negative means only on demand.
	ObserveEvery time.Duration
	Verbose      bool
	// Leaf, when set, makes the servers a hub or leaves (leaf.go).
	Leaf *LeafSpec
	// Topologies gives clusters of a supercluster (ServerSpec.Cluster)
	// their own topology; a cluster not named uses Topology.
	Topologies map[string]Topology
}

type serverPhase int

const (
	phaseDeclared serverPhase = iota
	phaseRunning
	phaseLameDuck
	phaseExited
	phaseRemoved
)

type member struct {
	spec       ServerSpec
	clientAddr string // what clients dial: the network's endpoint or a stable port
	routeAddr  string // what routes dial
	clientPort int    // stable direct client port when client links are not proxied
	routePort  int    // stable direct route port when there is no network
	gw         memberGateway
	ops        sync.Mutex
	phase      serverPhase
	inst       Instance
	exited     chan struct{} // closed when a lame-duck exit completes
	starts     int
}

// Cluster is a set of NATS servers that can be started, stopped, killed,
// restarted and changed while clients use them. Every lifecycle change and
// every observation is recorded on the timeline.
type Cluster struct {
	spec ClusterSpec
	tl   *Timeline
	net  Network

	mu      sync.Mutex
	members map[string]*member
	order   []string

	wg   sync.WaitGroup
	stop chan struct{}
	once sync.Once

	stores jsStores // JetStream stores kept across restarts (js_store.go)
	leaf   leafHub  // hub servers' leaf addresses (leaf.go)

	super  bool // the servers form a supercluster (gateway.go)
	gwMu   sync.Mutex
	gwView gatewayView // gateway links last recorded (gateway_observe.go)
}

// NewCluster declares the servers and creates their network endpoints; it
// starts nothing. net may be nil: clients and routes then connect directly.
func NewCluster(spec ClusterSpec, tl *Timeline, net Network) (*Cluster, error) {
	if spec.Name == "" {
		spec.Name = "natschaos"
	}
	if spec.Topology == "" {
		spec.Topology = TopologyFull
	}
	for _, t := range append([]Topology{spec.Topology}, slices.Collect(maps.Values(spec.Topologies))...) {
		if t != TopologyFull && t != TopologySeed {
			return nil, fmt.Errorf("unknown topology %q", t)
		}
	}
	if len(spec.Backends) == 0 {
		spec.Backends = DefaultBackends()
	}
	c := &Cluster{spec: spec, tl: tl, net: net, members: map[string]*member{}, stop: make(chan struct{}), super: superclusterOf(spec)}
	for _, s := range spec.Servers {
		if err := c.declare(s); err != nil {
			c.Close()
			return nil, err
		}
	}
	if every := spec.ObserveEvery; every >= 0 {
		if every == 0 {
			every = 50 * time.Millisecond
		}
		c.wg.Add(1)
		go c.observeLoop(every)
	}
	return c, nil
}

func (c *Cluster) declare(s ServerSpec) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.members[s.Name]; dup {
		return fmt.Errorf("server %s declared twice", s.Name)
	}
	if c.backendFor(s.Version) == nil {
		return fmt.Errorf("server %s: version %q: %w", s.Name, s.Version, ErrUnsupportedVersion)
	}
	m := &member{spec: s}
	if c.net != nil {
		ca, ra, err := c.net.Attach(s.Name)
		if err != nil {
			return fmt.Errorf("server %s: %w", s.Name, err)
		}
		m.clientAddr, m.routeAddr = ca, ra
	} else {
		p, err := freePort()
		if err != nil {
			return err
		}
		m.routePort = p
		m.routeAddr = fmt.Sprintf("127.0.0.1:%d", p)
	}
	if err := c.declareGateway(m); err != nil {
		return fmt.Errorf("server %s: %w", s.Name, err)
	}
	if s.ClientAddr != "" {
		m.clientAddr = s.ClientAddr
	}
	if m.clientAddr == "" {
		p, err := freePort()
		if err != nil {
			return err
		}
		m.clientPort = p
		m.clientAddr = fmt.Sprintf("127.0.0.1:%d", p)
	}
	if err := c.declareLeafLocked(s.Name); err != nil {
		return err
	}
	c.members[s.Name] = m
	c.order = append(c.order, s.Name)
	return nil
}

func (c *Cluster) backendFor(version string) Backend {
	for _, b := range c.spec.Backends {
		if b.Supports(version) {
			return b
		}
	}
	return nil
}

func (c *Cluster) member(name string) (*member, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.members[name]
	if !ok || m.phase == phaseRemoved {
		return nil, fmt.Errorf("no server named %q", name)
	}
	return m, nil
}

// Names lists the declared servers in declaration order.
func (c *Cluster) Names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, n := range c.order {
		if c.members[n].phase != phaseRemoved {
			out = append(out, n)
		}
	}
	return out
}

// ClientURL is the URL clients use for a server, stable across restarts.
func (c *Cluster) ClientURL(name string) (string, error) {
	m, err := c.member(name)
	if err != nil {
		return "", err
	}
	return "nats://" + m.clientAddr, nil
}

// ServerForAddr maps a client-facing host:port back to its server name.
func (c *Cluster) ServerForAddr(hostport string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for n, m := range c.members {
		if m.clientAddr == hostport {
			return n, true
		}
	}
	return "", false
}

// routesFor is the configured route list of a server for the topology,
// among the servers of its own cluster.
func (c *Cluster) routesFor(name string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	self := c.clusterOfLocked(c.members[name])
	var same []string
	for _, n := range c.order {
		if c.clusterOfLocked(c.members[n]) == self {
			same = append(same, n)
		}
	}
	var out []string
	switch c.topologyLocked(self) {
	case TopologySeed:
		if seed := same[0]; seed != name {
			out = append(out, "nats-route://"+c.members[seed].routeAddr)
		}
	default:
		for _, n := range same {
			if m := c.members[n]; m.phase != phaseRemoved && !m.spec.Deferred && n != name {
				out = append(out, "nats-route://"+m.routeAddr)
			}
		}
	}
	return out
}

// StartAll starts every server that is not deferred, one after another.
// Each new server's dials reach the servers already up; its dials to those
// not started yet are refused, and the later ones dial it instead. (Holding
// early dials until their target is up was slower: opposite dials of a
// pair were released together and nats-server dropped both as duplicates,
// redialling a second later.)
func (c *Cluster) StartAll() error {
	var errs []error
	for _, n := range c.Names() {
		m, _ := c.member(n)
		if !m.spec.Deferred && c.phaseOf(m) == phaseDeclared {
			if err := c.Start(n); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Start starts a declared or exited server on its stable addresses.
func (c *Cluster) Start(name string) error { return c.start(name, "", false) }

func (c *Cluster) start(name, version string, restart bool) error {
	m, err := c.member(name)
	if err != nil {
		return err
	}
	m.ops.Lock()
	defer m.ops.Unlock()
	return c.startLocked(m, version, restart)
}

func (c *Cluster) startLocked(m *member, version string, restart bool) error {
	switch c.phaseOf(m) {
	case phaseRunning, phaseLameDuck:
		return fmt.Errorf("server %s is already running", m.spec.Name)
	case phaseRemoved:
		return fmt.Errorf("server %s was removed", m.spec.Name)
	}
	if version == "" {
		version = m.spec.Version
	}
	b := c.backendFor(version)
	if b == nil {
		return fmt.Errorf("server %s: version %q: %w", m.spec.Name, version, ErrUnsupportedVersion)
	}
	opts := c.spec.Options
	if m.spec.Options != nil {
		opts = *m.spec.Options
	}
	cfg := LaunchConfig{
		Name:       m.spec.Name,
		Cluster:    c.ClusterOf(m.spec.Name),
		Version:    version,
		ClientPort: m.clientPort,
		Routes:     c.routesFor(m.spec.Name),
		Options:    opts,
		Verbose:    c.spec.Verbose,
		LogDir:     c.spec.LogDir,
		Gateway:    c.launchGateway(m),
	}
	c.leafLaunch(&cfg)
	if opts.JetStream {
		dir, err := c.stores.dirFor(m.spec.Name)
		if err != nil {
			return err
		}
		cfg.StoreDir = dir
	}
	if c.net != nil {
		cfg.RouteAdvertise = m.routeAddr
		if m.clientPort == 0 {
			cfg.ClientAdvertise = m.clientAddr
		}
		// Its endpoints stay shut until its real route listener exists,
		// then open in front of it (see faults.Layer.RouteListening); its
		// own dials pass from Identify on.
		c.net.Starting(m.spec.Name)
		name := m.spec.Name
		cfg.OnID = func(id string) { c.net.Identify(name, id) }
		cfg.OnRouteListening = func(addr string) { _ = c.net.RouteListening(name, addr) } // Up reports failures
	} else {
		cfg.RoutePort = m.routePort
	}
	inst, err := b.Launch(cfg)
	if err != nil {
		if c.net != nil {
			c.net.Down(m.spec.Name)
		}
		return err
	}
	if c.net != nil {
		ca := ""
		if m.clientPort == 0 {
			ca = inst.ClientAddr()
		}
		if err := c.net.Up(m.spec.Name, inst.ID(), ca, inst.RouteAddr()); err != nil {
			inst.Kill()
			c.net.Down(m.spec.Name)
			return err
		}
	}
	// The observer reads inst and phase under c.mu: set them together.
	c.mu.Lock()
	m.inst = inst
	m.phase = phaseRunning
	m.spec.Version = version
	m.starts++
	starts := m.starts
	c.mu.Unlock()
	detail := "start"
	if restart || starts > 1 {
		detail = "restart"
	}
	ev := Event{Kind: ServerStart, Server: m.spec.Name, Version: inst.Version(), ID: inst.ID(), Detail: detail}
	if c.super {
		ev.Cluster = c.ClusterOf(m.spec.Name)
	}
	c.tl.Add(ev)
	c.ObserveNow()
	return nil
}

// Stop shuts a server down gracefully and returns once it is gone.
func (c *Cluster) Stop(name string) error {
	m, err := c.member(name)
	if err != nil {
		return err
	}
	m.ops.Lock()
	defer m.ops.Unlock()
	return c.stopLocked(m)
}

func (c *Cluster) stopLocked(m *member) error {
	if c.phaseOf(m) == phaseLameDuck {
		// Already leaving: a graceful stop just ends lame duck sooner.
		c.tl.Add(Event{Kind: ServerStop, Server: m.spec.Name})
		m.inst.Shutdown()
		<-m.exited
		return nil
	}
	if c.phaseOf(m) != phaseRunning {
		return fmt.Errorf("server %s is not running", m.spec.Name)
	}
	c.tl.Add(Event{Kind: ServerStop, Server: m.spec.Name})
	m.inst.Shutdown()
	c.exited(m)
	return nil
}

// exited records a server's end and tells the network.
func (c *Cluster) exited(m *member) {
	if c.net != nil {
		c.net.Down(m.spec.Name)
	}
	c.setPhase(m, phaseExited)
	c.tl.Add(Event{Kind: ServerExit, Server: m.spec.Name})
	c.ObserveNow()
}

// Kill ends a server abruptly. A killed process sends nothing more, so
// the order matters: with client links behind the network, the network
// drops them (then the routes) at once, as the kernel would, and the
// server goes after. With direct client links, the server begins its
// shutdown first (from then on it gossips nothing to its clients) and
// the network drops its routes after. The other way round, the server
// outlived its routes by a few milliseconds and told its clients the
// cluster had shrunk: they pruned the survivors from their server lists
// and all reconnected to the same one.
func (c *Cluster) Kill(name string) error {
	m, err := c.member(name)
	if err != nil {
		return err
	}
	m.ops.Lock()
	defer m.ops.Unlock()
	p := c.phaseOf(m)
	if p != phaseRunning && p != phaseLameDuck {
		return fmt.Errorf("server %s is not running", name)
	}
	c.tl.Add(Event{Kind: ServerKill, Server: name})
	proxiedClients := c.net != nil && m.clientPort == 0
	if proxiedClients {
		c.net.Down(name)
		m.inst.Kill()
	} else {
		m.inst.Kill()
		if c.net != nil {
			c.net.Down(name)
		}
	}
	if p == phaseLameDuck {
		<-m.exited
		return nil
	}
	c.exited(m)
	return nil
}

// LameDuck puts a server in lame duck mode and returns at once; the server
// exits by itself when lame duck ends.
func (c *Cluster) LameDuck(name string) error {
	m, err := c.member(name)
	if err != nil {
		return err
	}
	m.ops.Lock()
	defer m.ops.Unlock()
	if c.phaseOf(m) != phaseRunning {
		return fmt.Errorf("server %s is not running", name)
	}
	c.setPhase(m, phaseLameDuck)
	m.exited = make(chan struct{})
	c.tl.Add(Event{Kind: ServerLameDuck, Server: name})
	inst, done := m.inst, m.exited
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		inst.LameDuck()
		c.exited(m)
		close(done)
	}()
	return nil
}

// Restart starts a server again on the same addresses, optionally with
// another version. A running server is stopped gracefully first; one in
// lame duck is waited for.
func (c *Cluster) Restart(name, version string) error {
	m, err := c.member(name)
	if err != nil {
		return err
	}
	m.ops.Lock()
	defer m.ops.Unlock()
	switch c.phaseOf(m) {
	case phaseLameDuck:
		select {
		case <-m.exited:
		case <-c.stop:
			return fmt.Errorf("server %s: aborted while waiting for lame duck to end", name)
		}
	case phaseRunning:
		if err := c.stopLocked(m); err != nil {
			return err
		}
	}
	return c.startLocked(m, version, true)
}

// Add declares a server while the cluster runs; start it with Start.
func (c *Cluster) Add(spec ServerSpec) error {
	if err := c.declare(spec); err != nil {
		return err
	}
	c.tl.Add(Event{Kind: ServerAdd, Server: spec.Name})
	return nil
}

// Remove stops a server if it runs and removes it for good.
func (c *Cluster) Remove(name string) error {
	m, err := c.member(name)
	if err != nil {
		return err
	}
	m.ops.Lock()
	defer m.ops.Unlock()
	switch c.phaseOf(m) {
	case phaseRunning, phaseLameDuck:
		if err := c.stopLocked(m); err != nil {
			return err
		}
	}
	c.setPhase(m, phaseRemoved)
	m.releasePorts()
	if c.net != nil {
		if err := c.net.Detach(name); err != nil {
			return err
		}
	}
	c.tl.Add(Event{Kind: ServerRemove, Server: name})
	return nil
}

// IsRemoved says whether the server was declared and then removed.
func (c *Cluster) IsRemoved(name string) bool {
	c.mu.Lock()
	m, ok := c.members[name]
	c.mu.Unlock()
	return ok && c.phaseOf(m) == phaseRemoved
}

// Running lists the servers that run now (lame duck included).
func (c *Cluster) Running() []string {
	var out []string
	for _, n := range c.Names() {
		m, _ := c.member(n)
		if p := c.phaseOf(m); p == phaseRunning || p == phaseLameDuck {
			out = append(out, n)
		}
	}
	return out
}

// IsRunning says whether a server runs now (lame duck included).
func (c *Cluster) IsRunning(name string) bool { return slices.Contains(c.Running(), name) }

// Close shuts every server down and waits for every goroutine of the
// cluster. The network, owned by the caller, is not closed.
func (c *Cluster) Close() error {
	c.once.Do(func() { close(c.stop) })
	for _, n := range c.Names() {
		m, _ := c.member(n)
		m.ops.Lock()
		switch c.phaseOf(m) {
		case phaseRunning:
			m.inst.Shutdown()
			c.exited(m)
		case phaseLameDuck:
			m.inst.Shutdown()
		}
		m.releasePorts()
		m.ops.Unlock()
	}
	c.releaseLeafPorts()
	c.wg.Wait()
	return c.stores.remove()
}

// releasePorts gives up the reservations of the stable ports the cluster
// picked for the member (none behind a fault layer): it is gone for good.
func (m *member) releasePorts() {
	for _, p := range []int{m.routePort, m.clientPort, m.gw.port} {
		if p != 0 {
			releasePort(p)
		}
	}
}

func (c *Cluster) setPhase(m *member, p serverPhase) {
	c.mu.Lock()
	m.phase = p
	c.mu.Unlock()
}

func (c *Cluster) phaseOf(m *member) serverPhase {
	c.mu.Lock()
	defer c.mu.Unlock()
	return m.phase
}

// Abort makes every operation blocked waiting for a server (a restart
// waiting out lame duck) return at once; Close must still be called.
func (c *Cluster) Abort() { c.once.Do(func() { close(c.stop) }) }

// Suspend really stops a running server whose backend can (a process:
// SIGSTOP) and says whether it did. Embedded servers cannot be suspended;
// the fault layer's freeze alone stands for it.
func (c *Cluster) Suspend(name string) bool {
	m, err := c.member(name)
	if err != nil {
		return false
	}
	c.mu.Lock()
	inst, p := m.inst, m.phase
	c.mu.Unlock()
	s, ok := inst.(Suspender)
	if !ok || (p != phaseRunning && p != phaseLameDuck) {
		return false
	}
	s.Suspend()
	return true
}

// Resume lets a suspended server run again; a no-op for others.
func (c *Cluster) Resume(name string) {
	m, err := c.member(name)
	if err != nil {
		return
	}
	c.mu.Lock()
	inst := m.inst
	c.mu.Unlock()
	if s, ok := inst.(Suspender); ok {
		s.Resume()
	}
}
