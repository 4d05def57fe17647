package faults

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// Leaf links. A hub server H gets a third endpoint, LP_H, which its
// leaves dial (the cluster configures and gossips only LP_H):
//
//	leaf L ──dial──> LP_H ──> H's leafnode port      collection leaf:L>H
//
// On a leaf link the hub speaks first (its INFO), and the leaf answers
// with CONNECT, whose "server_id" is the leaf's ID, registered by
// Identify like any server's. So the layer dials H as soon as a leaf
// dials LP_H, passes H's INFO line to the leaf and reads the leaf's
// CONNECT line before deciding, as for routes, whether to pass the link
// (replaying the line), hold it (a partition, a freeze) or refuse it.
// Faults on H's whole leaf side are decided before H is dialled at all.
// A held leaf has had one INFO; when it is let through, the layer dials
// H again and drops H's new INFO, so the leaf sees one protocol stream.
//
// With leaf TLS the CONNECT is encrypted (Options.OpaqueLeaves): leaf
// dials pass unidentified, and only targets that need no leaf name (a
// hub's whole leaf side) are exact; the others are refused. A dial whose
// first line is neither is refused and counted (Unidentified), never
// passed uncut.

var _ sim.LeafNetwork = (*Layer)(nil)

// leafSide is a server's part in leaf links.
type leafSide struct {
	lp     *endpoint // a hub's leaf endpoint; nil for others
	leafUp string    // a hub's real leafnode address
	isLeaf bool      // a leaf: cluster partitions leave it out
}

// AttachLeaf implements sim.LeafNetwork: the hub server's leaf endpoint,
// listening from its Up on.
func (l *Layer) AttachLeaf(hub string) (string, error) {
	ep, err := newEndpoint(hub, false)
	if err != nil {
		return "", err
	}
	ep.leaf = true
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.servers[hub]
	switch {
	case l.closed:
		ep.release()
		return "", ErrClosed
	case s == nil:
		ep.release()
		return "", fmt.Errorf("faults: attach leaf: server %s not attached", hub)
	case s.lp != nil:
		ep.release()
		return "", fmt.Errorf("faults: server %s's leaf endpoint attached twice", hub)
	}
	s.lp = ep
	return ep.addr(), nil
}

// LeafListening implements sim.LeafNetwork: the hub's real leafnode
// address for this start. Its endpoint opens at Up.
func (l *Layer) LeafListening(hub, leafAddr string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.servers[hub]
	if s == nil || s.lp == nil {
		return fmt.Errorf("faults: leaf listening: server %s has no leaf endpoint", hub)
	}
	s.leafUp = leafAddr
	return nil
}

// LeafServer implements sim.LeafNetwork: the attached server is a leaf,
// which a cluster partition does not have to place in a group.
func (l *Layer) LeafServer(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := l.servers[name]; s != nil {
		s.isLeaf = true
	}
}

// handleLeaf admits one dial to a live hub's leaf endpoint (see the top).
func (l *Layer) handleLeaf(d *dial) {
	conn := d.conn
	addr, ok := l.admitLeafSide(d)
	if !ok {
		return
	}
	up, info, err := l.hearHub(addr)
	if err != nil {
		reset(conn) // the hub is going away; its Down follows
		return
	}
	if _, err := conn.Write(info); err != nil {
		up.Close()
		conn.Close()
		return
	}
	d.infoSent, d.up = true, up
	if !l.opts.OpaqueLeaves {
		if err := d.identifyLeaf(); err != nil {
			if !isHangup(err) {
				l.unidentifiedDial(d, err.Error())
			}
			d.dropUpstream()
			reset(conn)
			return
		}
	}
	d.identified = time.Since(d.accepted)
	l.admit(d)
}

// admitLeafSide decides a leaf dial before anyone is identified: only the
// faults on the hub's whole leaf side (or on the hub) apply. It returns
// the hub's leaf address to dial, or false once the dial is refused or
// the leaf hung up.
func (l *Layer) admitLeafSide(d *dial) (string, bool) {
	for {
		l.mu.Lock()
		v, why := l.decideLocked(d)
		wake, addr := l.wake, l.upstreamLocked(d.key)
		l.mu.Unlock()
		switch v {
		case refuse:
			reset(d.conn)
			return "", false
		case pass:
			return addr, true
		}
		d.held = true
		if !l.hold(d, why, wake) {
			d.conn.Close()
			return "", false
		}
	}
}

// decideLeafLocked is decideLocked's part for leaf dials: who dialled, and
// whether that leaf still runs. decided false leaves the rest (the hub's
// state, the faults) to decideLocked.
func (l *Layer) decideLeafLocked(d *dial, dst *server) (v verdict, why holdReason, decided bool) {
	if !d.infoSent || l.opts.OpaqueLeaves {
		return pass, holdNone, false // not identified (yet): hub-side faults only
	}
	if d.key.src == "" {
		name, ok := l.byID[d.id]
		if !ok {
			return hold, holdUnknownID, true
		}
		d.key.src = name
	}
	if src := l.servers[d.key.src]; src == nil || src.state == stateDown {
		return refuse, holdNone, true // a leaf link from a dead server
	}
	return pass, holdNone, false
}

// hearHub dials a hub's leafnode port and reads its INFO line.
func (l *Layer) hearHub(addr string) (net.Conn, []byte, error) {
	dl := net.Dialer{Timeout: dialTimeout}
	up, err := dl.DialContext(l.ctx, "tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	_ = up.SetReadDeadline(time.Now().Add(dialTimeout))
	info, err := readLeafLine(up, nil)
	_ = up.SetReadDeadline(time.Time{})
	if err != nil {
		up.Close()
		return nil, nil, err
	}
	return up, info, nil
}

// dialUpstream is the server side of a link about to pass: for a leaf
// that has had its INFO, the hub link dialled for it (or a new one whose
// INFO is dropped); otherwise a fresh dial.
func (l *Layer) dialUpstream(d *dial, addr string) (net.Conn, error) {
	if d.up != nil {
		up := d.up
		d.up = nil
		return up, nil
	}
	if d.key.leaf && d.infoSent {
		up, _, err := l.hearHub(addr)
		return up, err
	}
	dl := net.Dialer{Timeout: dialTimeout}
	return dl.DialContext(l.ctx, "tcp", addr)
}

// dropUpstream closes a hub link dialled for a leaf that is not passing
// now: the hub sees a leaf that went away before its CONNECT.
func (d *dial) dropUpstream() {
	if d.up != nil {
		d.up.Close()
		d.up = nil
	}
}

var errNotLeaf = errors.New("first line is not a leaf CONNECT")

// identifyLeaf reads the leaf's CONNECT line and its server ID. A TLS
// handshake instead (its first byte is 0x16) is refused: the layer was
// not told to pass leaf dials unidentified.
func (d *dial) identifyLeaf() error {
	line, err := readLeafLine(d.conn, func(b []byte) error {
		if len(b) > 0 && b[0] == 0x16 {
			return fmt.Errorf("%w: a TLS handshake (leaf TLS needs Options.OpaqueLeaves)", errNotLeaf)
		}
		return nil
	})
	d.buf = line
	if err != nil {
		return err
	}
	verb, body, ok := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(" "))
	if !ok || !bytes.EqualFold(verb, []byte("CONNECT")) {
		return fmt.Errorf("%w: %.40q", errNotLeaf, line)
	}
	var c struct {
		ID string `json:"server_id"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &c); err != nil || c.ID == "" {
		return fmt.Errorf("%w: CONNECT without a server_id", errNotLeaf)
	}
	d.id = c.ID
	return nil
}

// readLeafLine reads up to and including the first CRLF; check, when set,
// vets the bytes read so far after every read.
func readLeafLine(c net.Conn, check func([]byte) error) ([]byte, error) {
	var buf []byte
	tmp := make([]byte, 512)
	for {
		if i := bytes.Index(buf, []byte("\r\n")); i >= 0 {
			return buf, nil
		}
		if len(buf) >= maxConnectLine {
			return buf, errNotLeaf
		}
		n, err := c.Read(tmp)
		buf = append(buf, tmp[:n]...)
		if check != nil {
			if cerr := check(buf); cerr != nil {
				return buf, cerr
			}
		}
		if err != nil {
			return buf, err
		}
	}
}

// LeafLinks counts the live leaf links per (leaf, hub) pair; an opaque
// link counts under leaf "".
func (l *Layer) LeafLinks() map[[2]string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[[2]string]int{}
	for k, c := range l.colls {
		if k.leaf && len(c.links) > 0 {
			out[[2]string{k.src, k.dst}] += len(c.links)
		}
	}
	return out
}
