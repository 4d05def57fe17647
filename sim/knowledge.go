package sim

import (
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// knowledgeEvery is how often the fleet re-reads each client's server list.
//
// nats.go's DiscoveredServersHandler does not fire for every change of the
// list: not while the initial connect is still marked in progress, and not
// when a URL it pruned comes back. A timeline built on the callback alone
// showed clients ignorant of servers they knew. The list itself
// (nc.Servers) is the truth; the poller records any change the callbacks
// missed, as a ClientDiscovered event with Detail "poll".
const knowledgeEvery = 100 * time.Millisecond

// knowledgePollsPerSecond caps the poller's reads across a fleet: past
// 4,000 clients the period grows with the fleet (250 ms at 10,000). Each
// read copies the library's list; at 100 ms, five workers of 10,000
// clients spent a twentieth of two cores on it. The callbacks still
// record most changes at once; only those they miss are noticed later.
const knowledgePollsPerSecond = 40000

// knowledgePeriod is the poller's period for a fleet of n clients.
func knowledgePeriod(n int) time.Duration {
	return max(knowledgeEvery, time.Duration(n)*time.Second/knowledgePollsPerSecond)
}

// recordKnown reads the client's server list, remembers it as recorded
// and adds ev with it as Known. The read, the remembered list and the
// event happen under knowMu, for both this and the poller: otherwise a
// callback that read an older list could add its event after the poller
// recorded a newer one, and the timeline would keep the older list for
// good while the fleet (and the library) knew better. Seen at 50,000
// clients on two cores: 8 to 189 clients recorded as "not knowing" a
// server their library listed, and discovery failed.
func (cl *client) recordKnown(nc *nats.Conn, ev Event) {
	cl.knowMu.Lock()
	urls := nc.Servers()
	prev, known := cl.remember(urls, strings.Join(urls, ","))
	ev.Known = known
	cl.fleet.tl.Add(ev)
	cl.knowMu.Unlock()
	cl.knownChanged(nc, prev, known)
}

// pollKnown records the client's server list if it changed unseen.
func (cl *client) pollKnown() {
	if cl.nc == nil || cl.nc.IsClosed() {
		return
	}
	cl.knowMu.Lock()
	urls := cl.nc.Servers()
	raw := strings.Join(urls, ",")
	cl.mu.Lock()
	same := raw == cl.rawKnown
	cl.mu.Unlock()
	if same {
		// The list Known was computed from: nothing to map again. Most
		// polls end here, which matters at tens of thousands of clients.
		cl.knowMu.Unlock()
		return
	}
	prev, known := cl.remember(urls, raw)
	if strings.Join(known, ",") != prev {
		cl.fleet.tl.Add(Event{Kind: ClientDiscovered, Client: cl.id, Group: cl.group, Known: known, Detail: "poll"})
	}
	cl.knowMu.Unlock()
	cl.knownChanged(cl.nc, prev, known)
}

// remember maps the library's list to server names and keeps both as
// what was recorded (raw is urls joined); it returns the names recorded
// before, joined. Called with knowMu held.
func (cl *client) remember(urls []string, raw string) (prev string, known []string) {
	known = cl.knownOf(urls)
	cl.mu.Lock()
	prev = cl.known
	cl.known = strings.Join(known, ",")
	cl.rawKnown = raw
	cl.mu.Unlock()
	return prev, known
}

func (f *Fleet) startKnowledgePoller() {
	f.every(knowledgeEvery, func() time.Duration {
		f.mu.Lock()
		cls := append([]*client(nil), f.clients...)
		f.mu.Unlock()
		for _, cl := range cls {
			cl.pollKnown()
		}
		return knowledgePeriod(len(cls))
	})
}

// knownChanged passes a change of the list to the client's strategy.
func (cl *client) knownChanged(nc *nats.Conn, prev string, now []string) {
	if cl.strat == nil || prev == strings.Join(now, ",") {
		return
	}
	var was []string
	if prev != "" {
		was = strings.Split(prev, ",")
	}
	cl.strategyKnown(nc, was, now)
}
