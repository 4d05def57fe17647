package assert

import (
	"fmt"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// LeafHerdParams are the parameters of
// `leaf_herd: {window: 500ms, max_per_server: 50}`: the window leaf links
// are counted in, and the most one hub server may accept again in any
// window (0 only reports the curve).
type LeafHerdParams HerdParams

// Validate requires a window.
func (p LeafHerdParams) Validate() error { return HerdParams(p).Validate() }

func init() { Register("leaf_herd", checkLeafHerd) }

// checkLeafHerd counts, per hub server, the leaf links it accepted again
// (leaf_up reported by the hub) before teardown: a leaf's first link,
// and its first after each of its own exits, is not counted, as a client's first
// connection is not for `herd`. Link times are those of the hub's
// observations (polled), so a window should span several observation
// periods. With no leaf link accepted again it fails as vacuous.
func checkLeafHerd(p LeafHerdParams, events []sim.Event) Result {
	end, last := leafEnd(events)
	byHub, leaves, linked := leafRelinks(events[:end])
	d, total := herdCurve(byHub, p.Window, last)
	if total == 0 {
		r := vacuousf("no hub server accepted a leaf link again before the teardown (%d leaves linked): no leaf herd to measure", len(linked))
		r.Data = d
		return r
	}
	judged := fmt.Sprintf("%d leaf links again of %d leaves onto %d hub servers", total, len(leaves), len(byHub))
	r := herdResult(d, p.MaxPerServer, "leaf links", judged)
	r.Details = []string{judged}
	for _, s := range sortedKeys(byHub) {
		r.Details = append(r.Details, fmt.Sprintf("%s: %d leaf links, per %s: %s", s, len(byHub[s]), dur(p.Window), curve(d.Series[s], p.Window)))
	}
	return r
}

// leafRelinks are the leaf links each hub server accepted again (times
// in order), the leaves that relinked, and every leaf that linked.
func leafRelinks(events []sim.Event) (byHub map[string][]time.Duration, relinked, linked map[string]bool) {
	byHub, relinked, linked = map[string][]time.Duration{}, map[string]bool{}, map[string]bool{}
	for _, ev := range events {
		switch {
		case ev.Kind == sim.LeafExit:
			// Its next link is a first one. (Not at its start: the
			// observer may see a leaf's first link before its start.)
			linked[ev.Server] = false
		case ev.Kind == sim.LeafUp && ev.Detail == sim.LeafSideHub:
			if linked[ev.Server] {
				byHub[ev.Target] = append(byHub[ev.Target], ev.T)
				relinked[ev.Server] = true
			}
			linked[ev.Server] = true
		}
	}
	return byHub, relinked, linked
}
