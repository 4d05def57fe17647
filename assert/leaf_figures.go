package assert

import (
	"time"

	"github.com/natschaos/natschaos/sim"
)

// leafFigures makes the lab's herd figures the leaf herd's when leaves
// relinked and no client reconnected: the peaks then count the leaf
// links each hub server accepted again (leaf_herd's curve), so a lab
// over a leaf scenario compares leaf herds.
func leafFigures(f *HerdFigures, events []sim.Event, window time.Duration) {
	f.Of = "reconnections"
	if f.Reconnects > 0 {
		return
	}
	d, ok := checkLeafHerd(LeafHerdParams{Window: window}, events).Data.(HerdData)
	if !ok || d.Peak == 0 {
		return
	}
	f.Of = "leaf links"
	f.Peak, f.PeakServer, f.PeakAt, f.Series = d.Peak, d.PeakServer, d.PeakAt, d.Series
	byHub, _, _ := leafRelinks(events[:SteadyEnd(events)])
	f.PeakPerServer = slidingPeaks(byHub, window)
}
