package faults

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/Shopify/toxiproxy/v2/stream"
)

// Gateway links join servers of different clusters (sim.Supercluster).
// Each server has a third endpoint, its gateway proxy GP_X, advertised as
// its gateway address, so gossiped gateway URLs name only proxies:
//
//	A1 ──dial──> GP_B2 ──dial──> B2's gateway port   (B2's INFO goes back at once)
//	A1 ──CONNECT name=ID(A1) gateway=east──> GP_B2 ──> B2  collection gateway:A1>B2
//
// A gateway dialler speaks second: nats-server sends its gateway CONNECT
// only after the acceptor's INFO (gateway.go, processGatewayInfo). So the
// proxy dials the server first, lets its INFO line through, and identifies
// the dialler from the CONNECT that answers it, as for routes.
//
// The dialler registers its outbound gateway on that first INFO, before
// anything else is said. So a new gateway dial that a fault cuts (a
// partition, a freeze) is refused, not held as a route dial is: held, it
// would show an outbound gateway that carries nothing, for as long as the
// fault lasts. Refused, the dialler sees its gateway drop at once and
// redials after its reconnect delay (a second). A dial held only until
// its dialler's ID is known (a server starting) loses its first server
// connection; when released the proxy dials the server again and drops
// the new INFO, which the dialler already had.
//
// Gateway links are route-like links (linkKey.route) with linkKey.gateway
// set: partitions, freezes, server faults and Down treat them as the
// server-to-server links they are; route:A-B targets skip them and
// gateway:<cluster>-<cluster> targets take only them.

// errGatewayUpstream: the server behind a gateway endpoint could not be
// reached or said nothing first; the dial is refused like one to a dead
// server, and is no identification failure.
var errGatewayUpstream = errors.New("gateway server not reachable")

// AttachGateway creates the server's gateway endpoint; cluster is its
// gateway name, which gateway:<A>-<B> targets name.
func (l *Layer) AttachGateway(name, cluster string) (string, error) {
	ep, err := newEndpoint(name, true)
	if err != nil {
		return "", err
	}
	ep.gateway = true
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.servers[name]
	switch {
	case l.closed:
		return "", ErrClosed
	case s == nil:
		ep.release()
		return "", fmt.Errorf("faults: attach gateway: server %s not attached", name)
	case s.gp != nil:
		ep.release()
		return "", fmt.Errorf("faults: server %s's gateway attached twice", name)
	}
	s.gp, s.cluster = ep, cluster
	return ep.addr(), nil
}

// GatewayListening opens a starting server's gateway endpoint in front of
// its real gateway listener.
func (l *Layer) GatewayListening(name, addr string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.servers[name]
	if s == nil || s.gp == nil {
		return fmt.Errorf("faults: gateway listening: server %s has no gateway endpoint", name)
	}
	s.gatewayUp = addr
	if err := l.openLocked(s.gp); err != nil {
		return err
	}
	l.bumpLocked()
	return nil
}

// identifyGateway dials the server, passes its INFO line to the dialler
// and reads the dialler's CONNECT. The server connection is kept for the
// link (dial.pre).
func (l *Layer) identifyGateway(d *dial) error {
	l.mu.Lock()
	addr := l.upstreamLocked(d.key)
	l.mu.Unlock()
	if addr == "" {
		return errGatewayUpstream
	}
	up, info, err := dialGatewayServer(l, addr)
	if err != nil {
		return err
	}
	if _, err := d.conn.Write(info); err != nil {
		up.Close()
		return err
	}
	if err := d.identify(); err != nil {
		up.Close()
		return err
	}
	d.pre, d.preAddr = up, addr
	return nil
}

// dialGatewayServer dials a gateway listener and reads its INFO line,
// byte by byte so nothing after it is taken from the link.
func dialGatewayServer(l *Layer, addr string) (net.Conn, []byte, error) {
	dl := net.Dialer{Timeout: dialTimeout}
	up, err := dl.DialContext(l.ctx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errGatewayUpstream, err)
	}
	_ = up.SetReadDeadline(time.Now().Add(dialTimeout))
	line, err := readLine(up)
	_ = up.SetReadDeadline(time.Time{})
	if err != nil || !strings.HasPrefix(string(line), "INFO ") {
		up.Close()
		return nil, nil, fmt.Errorf("%w: no INFO first (%v)", errGatewayUpstream, err)
	}
	return up, line, nil
}

// readLine reads one line, byte by byte so nothing after it is taken
// from the link, up to maxConnectLine bytes.
func readLine(c net.Conn) ([]byte, error) {
	var line []byte
	b := make([]byte, 1)
	for len(line) < maxConnectLine {
		if _, err := c.Read(b); err != nil {
			return line, err
		}
		line = append(line, b[0])
		if b[0] == '\n' {
			return line, nil
		}
	}
	return line, errors.New("line too long")
}

// gatewayUpstream returns the server connection for a gateway dial: the
// one identification opened, or (after a hold closed it) a new one whose
// INFO is dropped, since the dialler already has one.
func (l *Layer) gatewayUpstream(d *dial, addr string) (net.Conn, error) {
	if d.pre != nil {
		up, same := d.pre, d.preAddr == addr
		d.pre = nil
		if same {
			return up, nil
		}
		up.Close()
	}
	up, _, err := dialGatewayServer(l, addr)
	return up, err
}

// dropPre closes a gateway dial's unused server connection.
func (d *dial) dropPre() {
	if d.pre != nil {
		d.pre.Close()
		d.pre = nil
	}
}

// gatewayScope: the gateway links between servers of clusters a and b,
// whichever side dialled; upstream is a to b.
type gatewayScope struct {
	a, b    string
	cluster map[string]string // server -> cluster, when the fault began
	dir     direction
}

func (s gatewayScope) touches(k linkKey) bool {
	if !k.gateway {
		return false
	}
	cs, cd := s.cluster[k.src], s.cluster[k.dst]
	return (cs == s.a && cd == s.b) || (cs == s.b && cd == s.a)
}

func (s gatewayScope) streams(k linkKey) []stream.Direction {
	if !s.touches(k) {
		return nil
	}
	return s.dir.streams(s.cluster[k.src] == s.a)
}

// parseGatewayTarget reads "gateway:<A>-<B>" naming two clusters with
// gateway endpoints; cluster names may contain '-'. Called with l.mu held.
func (l *Layer) parseGatewayTargetLocked(target, rest string, dir direction) (scope, []string, error) {
	cluster := map[string]string{}
	clusters := map[string]bool{}
	for name, s := range l.servers {
		if s.gp != nil {
			cluster[name] = s.cluster
			clusters[s.cluster] = true
		}
	}
	var found [][2]string
	for i := 0; i < len(rest); i++ {
		if rest[i] == '-' && clusters[rest[:i]] && clusters[rest[i+1:]] {
			found = append(found, [2]string{rest[:i], rest[i+1:]})
		}
	}
	switch {
	case len(found) == 0:
		return nil, nil, fmt.Errorf("faults: target %q: want gateway:<cluster>-<cluster> naming two clusters of the supercluster", target)
	case len(found) > 1:
		return nil, nil, fmt.Errorf("faults: target %q is ambiguous: %v", target, found)
	case found[0][0] == found[0][1]:
		return nil, nil, fmt.Errorf("faults: target %q: a gateway joins two different clusters", target)
	}
	a, b := found[0][0], found[0][1]
	var servers []string
	for name, c := range cluster {
		if c == a || c == b {
			servers = append(servers, name)
		}
	}
	return gatewayScope{a: a, b: b, cluster: cluster, dir: dir}, sorted(servers...), nil
}

// GatewayLinks counts the live gateway links per unordered pair of
// servers ({"A1","B2"} with A1 < B2), whichever side dialled.
func (l *Layer) GatewayLinks() map[[2]string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[[2]string]int{}
	for k, c := range l.colls {
		if k.gateway && len(c.links) > 0 {
			out[sortedPair(k.src, k.dst)] += len(c.links)
		}
	}
	return out
}
