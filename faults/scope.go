package faults

import (
	"fmt"
	"strings"

	"github.com/Shopify/toxiproxy/v2/stream"
)

// direction is the Spec's direction of data. Toxiproxy's own directions
// are per connection: upstream is dialler to server, downstream back.
type direction int

const (
	dirBoth direction = iota
	dirUp
	dirDown
)

func parseDirection(s string) (direction, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "both":
		return dirBoth, nil
	case "upstream":
		return dirUp, nil
	case "downstream":
		return dirDown, nil
	}
	return 0, fmt.Errorf("faults: direction %q: want upstream, downstream or both", s)
}

func (d direction) String() string { return [...]string{"both", "upstream", "downstream"}[d] }

// streams maps a direction onto a link's toxiproxy directions. forward
// says whether the link's dialler-to-server direction is the Spec's
// upstream (always for client links; for route:A-B when A dialled).
func (d direction) streams(forward bool) []stream.Direction {
	up, down := stream.Upstream, stream.Downstream
	if !forward {
		up, down = down, up
	}
	switch d {
	case dirUp:
		return []stream.Direction{up}
	case dirDown:
		return []stream.Direction{down}
	}
	return []stream.Direction{stream.Upstream, stream.Downstream}
}

// scope says which links a fault touches and, on each, which toxiproxy
// directions. nil means untouched.
type scope interface {
	streams(k linkKey) []stream.Direction
	touches(k linkKey) bool
}

// clientScope: every client link of one server.
type clientScope struct {
	server string
	dir    direction
}

func (s clientScope) touches(k linkKey) bool { return !k.route && !k.leaf && k.dst == s.server }
func (s clientScope) streams(k linkKey) []stream.Direction {
	if !s.touches(k) {
		return nil
	}
	return s.dir.streams(true)
}

// routeScope: the route links between a and b, whichever side dialled;
// upstream is a to b.
type routeScope struct {
	a, b string
	dir  direction
}

func (s routeScope) touches(k linkKey) bool {
	return k.route && !k.gateway && ((k.src == s.a && k.dst == s.b) || (k.src == s.b && k.dst == s.a))
}
func (s routeScope) streams(k linkKey) []stream.Direction {
	if !s.touches(k) {
		return nil
	}
	return s.dir.streams(k.src == s.a)
}

// serverScope: every link of one server, client and route, whoever dialled.
type serverScope struct{ server string }

func (s serverScope) touches(k linkKey) bool {
	return k.dst == s.server || ((k.route || k.leaf) && k.src == s.server)
}
func (s serverScope) streams(k linkKey) []stream.Direction {
	if !s.touches(k) || (k.route && k.src == k.dst) {
		return nil
	}
	return dirBoth.streams(true)
}

// partitionScope: the route links between servers of different groups.
type partitionScope struct{ group map[string]int }

func (s partitionScope) touches(k linkKey) bool {
	gs, okS := s.group[k.src]
	gd, okD := s.group[k.dst]
	return k.route && okS && okD && gs != gd
}
func (s partitionScope) streams(k linkKey) []stream.Direction {
	if !s.touches(k) {
		return nil
	}
	return dirBoth.streams(true)
}

// parseTarget reads "client:X" or "route:A-B" against the attached
// servers. Server names may contain '-', so route targets are split where
// both halves name attached servers.
func (l *Layer) parseTarget(target string, dir direction) (scope, []string, error) {
	kind, rest, ok := strings.Cut(strings.TrimSpace(target), ":")
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case ok && kind == "client":
		if l.servers[rest] == nil {
			return nil, nil, fmt.Errorf("faults: target %q: no server named %q", target, rest)
		}
		if !l.opts.ClientProxies {
			return nil, nil, fmt.Errorf("faults: target %q: client links are not proxied (Options.ClientProxies is off)", target)
		}
		return clientScope{server: rest, dir: dir}, []string{rest}, nil
	case ok && kind == "leaf":
		return l.parseLeafTargetLocked(target, rest, dir)
	case ok && kind == "gateway":
		return l.parseGatewayTargetLocked(target, rest, dir)
	case ok && kind == "route":
		var found [][2]string
		for i := 0; i < len(rest); i++ {
			if rest[i] == '-' && l.servers[rest[:i]] != nil && l.servers[rest[i+1:]] != nil {
				found = append(found, [2]string{rest[:i], rest[i+1:]})
			}
		}
		switch {
		case len(found) == 0:
			return nil, nil, fmt.Errorf("faults: target %q: want route:<server>-<server> naming two attached servers", target)
		case len(found) > 1:
			return nil, nil, fmt.Errorf("faults: target %q is ambiguous: %v", target, found)
		case found[0][0] == found[0][1]:
			return nil, nil, fmt.Errorf("faults: target %q: a route joins two different servers", target)
		}
		a, b := found[0][0], found[0][1]
		return routeScope{a: a, b: b, dir: dir}, sorted(a, b), nil
	}
	return nil, nil, fmt.Errorf("faults: target %q: want client:<server>, route:<server>-<server>, leaf:<leaf>[-<hub>] or gateway:<cluster>-<cluster>", target)
}
