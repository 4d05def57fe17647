package assert

import (
	"time"

	"github.com/natschaos/natschaos/sim"
)

// leafFold follows the leaves and their links through the timeline, as
// the leaves report them (leaf_up / leaf_down with Detail "leaf"): the
// leaf_* properties share it.
type leafFold struct {
	running map[string]bool                       // leaf -> started and not exited
	leaving map[string]bool                       // leaf -> stopping, killed or in lame duck
	links   map[string]map[string]map[uint64]bool // leaf -> hub -> connection ids
	hubs    map[string][]string                   // leaf -> configured hubs (leaf_start Known)
	ever    map[string]bool                       // leaf -> linked at least once
}

func newLeafFold() *leafFold {
	return &leafFold{
		running: map[string]bool{}, leaving: map[string]bool{},
		links: map[string]map[string]map[uint64]bool{}, hubs: map[string][]string{}, ever: map[string]bool{},
	}
}

// apply advances the fold by one event and says what it did to the
// leaf's links: +1 a leaf-side link appeared, -1 one went, 0 neither.
func (f *leafFold) apply(ev sim.Event) int {
	switch ev.Kind {
	case sim.LeafStart:
		// Its links are not reset: the observer may see a new leaf's first
		// link before its start is recorded. Its exit cleared them.
		f.running[ev.Server], f.leaving[ev.Server] = true, false
		f.hubs[ev.Server] = ev.Known
	case sim.LeafStop, sim.LeafKill, sim.LeafLameDuck:
		f.leaving[ev.Server] = true
	case sim.LeafExit:
		f.running[ev.Server], f.leaving[ev.Server] = false, false
		f.links[ev.Server] = nil
	case sim.LeafUp:
		if ev.Detail != sim.LeafSideLeaf {
			return 0
		}
		if f.links[ev.Server] == nil {
			f.links[ev.Server] = map[string]map[uint64]bool{}
		}
		if f.links[ev.Server][ev.Target] == nil {
			f.links[ev.Server][ev.Target] = map[uint64]bool{}
		}
		f.links[ev.Server][ev.Target][ev.Count] = true
		f.ever[ev.Server] = true
		return 1
	case sim.LeafDown:
		if ev.Detail != sim.LeafSideLeaf || !f.links[ev.Server][ev.Target][ev.Count] {
			return 0
		}
		delete(f.links[ev.Server][ev.Target], ev.Count)
		if len(f.links[ev.Server][ev.Target]) == 0 {
			delete(f.links[ev.Server], ev.Target)
		}
		return -1
	}
	return 0
}

// linked says whether the leaf has a link now.
func (f *leafFold) linked(leaf string) bool { return len(f.links[leaf]) > 0 }

// linkedTo lists the hubs the leaf has a link to now, sorted.
func (f *leafFold) linkedTo(leaf string) []string { return sortedKeys(f.links[leaf]) }

// leafEnd is where a leaf property stops counting: TeardownStart, and the
// first leaf stop after the last step (the run's teardown).
func leafEnd(events []sim.Event) (int, time.Duration) {
	end := TeardownStart(events)
	var t time.Duration
	if end > 0 {
		t = events[end-1].T
	}
	return end, t
}
