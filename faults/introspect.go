package faults

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// What the proxies see, for tests and for the no-bypass check: for every
// pair of servers, the routes each side reports must equal the live links
// counted here. A route that reaches a server some other way bypasses the
// layer, and no partition can cut it.

// RouteLinks counts the live route links per unordered pair of servers
// ({"A","B"} with A < B), whichever side dialled. Held dials are not
// links: the server behind has not seen them.
func (l *Layer) RouteLinks() map[[2]string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[[2]string]int{}
	for k, c := range l.colls {
		if !k.route || k.gateway || k.src == k.dst || len(c.links) == 0 {
			continue
		}
		pair := [2]string{k.src, k.dst}
		if pair[1] < pair[0] {
			pair[0], pair[1] = pair[1], pair[0]
		}
		out[pair] += len(c.links)
	}
	return out
}

// ClientLinks counts the live client links of a server.
func (l *Layer) ClientLinks(server string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c := l.colls[linkKey{dst: server}]; c != nil {
		return len(c.links)
	}
	return 0
}

// HeldPairs lists the route pairs ("A-B", names sorted) that have had a
// dial held by a fault at some time: nats-server redials a cut route in cycles (a
// held dial is dropped by its pings and dialled again), so "held now"
// undercounts the routes a fault holds off.
func (l *Layer) HeldPairs() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for p := range l.heldPairs {
		out = append(out, p[0]+"-"+p[1])
	}
	sort.Strings(out)
	return out
}

func sortedPair(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

// Held counts the dials held at the proxies now (by a fault, or waiting
// for a starting server).
func (l *Layer) Held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held
}

// Unidentified counts the route dials whose first line was not a route
// CONNECT naming a server. Each was refused, not passed uncut; a non-zero
// count means the layer cannot guarantee its partitions, and Err reports
// it. A dialler that is merely slow, or whose ID is not registered yet,
// is held instead, however long it takes.
func (l *Layer) Unidentified() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.unidentified
}

// Active lists the ids of the active faults, oldest first.
func (l *Layer) Active() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ids []string
	for _, f := range l.activeLocked() {
		ids = append(ids, f.id)
	}
	return ids
}

// Err reports what the layer could not do as asked: unidentified route
// dials and internal errors. A runner should fail the run when it is not
// nil, since the faults it recorded may not have been the faults applied.
func (l *Layer) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	if l.unidentified > 0 {
		errs = append(errs, fmt.Errorf("faults: %d route dials could not be identified and were refused: %s",
			l.unidentified, strings.Join(l.unidentReasons, "; ")))
	}
	errs = append(errs, l.errs...)
	return errors.Join(errs...)
}

func (l *Layer) internalError(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.internalErrorLocked(err)
}

func (l *Layer) internalErrorLocked(err error) {
	if len(l.errs) < 10 {
		l.errs = append(l.errs, fmt.Errorf("faults: %w", err))
	}
}
