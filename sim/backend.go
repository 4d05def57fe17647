package sim

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Backend starts servers of one kind: embedded in this process (Embedded)
// or real nats-server binaries (Process). The cluster only talks to this seam, so a new
// kind of server fits without touching callers.
type Backend interface {
	// Name names the backend in events and errors ("embedded", "process").
	Name() string
	// Supports says whether this backend can run the given version
	// ("" or "embedded" means the nats-server compiled into this binary).
	Supports(version string) bool
	// Launch starts one server and returns once it accepts connections.
	Launch(cfg LaunchConfig) (Instance, error)
}

// LaunchConfig is everything a backend needs to start one server.
type LaunchConfig struct {
	Name    string
	Cluster string
	Version string
	// ClientPort and RoutePort are the ports to listen on; 0 picks a
	// fresh one (the network's endpoint in front stays put).
	ClientPort int
	RoutePort  int
	// ClientAdvertise and RouteAdvertise are the addresses gossiped to
	// clients and peers (the fault layer's endpoints, when there is one).
	ClientAdvertise string
	RouteAdvertise  string
	// Routes are the route URLs the server dials (nats-route://host:port).
	Routes  []string
	Options ServerOptions
	Verbose bool
	// LogDir is where a backend that writes server logs puts them
	// (<LogDir>/<name>.log); empty means a temporary folder.
	LogDir string
	// StoreDir is the JetStream store of this server, kept across its
	// restarts; empty means a temporary one removed when it exits.
	StoreDir string
	// OnID, when set, is called with the server's ID once it is known and
	// before the server dials its routes.
	OnID func(id string)
	// OnRouteListening, when set, is called with the real route address as
	// soon as the server listens on it (within a fraction of a
	// millisecond), while it may still be starting.
	OnRouteListening func(addr string)
	// Leaf is the server's part in leaf links (leaf.go).
	Leaf LeafLaunch
	// Gateway, when set, joins the server to a supercluster (gateway.go).
	Gateway *LaunchGateway
}

// Instance is one running server process (or in-process server).
type Instance interface {
	ID() string
	Version() string
	ClientAddr() string // host:port the server itself listens on for clients
	RouteAddr() string  // host:port the server itself listens on for routes
	// Shutdown stops the server gracefully and returns once it is gone.
	Shutdown()
	// Kill ends the server as abruptly as the backend allows and returns
	// once it is gone.
	Kill()
	// LameDuck enters lame duck mode and blocks until the server exits.
	LameDuck()
	// Observe reads the server's own view: client count, distinct route
	// peers by server name, and its slow consumer counter.
	Observe() (clients int, peers []string, slowConsumers uint64, err error)
	// Done is closed when the server has exited, for whatever reason.
	Done() <-chan struct{}
}

// Suspender is implemented by instances that can really stop running
// without closing anything (a process: SIGSTOP / SIGCONT). The fault
// layer's freeze holds a server's links; a suspended process also stops
// its own timers, as a frozen machine would.
type Suspender interface {
	Suspend()
	Resume()
}

// ServerOptions are the server settings a scenario may set for every server
// or one of them.
type ServerOptions struct {
	LameDuckDuration    time.Duration
	LameDuckGracePeriod time.Duration
	// PingInterval and MaxPingsOut apply to the server's clients and routes
	// (nats-server caps route pings at 30 s); zero keeps the defaults.
	PingInterval time.Duration
	MaxPingsOut  int
	JetStream    bool
	// The rest map one to one onto nats-server options; zero keeps the
	// server's default.
	WriteDeadline  time.Duration
	MaxPayload     int32
	MaxPending     int64
	MaxConnections int
	NoAdvertise    bool // cluster.no_advertise: clients are not told of peers
	ConnectRetries int  // cluster.connect_retries
	PoolSize       int  // cluster.pool_size
	// Security is TLS and users (see security.go); nil means neither.
	Security *Security
}

// Preparer is a Backend that has work to do before it can launch a version
// (building a binary). Prepare runs it ahead, outside any run's timeout.
type Preparer interface {
	Prepare(ctx context.Context, version string) error
}

// DefaultBackends are the embedded backend for its own release and the
// process backend for every other.
func DefaultBackends() []Backend { return []Backend{Embedded{}, Process{}} }

// Prepare readies every version on the backend that will run it (nil
// backends means DefaultBackends), so that no server start waits for a
// build.
func Prepare(ctx context.Context, backends []Backend, versions ...string) error {
	if len(backends) == 0 {
		backends = DefaultBackends()
	}
	done := map[string]bool{}
	for _, v := range versions {
		if done[v] {
			continue
		}
		done[v] = true
		var b Backend
		for _, c := range backends {
			if c.Supports(v) {
				b = c
				break
			}
		}
		if b == nil {
			return fmt.Errorf("version %q: %w", v, ErrUnsupportedVersion)
		}
		if p, ok := b.(Preparer); ok {
			if err := p.Prepare(ctx, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// ErrUnsupportedVersion is returned when no backend can run a version.
var ErrUnsupportedVersion = errors.New("no backend can run this version")
