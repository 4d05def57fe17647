package faults

import (
	"fmt"
	"strings"
	"time"

	"github.com/Shopify/toxiproxy/v2/stream"
)

// leafScope: leaf links. With leaf and hub set, the links from that leaf
// to that hub; with leaf only, every link of the leaf; with hub only, the
// hub's whole leaf side. Upstream is leaf to hub (the leaf dials).
type leafScope struct {
	leaf, hub string
	dir       direction
}

func (s leafScope) touches(k linkKey) bool {
	return k.leaf && (s.leaf == "" || k.src == s.leaf) && (s.hub == "" || k.dst == s.hub)
}

func (s leafScope) streams(k linkKey) []stream.Direction {
	if !s.touches(k) {
		return nil
	}
	return s.dir.streams(true)
}

func isLeafScope(sc scope) bool { _, ok := sc.(leafScope); return ok }

// parseLeafTargetLocked reads leaf:<leaf>-<hub>, leaf:<leaf> or
// leaf:<hub> (the hub's whole leaf side) against the attached servers.
func (l *Layer) parseLeafTargetLocked(target, rest string, dir direction) (scope, []string, error) {
	if s := l.servers[rest]; s != nil {
		if s.lp != nil {
			return leafScope{hub: rest, dir: dir}, []string{rest}, nil
		}
		if s.isLeaf {
			return leafScope{leaf: rest, dir: dir}, []string{rest}, nil
		}
		return nil, nil, fmt.Errorf("faults: target %q: %s is neither a leaf nor a hub server", target, rest)
	}
	var found [][2]string
	for i := 0; i < len(rest); i++ {
		if rest[i] != '-' {
			continue
		}
		leaf, hub := l.servers[rest[:i]], l.servers[rest[i+1:]]
		if leaf != nil && hub != nil && leaf.isLeaf && hub.lp != nil {
			found = append(found, [2]string{rest[:i], rest[i+1:]})
		}
	}
	switch len(found) {
	case 0:
		return nil, nil, fmt.Errorf("faults: target %q: want leaf:<leaf>-<hub>, leaf:<leaf> or leaf:<hub>", target)
	case 1:
		return leafScope{leaf: found[0][0], hub: found[0][1], dir: dir}, sorted(found[0][0], found[0][1]), nil
	}
	return nil, nil, fmt.Errorf("faults: target %q is ambiguous: %v", target, found)
}

// checkLeafScope refuses a fault that names a leaf when leaf dials are
// not identified: it would miss that leaf's links.
func (l *Layer) checkLeafScope(f *fault) error {
	if !l.opts.OpaqueLeaves {
		return nil
	}
	named := false
	switch sc := f.scope.(type) {
	case leafScope:
		named = sc.leaf != ""
	case serverScope:
		l.mu.Lock()
		s := l.servers[sc.server]
		named = s != nil && s.isLeaf
		l.mu.Unlock()
	}
	if named {
		return fmt.Errorf("faults: %s on %s: leaf dials are not identified (Options.OpaqueLeaves, leaf TLS), so only a hub's whole leaf side can be cut exactly", f.kind, f.target)
	}
	return nil
}

// PartitionLeaf cuts the leaf links a leaf target names (see
// parseLeafTargetLocked) and nothing else: client links, routes and every
// other leaf link keep going. New dials across the cut are held at the
// proxy and go through when it heals. mode and duration are as for
// Partition.
func (l *Layer) PartitionLeaf(target string, mode Mode, duration time.Duration) (string, error) {
	mode, eff, err := partitionEffect(mode, duration)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(strings.TrimSpace(target), "leaf:") {
		return "", fmt.Errorf("faults: leaf partition target %q: want a leaf: target", target)
	}
	sc, servers, err := l.parseTarget(target, dirBoth)
	if err != nil {
		return "", err
	}
	f := &fault{
		kind: "partition", target: strings.TrimSpace(target), servers: servers, cuts: true,
		scope: sc, eff: eff, detail: fmt.Sprintf("mode=%s", mode),
	}
	if duration > 0 {
		f.detail += " duration=" + duration.String()
	}
	return l.begin(f, duration)
}
