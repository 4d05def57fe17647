package sim

import (
	"fmt"
	"log"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/natschaos/natschaos/internal/leftovers"
	"github.com/natschaos/natschaos/internal/ports"
)

// Embedded runs nats-server inside this process: about a millisecond to
// start, no binaries to build, and the version compiled into this binary.
type Embedded struct{}

// Name implements Backend.
func (Embedded) Name() string { return "embedded" }

// EmbeddedVersion is the nats-server release compiled into this binary.
var EmbeddedVersion = server.VERSION

// Supports implements Backend: only the compiled-in release.
func (Embedded) Supports(version string) bool {
	return version == "" || version == "embedded" || version == "v"+server.VERSION || version == server.VERSION
}

// Launch implements Backend.
func (Embedded) Launch(cfg LaunchConfig) (Instance, error) {
	opts := &server.Options{
		ServerName:          cfg.Name,
		Host:                "127.0.0.1",
		Port:                cfg.ClientPort,
		ClientAdvertise:     cfg.ClientAdvertise,
		NoLog:               !cfg.Verbose,
		NoSigs:              true,
		LameDuckDuration:    cfg.Options.LameDuckDuration,
		LameDuckGracePeriod: cfg.Options.LameDuckGracePeriod,
		PingInterval:        cfg.Options.PingInterval,
		MaxPingsOut:         cfg.Options.MaxPingsOut,
		WriteDeadline:       cfg.Options.WriteDeadline,
		MaxPayload:          cfg.Options.MaxPayload,
		MaxPending:          cfg.Options.MaxPending,
		MaxConn:             cfg.Options.MaxConnections,
		Cluster: server.ClusterOpts{
			Name:           cfg.Cluster,
			Host:           "127.0.0.1",
			Port:           -1, // a fresh port on every start: the network endpoint stays put
			Advertise:      cfg.RouteAdvertise,
			NoAdvertise:    cfg.Options.NoAdvertise,
			ConnectRetries: cfg.Options.ConnectRetries,
			PoolSize:       cfg.Options.PoolSize,
		},
	}
	if opts.Port == 0 {
		opts.Port = -1
	}
	if cfg.RoutePort != 0 {
		opts.Cluster.Port = cfg.RoutePort
	} else if cfg.OnRouteListening != nil {
		// Behind the fault layer: pick the real route port here, so the
		// layer knows it before any peer can learn this server by gossip
		// (a gossiped route refused once is never retried).
		p, err := ports.Pick()
		if err != nil {
			return nil, err
		}
		// Each start picks afresh, so no reservation is needed once the
		// server holds the port (or failed to start).
		defer ports.Release(p)
		opts.Cluster.Port = p
	}
	for _, r := range cfg.Routes {
		u, err := url.Parse(r)
		if err != nil {
			return nil, fmt.Errorf("route %q: %w", r, err)
		}
		opts.Routes = append(opts.Routes, u)
	}
	gwPort, err := embeddedGateway(opts, cfg.Gateway)
	if gwPort != 0 {
		defer ports.Release(gwPort)
	}
	if err != nil {
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	if err := applySecurity(opts, cfg.Options.Security); err != nil {
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	leafPort, err := applyLeaf(opts, cfg.Leaf)
	if leafPort != 0 {
		defer ports.Release(leafPort)
	}
	if err != nil {
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	var storeDir string
	if cfg.Options.JetStream {
		opts.JetStream = true
		opts.StoreDir = cfg.StoreDir
		if cfg.StoreDir == "" {
			dir, err := leftovers.MkdirTemp("natschaos-js-" + cfg.Name + "-")
			if err != nil {
				return nil, err
			}
			storeDir = dir // removed when the server exits
			opts.StoreDir = dir
		}
	}
	s, err := server.NewServer(opts)
	if err != nil {
		if storeDir != "" {
			os.RemoveAll(storeDir)
		}
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	if cfg.Verbose {
		s.SetLogger(newPrefixLogger(cfg.Name), os.Getenv("NATSCHAOS_DEBUG") != "", false)
	}
	inst := &embeddedInstance{s: s, done: make(chan struct{}), storeDir: storeDir}
	if cfg.OnID != nil {
		cfg.OnID(s.ID())
	}
	s.Start()
	if cfg.OnRouteListening != nil {
		// The route port was picked before the server was made, so its
		// endpoint can open now: the server listens on it within
		// microseconds and cannot gossip its address before it does.
		cfg.OnRouteListening(fmt.Sprintf("127.0.0.1:%d", opts.Cluster.Port))
	}
	if cfg.Leaf.OnListening != nil {
		cfg.Leaf.OnListening(fmt.Sprintf("127.0.0.1:%d", opts.LeafNode.Port))
	}
	if g := cfg.Gateway; g != nil && g.OnListening != nil {
		g.OnListening(fmt.Sprintf("127.0.0.1:%d", opts.Gateway.Port))
	}
	if !readySoon(s, 10*time.Second) {
		s.Shutdown()
		s.WaitForShutdown()
		inst.cleanup()
		return nil, fmt.Errorf("server %s: not ready for connections within 10s", cfg.Name)
	}
	inst.clientAddr = s.Addr().String()
	inst.routeAddr = s.ClusterAddr().String()
	go func() {
		s.WaitForShutdown()
		inst.cleanup()
		close(inst.done)
	}()
	return inst, nil
}

type embeddedInstance struct {
	s          *server.Server
	clientAddr string
	routeAddr  string
	storeDir   string
	done       chan struct{}
	once       sync.Once
}

func (e *embeddedInstance) cleanup() {
	e.once.Do(func() {
		if e.storeDir != "" {
			os.RemoveAll(e.storeDir)
		}
	})
}

func (e *embeddedInstance) ID() string            { return e.s.ID() }
func (e *embeddedInstance) Version() string       { return "v" + server.VERSION }
func (e *embeddedInstance) ClientAddr() string    { return e.clientAddr }
func (e *embeddedInstance) RouteAddr() string     { return e.routeAddr }
func (e *embeddedInstance) Done() <-chan struct{} { return e.done }

func (e *embeddedInstance) Shutdown() {
	e.s.Shutdown()
	<-e.done
}

// Kill cannot end an in-process server more abruptly than Shutdown; the
// abruptness a client sees comes from the network, which drops every link
// at once before this is called (see Cluster.Kill).
func (e *embeddedInstance) Kill() { e.Shutdown() }

func (e *embeddedInstance) LameDuck() {
	e.s.LameDuckShutdown()
	<-e.done
}

func (e *embeddedInstance) Observe() (int, []string, uint64, error) {
	if !e.s.Running() {
		return 0, nil, 0, fmt.Errorf("not running")
	}
	rz, err := e.s.Routez(&server.RoutezOptions{})
	if err != nil {
		return 0, nil, 0, err
	}
	peers := distinctPeers(len(rz.Routes), func(i int) (string, string) { return rz.Routes[i].RemoteName, rz.Routes[i].RemoteID })
	return e.s.NumClients(), peers, uint64(e.s.NumSlowConsumers()), nil
}

// freePort picks a port for a server that must come back on the same port
// (client links not proxied, or no network at all), reserved until
// releasePort.
func freePort() (int, error) { return ports.Pick() }

// releasePort gives up a freePort reservation: the server is gone for good.
func releasePort(p int) { ports.Release(p) }

type prefixLogger struct{ l *log.Logger }

func newPrefixLogger(name string) *prefixLogger {
	return &prefixLogger{l: log.New(os.Stderr, "["+name+"] ", log.Lmicroseconds)}
}

func (p *prefixLogger) Noticef(f string, v ...any) { p.l.Printf("INF "+f, v...) }
func (p *prefixLogger) Warnf(f string, v ...any)   { p.l.Printf("WRN "+f, v...) }
func (p *prefixLogger) Fatalf(f string, v ...any)  { p.l.Printf("FTL "+f, v...) }
func (p *prefixLogger) Errorf(f string, v ...any)  { p.l.Printf("ERR "+f, v...) }
func (p *prefixLogger) Debugf(f string, v ...any)  { p.l.Printf("DBG "+f, v...) }
func (p *prefixLogger) Tracef(f string, v ...any)  { p.l.Printf("TRC "+f, v...) }

// readySoon waits for the server's listeners. ReadyForConnections sleeps
// 25ms between checks when given a long deadline, which alone tripled the
// time to mesh three servers; short calls in a loop answer within a
// fraction of a millisecond of the listeners being up.
func readySoon(s *server.Server, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if s.ReadyForConnections(time.Millisecond) {
			return true
		}
		time.Sleep(200 * time.Microsecond)
	}
	return false
}
