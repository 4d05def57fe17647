package faults

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// clusterConfig describes a test cluster behind a layer.
type clusterConfig struct {
	n             int
	topo          sim.Topology
	opts          sim.ServerOptions
	clientProxies bool
	backend       sim.Backend // nil: sim.Embedded
}

// startCluster starts n servers A, B, ... behind a fresh layer and waits
// for the full mesh. The cluster closes before the layer.
func startCluster(t *testing.T, cfg clusterConfig) (*sim.Cluster, *Layer, *sim.Timeline) {
	t.Helper()
	l, tl := newLayer(t, cfg.clientProxies)
	spec := sim.ClusterSpec{Name: "T", Topology: cfg.topo, Options: cfg.opts, ObserveEvery: -1}
	for i := 0; i < cfg.n; i++ {
		spec.Servers = append(spec.Servers, sim.ServerSpec{Name: string(rune('A' + i))})
	}
	if cfg.backend != nil {
		spec.Backends = []sim.Backend{cfg.backend}
	}
	c, err := sim.NewCluster(spec, tl, l)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.StartAll(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	testwait.NoError(t, 10*time.Second, "settled mesh", func() error { return settled(c, l) })
	d := time.Since(start)
	t.Logf("mesh of %d (%s) settled in %v after start", cfg.n, cfg.topo, d.Round(time.Millisecond))
	return c, l, tl
}

// settled is nil once the graph is the full mesh and every pair has its
// full pool of route links; otherwise it describes what is missing.
func settled(c *sim.Cluster, l *Layer) error {
	if graphIs(c, nil) && poolsFull(c, l) {
		return nil
	}
	var peers []string
	for _, o := range c.Observe() {
		peers = append(peers, fmt.Sprintf("%s:%v", o.Server, o.Peers))
	}
	return fmt.Errorf("peers %v, links %v, held %d", peers, l.RouteLinks(), l.Held())
}

// routesPerPair is what nats-server opens between two servers by
// default: a pool of three routes and one pinned to the system account.
const routesPerPair = 4

// poolsFull says whether every pair of running servers has its full set
// of route links. A mesh whose peers are all there may still be settling:
// when two servers dial each other at once, nats-server may close both
// routes and redial a second later.
func poolsFull(c *sim.Cluster, l *Layer) bool {
	links := l.RouteLinks()
	run := c.Running()
	for i, a := range run {
		for _, b := range run[i+1:] {
			if links[[2]string{a, b}] != routesPerPair {
				return false
			}
		}
	}
	return true
}

// graphIs says whether the route graph read from the running servers is
// exactly the one groups allow: each server routes to every running
// server of its group and to no other. nil groups: one group of all.
func graphIs(c *sim.Cluster, groups [][]string) bool {
	group := map[string]int{}
	for i, g := range groups {
		for _, s := range g {
			group[s] = i
		}
	}
	obs := c.Observe()
	for _, o := range obs {
		if !o.Running {
			continue
		}
		var want []string
		for _, p := range obs {
			if p.Running && p.Server != o.Server && group[p.Server] == group[o.Server] {
				want = append(want, p.Server)
			}
		}
		if !slices.Equal(o.Peers, want) { // both sorted
			return false
		}
	}
	return true
}

// routeLinksMatch says whether the layer's live route links are exactly
// on the pairs groups allow (inside a group), for the running servers.
func routeLinksMatch(c *sim.Cluster, l *Layer, groups [][]string) error {
	group := map[string]int{}
	for i, g := range groups {
		for _, s := range g {
			group[s] = i
		}
	}
	links := l.RouteLinks()
	run := c.Running()
	for i, a := range run {
		for _, b := range run[i+1:] {
			n := links[[2]string{a, b}]
			if same := group[a] == group[b]; same != (n > 0) {
				return fmt.Errorf("pair %s-%s: %d links, same group %v", a, b, n, same)
			}
		}
	}
	return nil
}

// routezBackend runs embedded servers as sim.Embedded does and keeps them,
// so a test can count each server's routes by remote name. With
// noAdvertise it builds the negative control: servers that gossip their
// real cluster addresses, so routes can bypass the layer.
type routezBackend struct {
	noAdvertise bool
	mu          sync.Mutex
	servers     map[string]*natsserver.Server
}

func (b *routezBackend) Name() string           { return "routez" }
func (b *routezBackend) Supports(v string) bool { return v == "" }

func (b *routezBackend) Launch(cfg sim.LaunchConfig) (sim.Instance, error) {
	opts := &natsserver.Options{
		ServerName: cfg.Name, Host: "127.0.0.1", Port: -1, ClientAdvertise: cfg.ClientAdvertise,
		NoLog: true, NoSigs: true, PingInterval: cfg.Options.PingInterval, MaxPingsOut: cfg.Options.MaxPingsOut,
		Cluster: natsserver.ClusterOpts{Name: cfg.Cluster, Host: "127.0.0.1", Port: -1, Advertise: cfg.RouteAdvertise},
	}
	if cfg.ClientPort != 0 {
		opts.Port = cfg.ClientPort
	}
	if b.noAdvertise {
		opts.Cluster.Advertise = ""
	}
	for _, r := range cfg.Routes {
		u, err := url.Parse(r)
		if err != nil {
			return nil, err
		}
		opts.Routes = append(opts.Routes, u)
	}
	s, err := natsserver.NewServer(opts)
	if err != nil {
		return nil, err
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		s.WaitForShutdown()
		return nil, fmt.Errorf("server %s not ready", cfg.Name)
	}
	b.mu.Lock()
	if b.servers == nil {
		b.servers = map[string]*natsserver.Server{}
	}
	b.servers[cfg.Name] = s
	b.mu.Unlock()
	inst := &routezInstance{s: s, done: make(chan struct{})}
	go func() { s.WaitForShutdown(); close(inst.done) }()
	return inst, nil
}

// routes counts the server's routes per remote server name, or nil when
// it does not run.
func (b *routezBackend) routes(name string) map[string]int {
	b.mu.Lock()
	s := b.servers[name]
	b.mu.Unlock()
	if s == nil || !s.Running() {
		return nil
	}
	rz, err := s.Routez(&natsserver.RoutezOptions{})
	if err != nil {
		return nil
	}
	out := map[string]int{}
	for _, r := range rz.Routes {
		out[r.RemoteName]++
	}
	return out
}

type routezInstance struct {
	s    *natsserver.Server
	done chan struct{}
}

func (i *routezInstance) ID() string            { return i.s.ID() }
func (i *routezInstance) Version() string       { return "v" + natsserver.VERSION }
func (i *routezInstance) ClientAddr() string    { return i.s.Addr().String() }
func (i *routezInstance) RouteAddr() string     { return i.s.ClusterAddr().String() }
func (i *routezInstance) Done() <-chan struct{} { return i.done }
func (i *routezInstance) Shutdown()             { i.s.Shutdown(); <-i.done }
func (i *routezInstance) Kill()                 { i.Shutdown() }
func (i *routezInstance) LameDuck()             { i.s.LameDuckShutdown(); <-i.done }
func (i *routezInstance) Observe() (int, []string, uint64, error) {
	rz, err := i.s.Routez(&natsserver.RoutezOptions{})
	if err != nil {
		return 0, nil, 0, err
	}
	var peers []string
	for _, r := range rz.Routes {
		if !slices.Contains(peers, r.RemoteName) {
			peers = append(peers, r.RemoteName)
		}
	}
	sort.Strings(peers)
	return i.s.NumClients(), peers, uint64(i.s.NumSlowConsumers()), nil
}

// noBypass is the design note's check: for every pair of running servers,
// the routes each side reports (by remote name) equal the live links the
// layer identified for that pair. A route the layer did not see is a
// bypass no partition can cut.
func noBypass(c *sim.Cluster, l *Layer, b *routezBackend) error {
	run := c.Running()
	seen := map[string]map[string]int{}
	for _, s := range run {
		seen[s] = b.routes(s)
	}
	links := l.RouteLinks()
	for i, a := range run {
		for _, z := range run[i+1:] {
			n := links[[2]string{a, z}]
			if seen[a][z] != n || seen[z][a] != n {
				return fmt.Errorf("pair %s-%s: %s sees %d routes, %s sees %d, the layer passes %d links",
					a, z, a, seen[a][z], z, seen[z][a], n)
			}
		}
	}
	return nil
}
