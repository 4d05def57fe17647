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
	AllowFailover bool `yaml:"allow_failover" json:"allow_failover,omitempty" jsonschema_description:"Accept duplicates across the subscriber's own failover: arriving after it lost its server, of messages published before that (core NATS is at-most-once per connection)."`
}

// Doc says what the property judges, for the scenario schema.
func (NoDuplicatesParams) Doc() string {
	return "No message reaches a subscriber (or queue group) twice."
}

// DuplicateGrace is how long after a subscriber's reconnect a duplicate
// may arrive and still be explained by it, on a timeline that does not
// name the duplicated sequences (arrival times are all it has). Core NATS
// delivers at most once per connection: a message the old server
// delivered just before the move can reach the new server over a route
// just after the subscriber resubscribed there, and arrive twice (seen on
// plain nats-server, no fault layer: see
// testdata/properties/duplicates-migration.yaml).
const DuplicateGrace = time.Second

// FailoverLag is how long before a subscriber lost its server a message
// it got twice may have been published and still be explained by that
// failover: the new server delivers it late when it is slow to read the
// route it came on. At 50,000 clients on two cores a server delivered
// such a copy 2.3 s after it was published (docs/PERFORMANCE.md).
const FailoverLag = 10 * time.Second

// callbackSlop allows for the library's callbacks running late: a
// disconnect is recorded when its callback runs, which can be after the
// handler already got messages over the new connection, and after a
// message it got over the old one was published.
const callbackSlop = 250 * time.Millisecond

func init() { Register("no_duplicates", checkNoDuplicates) }

// checkNoDuplicates: no logical subscriber received a message twice,
// except, with AllowFailover, across its own failover. Of the two copies
// one came over the old connection, before the disconnect, so the message
// was published before it; the other over the new one, after it. So the
// duplicates must arrive after a disconnect, and the messages they repeat
// must have been published before it, at most FailoverLag before.
// Publish times come from the publisher's progress samples, not from
// arrival times, which a loaded machine delays by seconds; a timeline
// without the duplicated sequences falls back to arrival times (between
// the disconnect and DuplicateGrace after the reconnect). A queue group
// is one logical subscriber, and a failover of any member explains its
// duplicates. With no message received there is nothing that could have
// arrived twice: it fails as vacuous (no receipts at all, mid-run, is
// NotEvaluated: the fleet writes them when it stops).
func checkNoDuplicates(p NoDuplicatesParams, events []sim.Event) Result {
	rs := receiptsOf(events)
	if len(rs) == 0 {
		return notEvaluatedf("no receipts recorded: the fleet reports what its subscribers received when it stops")
	}
	msgs, pairs := receivedIn(rs)
	windows := failoverWindows(events)
	names := publisherNames(events)
	published := publishSamplesOf(events)
	var silentLines, explainedLines []string
	var silent, explained uint64
	hops := hopsOf(events)
	across := 0
	for _, r := range rs {
		hop := ""
		if r.Queue == "" {
			hop = hops.hop(pubName(names, r.Pub), r.Client)
		}
		if hop != "" {
			across++
			hop = " across " + hop
		}
		if r.Duplicates == 0 {
			continue
		}
		key := r.Client
		if r.Queue != "" {
			key = "group:" + r.Client // the fleet names a queue group's receipt by its group
		}
		if w, ok := explainingWindow(windows[key], r, published[r.Pub]); ok {
			explained += r.Duplicates
			explainedLines = append(explainedLines, fmt.Sprintf("sub %s got %d duplicates from %s%s, %s–%s, during its failover %s",
				r.Sub, r.Duplicates, pubName(names, r.Pub), hop, dur(r.FirstDuplicate), dur(r.LastDuplicate), w))
			continue
		}
		silent += r.Duplicates
		silentLines = append(silentLines, fmt.Sprintf("sub %s got %d duplicates from %s%s, %s–%s, outside any failover of its own (silent)",
			r.Sub, r.Duplicates, pubName(names, r.Pub), hop, dur(r.FirstDuplicate), dur(r.LastDuplicate)))
	}
	data := DuplicatesData{Receipts: len(rs), Silent: silent, Explained: explained}
	switch {
	case silent == 0 && explained == 0 && msgs == 0:
		return vacuousf("no message received over %d (subscriber, publisher) receipts: nothing could arrive twice", pairs)
	case silent == 0 && explained == 0:
		r := passf("no duplicates among %d messages over %d (subscriber, publisher) receipts", msgs, pairs)
		if across > 0 {
			r.Evidence += fmt.Sprintf(" (%d across gateways)", across)
		}
		return withData(r, data)
	case silent == 0 && p.AllowFailover:
		r := passf("no silent duplicates among %d messages over %d receipts; %d explained by subscribers' failovers (at most once per connection)", msgs, pairs, explained)
		r.Details = capLines(explainedLines, 50)
		return withData(r, data)
	}
	lines := append(silentLines, explainedLines...)
	r := failf(0, "%s", lines[0])
	if len(lines) > 1 {
		r.Evidence += fmt.Sprintf(" (%d silent, %d explained duplicates in %d of %d receipts)", silent, explained, len(lines), pairs)
	}
	r.Details = capLines(lines, 50)
	return withData(r, data)
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

// explainingWindow finds the failover that explains every duplicate of
// r: by the duplicated messages' publish times when the receipt names
// them and their publisher left progress samples, else by arrival times.
func explainingWindow(ws []failover, r sim.Event, pub []sample) (failover, bool) {
	if r.FirstDuplicate == 0 && r.LastDuplicate == 0 {
		return failover{}, false // no arrival times recorded: nothing explains them
	}
	// publishedBy is 0 past the last sample (a run cut short): then the
	// publish times are unknown and arrival times decide.
	lastBy := publishedBy(pub, r.DuplicateSeqs.Last)
	bySeq := r.DuplicateSeqs.Last > 0 && lastBy > 0
	for _, w := range ws {
		if !bySeq {
			if w.from <= r.FirstDuplicate && r.LastDuplicate <= w.to {
				return w, true
			}
			continue
		}
		// A publisher samples its progress right after publishing and at
		// most every 25 ms apart, so the first sample that shows a
		// sequence is its publish time to within that.
		if r.FirstDuplicate >= w.from-callbackSlop &&
			lastBy <= w.from+callbackSlop &&
			publishedBy(pub, r.DuplicateSeqs.First) >= w.from-FailoverLag {
			return w, true
		}
	}
	return failover{}, false
}

// publishSamplesOf collects every publisher's progress samples (the
// no_loss checker's kind): at a sample's time, every sequence up to its
// seq had been published.
func publishSamplesOf(events []sim.Event) map[int][]sample {
	out := map[int][]sample{}
	for _, ev := range events {
		if ev.Kind == sim.PublishProgress || ev.Kind == sim.PublishEnd {
			out[ev.Pub] = append(out[ev.Pub], sample{seq: ev.Seq, t: ev.T})
		}
	}
	return out
}
