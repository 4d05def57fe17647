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
	byHub, _, _ := leafRelinks(events[:TeardownStart(events)])
	f.PeakPerServer = slidingPeaks(byHub, window)
	// Recovery is the leaves': from the first leaf losing its link to the
	// last one linked again; stranded leaves never were.
	_, outages, open := leafOutagesOf(events[:TeardownStart(events)])
	f.FirstDisconnect, f.AllBack, f.Stranded = 0, 0, len(open)
	var last time.Duration
	for i, o := range outages {
		if i == 0 || o.down < f.FirstDisconnect {
			f.FirstDisconnect = o.down
		}
		last = max(last, o.up)
	}
	for _, o := range open {
		if f.FirstDisconnect == 0 || o.down < f.FirstDisconnect {
			f.FirstDisconnect = o.down
		}
	}
	if len(outages) > 0 && len(open) == 0 {
		f.AllBack = last - f.FirstDisconnect
	}
}
