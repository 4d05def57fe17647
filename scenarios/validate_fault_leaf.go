package scenarios

import (
	"slices"
	"strings"
)

// leafTarget parses the rest of leaf:<leaf>-<hub>, leaf:<leaf> or
// leaf:<hub> into f.Link, as faults.Layer reads it: a leaf of the
// leafnodes section, a hub server (a server of the cluster), or a leaf
// and a hub server joined by '-' (names may contain '-'). With leaf TLS
// the layer cannot tell leaves apart, so only leaf:<hub> is exact and a
// target naming a leaf is refused.
func (v *validator) leafTarget(f *Fault, rest, where string, at Pos) {
	l := v.s.LeafNodes
	if l == nil {
		v.add(at, "%s.target %q: leaf links join the leaves of a leafnodes: section, and there is none", where, f.Target)
		return
	}
	leaves := l.LeafNames()
	isLeaf := func(n string) bool { return slices.Contains(leaves, n) }
	isHub := func(n string) bool { _, ok := v.servers[n]; return ok && !isLeaf(n) }
	var link Link
	switch {
	case isLeaf(rest):
		link = Link{Kind: LinkLeaf, Server: rest}
	case isHub(rest):
		link = Link{Kind: LinkLeaf, Server: rest}
	default:
		var splits []Link
		for i := 0; i < len(rest); i++ {
			if rest[i] == '-' && isLeaf(rest[:i]) && isHub(rest[i+1:]) {
				splits = append(splits, Link{Kind: LinkLeaf, Server: rest[:i], Peer: rest[i+1:]})
			}
		}
		switch len(splits) {
		case 1:
			link = splits[0]
		case 0:
			v.add(at, "%s.target %q: want leaf:<leaf>-<hub>, leaf:<leaf> or leaf:<hub>, with a leaf of [%s] and a hub server of [%s]",
				where, f.Target, strings.Join(leaves, " "), strings.Join(v.hubNames(isLeaf), " "))
			return
		default:
			v.add(at, "%s.target %q is ambiguous: it splits into %s-%s and %s-%s", where, f.Target,
				splits[0].Server, splits[0].Peer, splits[1].Server, splits[1].Peer)
			return
		}
	}
	if l.TLSOn() && isLeaf(link.Server) {
		v.add(at, "%s.target %q names a leaf, but leafnodes.tls is on: the fault layer cannot identify a leaf's encrypted handshake, so only a hub server's whole leaf side (leaf:<hub>) can be cut exactly", where, f.Target)
		return
	}
	f.Link = link
}

// hubNames are the declared servers that are not leaves.
func (v *validator) hubNames(isLeaf func(string) bool) []string {
	var out []string
	for _, n := range v.names {
		if !isLeaf(n) {
			out = append(out, n)
		}
	}
	return out
}
