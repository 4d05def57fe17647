package assert

import "github.com/natschaos/natschaos/sim"

// leafStart records a leaf starting, configured with hubs.
func (b *tl) leafStart(leaf string, hubs ...string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.LeafStart, Server: leaf, Known: hubs, Detail: "start"})
}

// leafLink records a leaf link leaf-hub appearing (up) or going, as both
// ends report it, with connection id cid.
func (b *tl) leafLink(up bool, leaf, hub string, cid uint64) *tl {
	b.t.Helper()
	k := sim.LeafDown
	if up {
		k = sim.LeafUp
	}
	b.add(sim.Event{Kind: k, Server: leaf, Target: hub, Count: cid, Detail: sim.LeafSideLeaf})
	return b.add(sim.Event{Kind: k, Server: leaf, Target: hub, Count: cid + 1000, Detail: sim.LeafSideHub})
}

func (b *tl) leafUp(leaf, hub string, cid uint64) *tl {
	b.t.Helper()
	return b.leafLink(true, leaf, hub, cid)
}

func (b *tl) leafDown(leaf, hub string, cid uint64) *tl {
	b.t.Helper()
	return b.leafLink(false, leaf, hub, cid)
}

// leafEv is a leaf lifecycle event of kind k.
func leafEv(k sim.Kind, leaf string) sim.Event { return sim.Event{Kind: k, Server: leaf} }
