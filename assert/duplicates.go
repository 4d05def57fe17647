package assert

import (
	"fmt"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// NoDuplicatesParams: `no_duplicates: {}` fails on any duplicate, as the
// contract reads; `allow_failover: true` accepts those that arrive within
// the subscriber's own failover (see DuplicateGrace) and fails only on
// silent ones.
type NoDuplicatesParams struct {
	AllowFailover bool `yaml:"allow_failover" json:"allow_failover,omitempty"`
}

// DuplicateGrace is how long after a subscriber's reconnect a duplicate is
// still explained by it. Core NATS delivers at most once per connection:
// a message the old server delivered just before the move can reach the
// new server over a route just after the subscriber resubscribed there,
// and arrive twice (seen on plain nats-server, no fault layer: see
// testdata/properties/duplicates-migration.yaml).
const DuplicateGrace = time.Second

func init() { Register("no_duplicates", checkNoDuplicates) }

// checkNoDuplicates: no logical subscriber received a message twice,
// except, with AllowFailover, within its own failover: between a
// disconnect and DuplicateGrace after the reconnect that followed. A queue group is one
// logical subscriber, and a failover of any member explains its
// duplicates.
func checkNoDuplicates(p NoDuplicatesParams, events []sim.Event) Result {
	rs := receiptsOf(events)
	if len(rs) == 0 {
		return notEvaluatedf("no receipts recorded: the fleet did not report what its subscribers received")
	}
	windows := failoverWindows(events)
	names := publisherNames(events)
	var silentLines, explainedLines []string
	var silent, explained uint64
	for _, r := range rs {
		if r.Duplicates == 0 {
			continue
		}
		key := r.Client
		if r.Queue != "" {
			key = "group:" + r.Client // the fleet names a queue group's receipt by its group
		}
		if w, ok := explainingWindow(windows[key], r); ok {
			explained += r.Duplicates
			explainedLines = append(explainedLines, fmt.Sprintf("sub %s got %d duplicates from %s, %s–%s, during its failover %s",
				r.Sub, r.Duplicates, pubName(names, r.Pub), dur(r.FirstDuplicate), dur(r.LastDuplicate), w))
			continue
		}
		silent += r.Duplicates
		silentLines = append(silentLines, fmt.Sprintf("sub %s got %d duplicates from %s, %s–%s, outside any failover of its own (silent)",
			r.Sub, r.Duplicates, pubName(names, r.Pub), dur(r.FirstDuplicate), dur(r.LastDuplicate)))
	}
	switch {
	case silent == 0 && explained == 0:
		return passf("no duplicates over %d (subscriber, publisher) receipts", len(rs))
	case silent == 0 && p.AllowFailover:
		r := passf("no silent duplicates over %d receipts; %d explained by subscribers' failovers (at most once per connection)", len(rs), explained)
		r.Details = capLines(explainedLines, 50)
		return r
	}
	lines := append(silentLines, explainedLines...)
	r := failf(0, "%s", lines[0])
	if len(lines) > 1 {
		r.Evidence += fmt.Sprintf(" (%d silent, %d explained duplicates in %d of %d receipts)", silent, explained, len(lines), len(rs))
	}
	r.Details = capLines(lines, 50)
	return r
}

// failover is one failover of a client: from its disconnect to DuplicateGrace
// after the reconnect that followed (or the end of the run).
type failover struct {
	from, to time.Duration
	server   string
}

func (w failover) String() string {
	if w.server == "" {
		return fmt.Sprintf("(disconnected at %s, not back)", dur(w.from))
	}
	return fmt.Sprintf("(disconnected at %s, back on %s at %s)", dur(w.from), w.server, dur(w.to-DuplicateGrace))
}

// failoverWindows lists each client's failovers, by client id and by
// "group:"+group for queue groups.
func failoverWindows(events []sim.Event) map[string][]failover {
	out := map[string][]failover{}
	open := map[string]time.Duration{}
	end := time.Duration(0)
	if len(events) > 0 {
		end = events[len(events)-1].T
	}
	add := func(ev sim.Event, w failover) {
		out[ev.Client] = append(out[ev.Client], w)
		if ev.Group != "" {
			out["group:"+ev.Group] = append(out["group:"+ev.Group], w)
		}
	}
	groupOf := map[string]string{}
	for _, ev := range events {
		switch ev.Kind {
		case sim.ClientDisconnect:
			// Any disconnect opens one, with or without an error: the
			// fleet's own closing records none (its callbacks are off by
			// then), and a server's close can come without one.
			open[ev.Client] = ev.T
			groupOf[ev.Client] = ev.Group
		case sim.ClientReconnect, sim.ClientConnect:
			if from, ok := open[ev.Client]; ok {
				delete(open, ev.Client)
				add(ev, failover{from: from, to: ev.T + DuplicateGrace, server: ev.Server})
			}
		}
	}
	for c, from := range open {
		add(sim.Event{Client: c, Group: groupOf[c]}, failover{from: from, to: end})
	}
	return out
}

// explainingWindow finds the failover that holds every duplicate of r.
func explainingWindow(ws []failover, r sim.Event) (failover, bool) {
	if r.FirstDuplicate == 0 && r.LastDuplicate == 0 {
		return failover{}, false // no arrival times recorded: nothing explains them
	}
	for _, w := range ws {
		if w.from <= r.FirstDuplicate && r.LastDuplicate <= w.to {
			return w, true
		}
	}
	return failover{}, false
}
