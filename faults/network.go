package faults

import (
	"errors"
	"fmt"
	"net"
)

// This file is the sim.Network side of the layer: the cluster tells it
// which servers exist and when they run.

// Attach creates the server's endpoints: a route proxy always, a client
// proxy when Options.ClientProxies is set. They live until Detach or
// Close, restarts included, so addresses handed out once stay valid.
func (l *Layer) Attach(name string) (clientAddr, routeAddr string, err error) {
	if name == "" {
		return "", "", errors.New("faults: attach: empty server name")
	}
	s := &server{name: name, state: stateDown}
	if s.rp, err = newEndpoint(name, true); err != nil {
		return "", "", err
	}
	if l.opts.ClientProxies {
		if s.cp, err = newEndpoint(name, false); err != nil {
			return "", "", err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, dup := l.servers[name]; dup || l.closed {
		s.closeListeners()
		if l.closed {
			return "", "", ErrClosed
		}
		return "", "", fmt.Errorf("faults: server %s attached twice", name)
	}
	l.servers[name] = s // its endpoints listen from Starting or Up on
	if s.cp != nil {
		clientAddr = s.cp.addr()
	}
	return clientAddr, s.rp.addr(), nil
}

// Starting says the server is about to start. Its endpoints stay shut
// (dials to it are refused, as by a process not listening yet) until its
// route listener exists (RouteListening) and it is up (Up). Its own dials
// pass once Identify has given its ID.
func (l *Layer) Starting(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := l.servers[name]; s != nil && s.state != stateUp {
		s.state = stateStarting
		l.bumpLocked()
	}
}

// RouteListening opens a starting server's route endpoint in front of its
// real route listener. The embedded backend calls it right after starting
// the server on a route port it picked, just before the server listens; a
// dial in that gap is reset and nats-server retries it.
//
// The endpoint accepts from the moment the real socket does, no later and
// no earlier: nats-server never retries a gossiped route that fails to
// dial, and a dial accepted before the server listens collides with the
// server's own dial to the dialler, which nats-server drops as a duplicate
// route and redials a second later.
func (l *Layer) RouteListening(name, routeAddr string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.servers[name]
	if s == nil {
		return fmt.Errorf("faults: route listening: server %s not attached", name)
	}
	s.routeUp = routeAddr
	if err := l.openLocked(s.rp); err != nil {
		return err
	}
	l.bumpLocked()
	return nil
}

// Identify records a starting server's ID before it dials anyone, so its
// route dials are identified and pass at once instead of waiting for Up.
// Without it, two servers starting together had their dials to each other
// released at the same moment; nats-server then closed both as duplicates
// and redialled after its 1 s reconnect delay.
func (l *Layer) Identify(name, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.servers[name]
	if s == nil || id == "" {
		return
	}
	if other, ok := l.byID[id]; ok && other != name {
		return // Up will report the conflict
	}
	l.byID[id] = name
	if s.state == stateDown {
		// Its dials may pass; its endpoints stay shut until Up, so dials
		// to it are still refused like those to a process not listening.
		s.state = stateStarting
	}
	l.bumpLocked()
}

// Up records the running process: its ID (route CONNECTs name it) and its
// real addresses. Held dials to it, and route dials from it, proceed.
func (l *Layer) Up(name, id, clientAddr, routeAddr string) error {
	if id == "" || routeAddr == "" {
		return fmt.Errorf("faults: up %s: empty id or route address", name)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.servers[name]
	if s == nil {
		return fmt.Errorf("faults: up: server %s not attached", name)
	}
	if s.cp != nil && clientAddr == "" {
		return fmt.Errorf("faults: up %s: client links are proxied but no client address given", name)
	}
	if other, ok := l.byID[id]; ok && other != name {
		return fmt.Errorf("faults: up %s: id %s already belongs to %s", name, id, other)
	}
	for _, ep := range s.endpoints() {
		if err := l.openLocked(ep); err != nil {
			return err
		}
	}
	s.state, s.id, s.clientUp, s.routeUp = stateUp, id, clientAddr, routeAddr
	l.byID[id] = name
	l.bumpLocked()
	return nil
}

// Down closes every link of the server: client links, the route links it
// accepted and the route links it dialled into other servers' proxies.
// Dials to it are reset from now on, so a dead server looks dead.
func (l *Layer) Down(name string) {
	l.mu.Lock()
	s := l.servers[name]
	if s == nil {
		l.mu.Unlock()
		return
	}
	s.state = stateDown
	s.closeListeners() // new dials are refused, as by a dead process
	// Client links go first: a server still running while its routes
	// vanish gossips the shrunken cluster to its clients (a dead process
	// could not), and clients prune their server lists on it.
	clients := l.linksLocked(func(k linkKey) bool { return !k.route && !k.leaf && k.dst == name })
	routes := l.linksLocked(func(k linkKey) bool {
		return (k.route || k.leaf) && (k.dst == name || k.src == name)
	})
	l.bumpLocked()
	l.mu.Unlock()
	closeLinks(clients, false)
	closeLinks(routes, false)
}

// Detach closes the server's endpoints and links for good.
func (l *Layer) Detach(name string) error {
	l.Down(name)
	l.mu.Lock()
	s := l.servers[name]
	delete(l.servers, name)
	// Its collections stay: heals must still reach their toxics, or a
	// closed link whose reader waits behind a hold would never finish.
	l.mu.Unlock()
	if s == nil {
		return fmt.Errorf("faults: detach: server %s not attached", name)
	}
	s.closeListeners()
	for _, ep := range s.endpoints() {
		ep.release()
	}
	return nil
}

// Close heals every fault (recording their ends), then closes every
// endpoint, link and held dial, and waits for every goroutine it started.
func (l *Layer) Close() error {
	l.ctl.Lock()
	l.healAllLocked("closed")
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		l.ctl.Unlock()
		return nil
	}
	l.closed = true
	l.stop()
	var eps []*endpoint
	for _, s := range l.servers {
		eps = append(eps, s.endpoints()...)
	}
	links := l.linksLocked(func(linkKey) bool { return true })
	var held []net.Conn
	for d := range l.pending {
		held = append(held, d.conn)
	}
	l.bumpLocked()
	l.mu.Unlock()
	l.ctl.Unlock() // an expiring fault's timer may be waiting for it

	for _, ep := range eps {
		ep.shut()
		ep.release()
	}
	closeLinks(links, false)
	for _, c := range held {
		c.Close()
	}
	l.wg.Wait()
	return nil
}
