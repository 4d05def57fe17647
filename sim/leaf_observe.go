package sim

import (
	"sort"
	"sync"
	"time"
)

// leafLinkKey is one leaf link as one side reports it.
type leafLinkKey struct {
	leaf, hub, side string
	cid             uint64
}

// leafLinkState is what the last observation saw, so the next one records
// only changes.
type leafLinkState struct {
	mu   sync.Mutex
	seen map[leafLinkKey]bool
	obs  map[string]leafObs // each leaf's last recorded observation
}

// leafObs is what a leaf_observe event says of a leaf.
type leafObs struct {
	clients int
	slow    uint64
}

func (s *leafLinkState) init() { s.seen, s.obs = map[leafLinkKey]bool{}, map[string]leafObs{} }

// ObserveLinks reads every leaf link from both sides now and records each
// link that appeared (LeafUp) or went (LeafDown) since the last reading,
// and each running leaf's own observation when it changed (hundreds of
// leaves read every 50ms would otherwise flood the timeline).
func (ln *LeafNodes) ObserveLinks() {
	now := map[leafLinkKey]bool{}
	obs := map[string]leafObs{}
	observed := map[string]bool{} // the servers read (a side not read keeps its links)
	for _, h := range ln.hub.Names() {
		inst := ln.hub.instance(h)
		links, ok := readLeafLinks(inst)
		if !ok {
			continue
		}
		observed[LeafSideHub+"/"+h] = true
		for _, l := range links {
			if !l.Spoke {
				now[leafLinkKey{leaf: l.Remote, hub: h, side: LeafSideHub, cid: l.CID}] = true
			}
		}
	}
	for _, n := range ln.order {
		c := ln.leaves[n]
		inst := c.instance(n)
		links, ok := readLeafLinks(inst)
		if !ok {
			continue
		}
		observed[LeafSideLeaf+"/"+n] = true
		for _, l := range links {
			if l.Spoke {
				now[leafLinkKey{leaf: n, hub: l.Remote, side: LeafSideLeaf, cid: l.CID}] = true
			}
		}
		if clients, _, slow, err := inst.Observe(); err == nil {
			obs[n] = leafObs{clients, slow}
		}
	}
	ln.links.mu.Lock()
	defer ln.links.mu.Unlock()
	for _, n := range ln.order {
		if o, ok := obs[n]; ok && (o != ln.links.obs[n] || !ln.links.seenObs(n)) {
			ln.links.obs[n] = o
			ln.tl.Add(Event{Kind: LeafObserve, Server: n, Clients: o.clients, SlowConsumers: o.slow})
		}
	}
	var gone, came []leafLinkKey
	for k := range ln.links.seen {
		reporter := k.hub
		if k.side == LeafSideLeaf {
			reporter = k.leaf
		}
		// A server not running has no links; one that could not be read
		// keeps what it had until it can.
		if !now[k] && (observed[k.side+"/"+reporter] || !ln.serverRuns(k.side, reporter)) {
			gone = append(gone, k)
		}
	}
	for k := range now {
		if !ln.links.seen[k] {
			came = append(came, k)
		}
	}
	sortLeafKeys(gone)
	sortLeafKeys(came)
	for _, k := range gone {
		delete(ln.links.seen, k)
		ln.tl.Add(Event{Kind: LeafDown, Server: k.leaf, Target: k.hub, Count: k.cid, Detail: k.side})
	}
	for _, k := range came {
		ln.links.seen[k] = true
		ln.tl.Add(Event{Kind: LeafUp, Server: k.leaf, Target: k.hub, Count: k.cid, Detail: k.side})
	}
}

// seenObs says whether a leaf's observation was ever recorded.
func (s *leafLinkState) seenObs(leaf string) bool { _, ok := s.obs[leaf]; return ok }

func (ln *LeafNodes) serverRuns(side, name string) bool {
	if side == LeafSideHub {
		return ln.hub.instance(name) != nil
	}
	c := ln.leaves[name]
	return c != nil && c.instance(name) != nil
}

func readLeafLinks(inst Instance) ([]LeafLink, bool) {
	if inst == nil {
		return nil, false
	}
	ll, ok := inst.(LeafLinker)
	if !ok {
		return nil, false
	}
	links, err := ll.LeafLinks()
	return links, err == nil
}

func sortLeafKeys(ks []leafLinkKey) {
	sort.Slice(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.leaf != b.leaf {
			return a.leaf < b.leaf
		}
		if a.hub != b.hub {
			return a.hub < b.hub
		}
		if a.side != b.side {
			return a.side < b.side
		}
		return a.cid < b.cid
	})
}

func (ln *LeafNodes) observeLoop(every time.Duration) {
	defer ln.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ln.stop:
			return
		case <-t.C:
			ln.ObserveLinks()
		}
	}
}
