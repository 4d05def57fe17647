package assert

import (
	"fmt"
	"slices"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// LeafDiscoveryParams are the parameters of `leaf_discovery: {within: 5s}`.
type LeafDiscoveryParams struct {
	// Within bounds how long a stranded leaf may take to link to a hub
	// server it learned by gossip.
	Within time.Duration `yaml:"within" json:"within"`
}

// Validate requires a bound.
func (p LeafDiscoveryParams) Validate() error {
	if p.Within <= 0 {
		return paramErrorf("within", "must be > 0, got %v", p.Within)
	}
	return nil
}

func init() { Register("leaf_discovery", checkLeafDiscovery) }

// stranded is a running leaf none of whose configured hub servers runs,
// while another hub server does.
type stranded struct {
	from  time.Duration
	found bool
	at    time.Duration // when it linked to a hub server it was not configured with
	hub   string
}

// checkLeafDiscovery judges that leaves learn the hub cluster's servers:
// whenever every hub server a running leaf is configured with is down
// while another runs, the leaf must link to one it was not configured
// with (it can only know it by gossip) within the bound. A window that
// closes sooner (a configured server is back, the leaf stops) without
// such a link is not judged. With no window judged it fails as vacuous.
func checkLeafDiscovery(p LeafDiscoveryParams, events []sim.Event) Result {
	end, last := leafEnd(events)
	f := newLeafFold()
	hubUp := map[string]bool{}
	open := map[string]*stranded{}
	var problems []problem
	var judged, shortWins int
	var slowest time.Duration
	var slowLeaf string
	leaves := map[string]bool{}
	closeWin := func(leaf string, t time.Duration) {
		w := open[leaf]
		delete(open, leaf)
		switch {
		case w.found:
			judged++
			leaves[leaf] = true
			if d := w.at - w.from; d > p.Within {
				problems = append(problems, problem{w.from, fmt.Sprintf("leaf %s, with its configured hub servers %s down from %s, linked to %s only at %s (%s > %s)", leaf, list(f.hubs[leaf]), dur(w.from), w.hub, dur(w.at), dur(d), dur(p.Within))})
			} else if d >= slowest {
				slowest, slowLeaf = d, leaf
			}
		case t-w.from > p.Within:
			judged++
			leaves[leaf] = true
			problems = append(problems, problem{w.from, fmt.Sprintf("leaf %s, with its configured hub servers %s down from %s, linked to none of the running %s within %s", leaf, list(f.hubs[leaf]), dur(w.from), list(running(hubUp)), dur(p.Within))})
		default:
			shortWins++
		}
	}
	update := func(t time.Duration) {
		for _, l := range sortedKeys(f.running) {
			is := f.running[l] && !f.leaving[l] && len(f.hubs[l]) > 0 && strandedNow(f.hubs[l], hubUp)
			w := open[l]
			switch {
			case is && w == nil:
				w = &stranded{from: t}
				open[l] = w
				for _, h := range f.linkedTo(l) {
					if !slices.Contains(f.hubs[l], h) {
						w.found, w.at, w.hub = true, t, h
					}
				}
			case !is && w != nil:
				closeWin(l, t)
			}
		}
	}
	for _, ev := range events[:end] {
		if f.apply(ev) == 1 {
			if w := open[ev.Server]; w != nil && !w.found && !slices.Contains(f.hubs[ev.Server], ev.Target) {
				w.found, w.at, w.hub = true, ev.T, ev.Target
			}
		}
		switch ev.Kind {
		case sim.ServerStart:
			hubUp[ev.Server] = true
		case sim.ServerExit, sim.ServerRemove:
			hubUp[ev.Server] = false
		case sim.LeafStart, sim.LeafStop, sim.LeafKill, sim.LeafLameDuck, sim.LeafExit:
		default:
			continue
		}
		update(ev.T)
	}
	for _, l := range sortedKeys(open) {
		closeWin(l, last)
	}
	if len(problems) == 0 {
		if judged == 0 {
			return vacuousf("no leaf had all its configured hub servers down while another ran (%d windows too short to judge): no discovery to judge", shortWins)
		}
		return passf("%d leaves linked to a hub server they were not configured with in %d windows with their own down (slowest %s, %s; within %s)", len(leaves), judged, dur(slowest), slowLeaf, dur(p.Within))
	}
	return problemsResult(problems, fmt.Sprintf("%d windows judged, %d too short", judged, shortWins))
}

// strandedNow: none of the configured hubs runs, and another hub does.
func strandedNow(configured []string, hubUp map[string]bool) bool {
	other := false
	for h, up := range hubUp {
		if !up {
			continue
		}
		if slices.Contains(configured, h) {
			return false
		}
		other = true
	}
	return other
}

func running(up map[string]bool) []string {
	var out []string
	for _, s := range sortedKeys(up) {
		if up[s] {
			out = append(out, s)
		}
	}
	return out
}
