package faults

import (
	"errors"
	"net"
	"os"
	"time"
)

// This file decides the fate of every accepted connection before it
// becomes a link: pass it to the server, hold it, or refuse it.

// dial is one accepted connection on its way to becoming a link.
type dial struct {
	conn net.Conn
	key  linkKey // src is empty until a route dialler is identified
	id   string  // route dials: the dialler's server ID, from its CONNECT
	buf  []byte  // what the dialler sent so far, replayed to the server
	// Leaf dials (leaf.go): the hub spoke first, so up is the hub link
	// dialled to hear it, kept until the dial passes or is held; once
	// the leaf has had an INFO, a later dial to the hub skips the hub's.
	up       net.Conn
	infoSent bool
	// Gateway dials: the server connection identification opened, kept
	// for the link until a hold closes it (gateway.go).
	pre     net.Conn
	preAddr string

	accepted   time.Time     // for the record (RouteDials)
	identified time.Duration // how long its CONNECT line took
	held       bool          // held at least once
}

type verdict int

const (
	pass verdict = iota
	hold
	refuse
)

// why a dial is held. None is bounded: a dialler starved of CPU may take
// seconds to identify itself or to register its ID, and cutting it would
// fail the run for the harness's reasons. A held dialler that gives up
// hangs up, and the layer notices.
type holdReason int

const (
	holdNone holdReason = iota
	holdUnknownID
	holdFault
)

// holdReadLimit bounds what a held dialler may send before the layer
// stops reading it (and so stops noticing that it hung up). A route or
// client dialler sends a few hundred bytes before it hears from the server.
const holdReadLimit = 64 << 10

func (l *Layer) handle(ep *endpoint, conn net.Conn) {
	d := &dial{conn: conn, key: linkKey{route: ep.route, leaf: ep.leaf, gateway: ep.gateway, dst: ep.srv}, accepted: time.Now()}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		conn.Close()
		return
	}
	l.pending[d] = struct{}{}
	dst := l.servers[ep.srv]
	dead := dst == nil || dst.state == stateDown
	l.mu.Unlock()
	defer func() {
		d.dropPre()
		l.mu.Lock()
		delete(l.pending, d)
		l.mu.Unlock()
	}()
	if dead {
		reset(conn) // a dead server looks dead: the dialler moves on at once
		l.recordRouteDial(d, fateRefused)
		return
	}
	if ep.leaf {
		l.handleLeaf(d)
		return
	}
	if ep.route && !l.opts.OpaqueRoutes {
		var err error
		if ep.gateway {
			err = l.identifyGateway(d)
		} else {
			err = d.identify()
		}
		d.identified = time.Since(d.accepted)
		if err != nil {
			fate := fateHungUp
			if errors.Is(err, errGatewayUpstream) {
				fate = fateRefused
			} else if !isHangup(err) {
				l.unidentifiedDial(d, err.Error())
				fate = fateRefused
			}
			reset(conn)
			l.recordRouteDial(d, fate)
			return
		}
	}
	l.admit(d)
}

// admit loops until the dial is passed or refused: each change of the
// layer (a server up or down, a fault injected or healed) wakes held dials
// to decide again.
func (l *Layer) admit(d *dial) {
	for {
		l.mu.Lock()
		v, why := l.decideLocked(d)
		if d.key.gateway && why == holdFault {
			v = refuse // see gateway.go: a held gateway dial would look connected
		}
		wake, addr := l.wake, l.upstreamLocked(d.key)
		l.mu.Unlock()
		switch v {
		case refuse:
			d.dropUpstream()
			reset(d.conn)
			l.recordRouteDial(d, fateRefused)
			return
		case pass:
			if l.forward(d, addr) {
				return
			}
			continue // the layer changed while dialling: decide again
		}
		d.held = true
		d.dropUpstream()
		if !l.hold(d, why, wake) {
			d.conn.Close() // the dialler hung up while held
			l.recordRouteDial(d, fateHungUp)
			return
		}
	}
}

// decideLocked says what happens to a dial now. Refusals win over holds,
// holds over passes.
func (l *Layer) decideLocked(d *dial) (verdict, holdReason) {
	dst := l.servers[d.key.dst]
	if l.closed || dst == nil || dst.state == stateDown {
		return refuse, holdNone
	}
	if d.key.route && d.key.src == "" && !l.opts.OpaqueRoutes {
		name, ok := l.byID[d.id]
		if !ok {
			return hold, holdUnknownID
		}
		d.key.src = name
	}
	if d.key.route && !l.opts.OpaqueRoutes {
		if src := l.servers[d.key.src]; src == nil || src.state == stateDown {
			return refuse, holdNone // a route from a dead server
		}
	}
	if d.key.leaf {
		if v, why, decided := l.decideLeafLocked(d, dst); decided {
			return v, why
		}
	}
	if dst.state == stateStarting {
		// Only the route endpoint is open while starting, and only once
		// the server's own route listener exists (RouteListening): pass,
		// as the real socket would accept. Anything else is refused.
		if !d.key.route || l.upstreamLocked(d.key) == "" {
			return refuse, holdNone
		}
	}
	v, why := pass, holdNone
	for _, f := range l.faults {
		if !f.scope.touches(d.key) {
			continue
		}
		switch f.eff.Admit {
		case AdmitRefuse:
			return refuse, holdNone
		case AdmitHold:
			v, why = hold, holdFault
		}
	}
	return v, why
}

func (l *Layer) upstreamLocked(k linkKey) string {
	s := l.servers[k.dst]
	switch {
	case s == nil:
		return ""
	case k.leaf:
		return s.leafUp
	case k.gateway:
		return s.gatewayUp
	case k.route:
		return s.routeUp
	default:
		return s.clientUp
	}
}

// forward dials the server and turns the dial into a link, unless the
// layer changed meanwhile (then it returns false to decide again).
func (l *Layer) forward(d *dial, addr string) bool {
	var up net.Conn
	var err error
	if d.key.gateway {
		up, err = l.gatewayUpstream(d, addr)
	} else {
		up, err = l.dialUpstream(d, addr)
	}
	if err != nil {
		reset(d.conn) // the server is going away; its Down follows
		l.recordRouteDial(d, fateRefused)
		return true
	}
	l.mu.Lock()
	v, _ := l.decideLocked(d)
	if v != pass || l.upstreamLocked(d.key) != addr {
		l.mu.Unlock()
		up.Close()
		return false
	}
	l.recordRouteDialLocked(d, fatePassed)
	k := l.newLinkLocked(d, up)
	l.mu.Unlock()
	k.start(d.buf)
	return true
}

// hold waits for a change of the layer (wake), reading
// what the dialler sends meanwhile so a dialler that hangs up is noticed.
// Nothing reaches the server: to the dialler the server just says nothing
// yet, which is what a partitioned, frozen or still-starting server does.
// It returns false when the dialler hung up.
func (l *Layer) hold(d *dial, why holdReason, wake <-chan struct{}) bool {
	d.dropPre() // a gateway's server connection: the server sees it close
	done := make(chan struct{})
	var got []byte
	var rerr error
	l.mu.Lock()
	ok := l.goLocked(func() {
		defer close(done)
		got, rerr = readUpTo(d.conn, holdReadLimit-len(d.buf))
	})
	if !ok {
		l.mu.Unlock()
		return false
	}
	l.held++
	if why == holdFault && d.key.route && d.key.src != "" {
		if l.heldPairs == nil {
			l.heldPairs = map[[2]string]bool{}
		}
		l.heldPairs[sortedPair(d.key.src, d.key.dst)] = true
	}
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.held--
		l.mu.Unlock()
	}()
	select {
	case <-done:
		d.buf = append(d.buf, got...)
		if rerr != nil {
			return false
		}
		<-wake // read limit reached: wait for the change alone
		return true
	case <-wake:
	}
	_ = d.conn.SetReadDeadline(time.Unix(1, 0)) // stop the reader
	<-done
	_ = d.conn.SetReadDeadline(time.Time{})
	d.buf = append(d.buf, got...)
	return rerr == nil || errors.Is(rerr, os.ErrDeadlineExceeded)
}

// readUpTo reads until an error or until limit bytes have come.
func readUpTo(c net.Conn, limit int) ([]byte, error) {
	var got []byte
	tmp := make([]byte, 4096)
	for len(got) < limit {
		n, err := c.Read(tmp[:min(len(tmp), limit-len(got))])
		got = append(got, tmp[:n]...)
		if err != nil {
			return got, err
		}
	}
	return got, nil
}
