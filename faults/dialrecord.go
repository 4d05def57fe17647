package faults

import (
	"fmt"
	"time"
)

// RouteDials counts what the layer did with route dials, so a slow mesh
// can be told apart: the layer's doing (a dial held, identified late or
// refused) or nats-server's (two dials of a pair crossing, which
// nats-server may resolve by dropping both and redialling a second
// later, with or without the layer).
type RouteDials struct {
	Accepted int // route dials accepted by a route endpoint
	Passed   int // became links to the server
	Held     int // of those accepted, held at least once before their fate
	Refused  int // reset: the server or the dialler down, or a fault
	HungUp   int // the dialler went away before a verdict
	// Crossed counts passed dials whose peer's own dial the other way was
	// identified and pending (held or being passed), or had become a link
	// less than crossWindow before: nats-server sees both routes of a
	// pair at once.
	Crossed int
	// SlowestIdentify is the longest wait for a dialler's CONNECT line,
	// SlowestPass the longest from accept to link.
	SlowestIdentify, SlowestPass time.Duration
}

// crossWindow is how close two opposite dials of a pair must be to count
// as crossing: a route handshake on loopback takes about a millisecond.
const crossWindow = 20 * time.Millisecond

func (r RouteDials) String() string {
	return fmt.Sprintf("%d route dials: %d passed, %d held, %d refused, %d hung up, %d crossed the peer's own dial; slowest identify %v, slowest pass %v",
		r.Accepted, r.Passed, r.Held, r.Refused, r.HungUp, r.Crossed,
		r.SlowestIdentify.Round(time.Microsecond), r.SlowestPass.Round(time.Microsecond))
}

// Sub is what happened between an earlier record and r (slowest times
// are r's).
func (r RouteDials) Sub(before RouteDials) RouteDials {
	r.Accepted -= before.Accepted
	r.Passed -= before.Passed
	r.Held -= before.Held
	r.Refused -= before.Refused
	r.HungUp -= before.HungUp
	r.Crossed -= before.Crossed
	return r
}

// RouteDialRecord returns the counts so far.
func (l *Layer) RouteDialRecord() RouteDials {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.routeDials
}

// dialFate is how a route dial ended, for the record.
type dialFate int

const (
	fatePassed dialFate = iota
	fateRefused
	fateHungUp
)

// recordRouteDial notes a route dial's end. Called without l.mu.
func (l *Layer) recordRouteDial(d *dial, fate dialFate) {
	if !d.key.route {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recordRouteDialLocked(d, fate)
}

func (l *Layer) recordRouteDialLocked(d *dial, fate dialFate) {
	if !d.key.route {
		return
	}
	r := &l.routeDials
	r.Accepted++
	if d.held {
		r.Held++
	}
	switch fate {
	case fatePassed:
		r.Passed++
		r.SlowestPass = max(r.SlowestPass, time.Since(d.accepted))
		if l.crossedLocked(d) {
			r.Crossed++
		}
	case fateRefused:
		r.Refused++
	case fateHungUp:
		r.HungUp++
	}
	if d.identified > r.SlowestIdentify {
		r.SlowestIdentify = d.identified
	}
}

// crossedLocked says whether the peer's own dial the other way is in
// flight at the layer, or became a link less than crossWindow ago.
func (l *Layer) crossedLocked(d *dial) bool {
	back := linkKey{route: true, gateway: d.key.gateway, src: d.key.dst, dst: d.key.src}
	for p := range l.pending {
		// p.key is written under l.mu only (its source once identified
		// and decided); a dial still reading its CONNECT is not seen.
		if p != d && p.key == back {
			return true
		}
	}
	if c := l.colls[back]; c != nil {
		for k := range c.links {
			if time.Since(k.born) < crossWindow {
				return true
			}
		}
	}
	return false
}
