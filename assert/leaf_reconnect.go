package assert

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// LeafReconnectParams are the parameters of
// `leaf_reconnect: {max: 5s, p99: 3s}`. Zero leaves a bound unchecked; a
// leaf that never links again fails whatever the bounds.
type LeafReconnectParams struct {
	Max time.Duration `yaml:"max" json:"max"`
	P99 time.Duration `yaml:"p99" json:"p99"`
}

// Validate rejects negative bounds and a p99 above the max, as
// reconnect does.
func (p LeafReconnectParams) Validate() error {
	return errors.Join(timeBoundErrors(p.Max, p.P99)...)
}

func init() { Register("leaf_reconnect", checkLeafReconnect) }

type leafOutage struct {
	leaf, from, to string
	down, up       time.Duration
}

// checkLeafReconnect times every leaf's outages, as the leaf reports its
// links: from its last link going (while it runs and is not itself
// stopping) to its next link to any hub server. A leaf's own stop, kill
// or lame duck is not an outage of its links. A leaf that has no link at
// the end of the steady run (outage open, or never linked while running)
// fails. Times are those of the link observations (polled).
//
// Its subjects are the outages; with none, or no leaf ever linked, it
// fails as vacuous.
func checkLeafReconnect(p LeafReconnectParams, events []sim.Event) Result {
	end, _ := leafEnd(events)
	f, outages, open := leafOutagesOf(events[:end])
	var problems []problem
	for _, l := range sortedKeys(open) {
		o := open[l]
		problems = append(problems, problem{o.down, fmt.Sprintf("leaf %s never linked again after its link to %s went at %s", l, o.from, dur(o.down))})
	}
	for _, l := range sortedKeys(f.running) {
		if f.running[l] && !f.ever[l] {
			problems = append(problems, problem{0, fmt.Sprintf("leaf %s never linked to a hub server", l)})
		}
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].at < problems[j].at })
	durs := make([]time.Duration, len(outages))
	for i, o := range outages {
		durs[i] = o.up - o.down
	}
	slowest, worst, p99, p50 := spread(durs)
	if p.Max > 0 && worst > p.Max {
		o := outages[slowest]
		problems = append(problems, problem{o.down, fmt.Sprintf("slowest leaf reconnect %s > %s: %s lost %s at %s, linked to %s at %s", dur(worst), dur(p.Max), o.leaf, o.from, dur(o.down), o.to, dur(o.up))})
	}
	if p.P99 > 0 && p99 > p.P99 {
		problems = append(problems, problem{0, fmt.Sprintf("p99 leaf reconnect %s > %s over %d reconnects", dur(p99), dur(p.P99), len(durs))})
	}
	leaves := map[string]bool{}
	for _, o := range outages {
		leaves[o.leaf] = true
	}
	stats := fmt.Sprintf("%d leaf reconnects of %d leaves (%d linked in all): max %s, p99 %s, p50 %s", len(durs), len(leaves), len(f.ever), dur(worst), dur(p99), dur(p50))
	data := ReconnectData{Reconnects: len(durs), P50: p50, P99: p99, Max: worst}
	if len(problems) == 0 {
		switch {
		case len(f.ever) == 0:
			return vacuousf("no leaf linked to a hub server: no leaf reconnection to judge")
		case len(durs) == 0:
			return vacuousf("none of %d linked leaves lost its link before the teardown: no leaf reconnection to time", len(f.ever))
		}
		return withData(passf("%s", stats), data)
	}
	return withData(problemsResult(problems, stats), data)
}

// leafOutagesOf folds the leaves' links: the outages that ended (a leaf's
// last link gone while it runs and is not itself stopping, to its next
// link) and those still open, by leaf.
func leafOutagesOf(events []sim.Event) (*leafFold, []leafOutage, map[string]*leafOutage) {
	f := newLeafFold()
	open := map[string]*leafOutage{}
	var outages []leafOutage
	for _, ev := range events {
		was := f.linked(ev.Server)
		switch f.apply(ev) {
		case 1:
			if o := open[ev.Server]; o != nil && !was {
				o.to, o.up = ev.Target, ev.T
				outages = append(outages, *o)
				delete(open, ev.Server)
			}
		case -1:
			if was && !f.linked(ev.Server) && f.running[ev.Server] && !f.leaving[ev.Server] {
				open[ev.Server] = &leafOutage{leaf: ev.Server, from: ev.Target, down: ev.T}
			}
		}
		switch ev.Kind {
		case sim.LeafStop, sim.LeafKill, sim.LeafLameDuck, sim.LeafExit, sim.LeafStart:
			delete(open, ev.Server) // its own end: nothing to recover from
		}
	}
	return f, outages, open
}
