package faults

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/natschaos/natschaos/internal/ports"
)

// endpoint is one proxy listener: a server's client or route endpoint. Its
// port is fixed for the server's whole life (restarts included), but it
// listens only while the server can take connections: a dial to a server
// that is down is refused by the kernel (ECONNREFUSED), exactly as for a
// dead process.
//
// Accepting and then resetting looked the same to clients but not to
// nats-server: a route that connects and is reset is redialled at once,
// not after its one-second back-off, so a server started next to a down
// peer hammered the peer's proxy and collided with the peer's own dial the
// moment it came up; both routes were dropped as duplicates and the mesh
// took a second to form, one start in two.
//
// The port is picked below the kernel's ephemeral range (32768 and up on
// Linux), so no outgoing connection takes it while the endpoint is shut,
// and reserved against other natschaos processes (internal/ports) until
// the endpoint is gone for good.
type endpoint struct {
	srv     string
	route   bool
	leaf    bool // a hub's leaf endpoint
	gateway bool // a gateway endpoint (also route: server-to-server)
	port    int

	mu sync.Mutex
	ln net.Listener // nil while shut
}

func newEndpoint(srv string, route bool) (*endpoint, error) {
	port, err := ports.Pick()
	if err != nil {
		return nil, fmt.Errorf("faults: %w", err)
	}
	return &endpoint{srv: srv, route: route, port: port}, nil
}

func (ep *endpoint) addr() string { return fmt.Sprintf("127.0.0.1:%d", ep.port) }

// open starts listening (if not already) and its accept loop. Called with
// l.mu held.
func (l *Layer) openLocked(ep *endpoint) error {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.ln != nil {
		return nil
	}
	var ln net.Listener
	var err error
	// A port just closed can be briefly unavailable; another program
	// taking it for good (natschaos processes respect the reservation) is
	// an infrastructure error for the run.
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", ep.addr()); err == nil || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("faults: reopening %s's endpoint %s: %w", ep.srv, ep.addr(), err)
	}
	ep.ln = ln
	l.goLocked(func() { l.serve(ep, ln) })
	return nil
}

// shut stops listening: new dials are refused by the kernel.
func (ep *endpoint) shut() {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.ln != nil {
		ep.ln.Close()
		ep.ln = nil
	}
}

// release gives up the port's reservation: the endpoint is gone for good.
func (ep *endpoint) release() { ports.Release(ep.port) }

func (s *server) endpoints() []*endpoint {
	eps := []*endpoint{s.rp}
	if s.cp != nil {
		eps = append(eps, s.cp)
	}
	if s.lp != nil {
		eps = append(eps, s.lp)
	}
	if s.gp != nil {
		eps = append(eps, s.gp)
	}
	return eps
}

func (s *server) closeListeners() {
	for _, ep := range s.endpoints() {
		ep.shut()
	}
}

// serve is one listener's accept loop. Unlike toxiproxy's, it dials
// nothing itself: each connection gets a goroutine that decides whether
// to pass, hold or refuse it (see admit.go), so one slow decision never
// delays the next accept.
func (l *Layer) serve(ep *endpoint, ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors or alike: retry shortly.
			select {
			case <-l.ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
			continue
		}
		l.mu.Lock()
		ok := l.goLocked(func() { l.handle(ep, conn) })
		l.mu.Unlock()
		if !ok {
			conn.Close()
		}
	}
}
