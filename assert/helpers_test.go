package assert

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// tl builds a synthetic timeline: set the clock with at, then add events.
type tl struct {
	t   testing.TB
	now time.Duration
	evs []sim.Event
	// streams were added with their own times: events() sorts.
	streams bool
	// pubs numbers publishing clients 1, 2, ... as the fleet does.
	pubs map[string]int
}

func newTL(t testing.TB) *tl { return &tl{t: t} }

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func rg(first, last uint64) sim.Range { return sim.Range{First: first, Last: last} }

// at moves the clock to s seconds; time never goes back on a timeline.
func (b *tl) at(s float64) *tl {
	b.t.Helper()
	d := sec(s)
	if d < b.now {
		b.t.Fatalf("timeline goes back from %v to %v", b.now, d)
	}
	b.now = d
	return b
}

func (b *tl) add(ev sim.Event) *tl {
	b.t.Helper()
	ev.T = b.now
	b.evs = append(b.evs, ev)
	return b
}

func (b *tl) events() []sim.Event {
	if b.streams {
		sort.SliceStable(b.evs, func(i, j int) bool { return b.evs[i].T < b.evs[j].T })
	}
	return b.evs
}

// publish records a publisher sending perSec messages a second from
// second from to second to: a progress sample every 100ms (seq 0 at from)
// and its PublishEnd at to. The samples are placed by their own times.
func (b *tl) publish(client, subject string, from, to float64, perSec uint64) *tl {
	b.t.Helper()
	b.streams = true
	pub := b.pubIndex(client)
	for i := 0; ; i++ {
		s := from + float64(i)/10
		seq := uint64(i) * perSec / 10
		if s >= to-1e-9 {
			b.evs = append(b.evs, sim.Event{T: sec(to), Kind: sim.PublishEnd, Client: client, Pub: pub, Subject: subject, Seq: seq})
			return b
		}
		b.evs = append(b.evs, sim.Event{T: sec(s), Kind: sim.PublishProgress, Client: client, Pub: pub, Subject: subject, Seq: seq})
	}
}

func (b *tl) server(k sim.Kind, servers ...string) *tl {
	b.t.Helper()
	for _, s := range servers {
		b.add(sim.Event{Kind: k, Server: s})
	}
	return b
}

func (b *tl) start(servers ...string) *tl {
	b.t.Helper()
	return b.server(sim.ServerStart, servers...)
}

func (b *tl) exit(servers ...string) *tl {
	b.t.Helper()
	return b.server(sim.ServerExit, servers...)
}

// kill records a kill and the exit that follows it.
func (b *tl) kill(s string) *tl {
	b.t.Helper()
	return b.server(sim.ServerKill, s).server(sim.ServerExit, s)
}

func (b *tl) observe(server string, clients int, peers ...string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.Observe, Server: server, Clients: clients, Peers: peers})
}

// meshed observes every server routing to every other one, with no clients.
func (b *tl) meshed(servers ...string) *tl {
	b.t.Helper()
	for _, s := range servers {
		var peers []string
		for _, o := range servers {
			if o != s {
				peers = append(peers, o)
			}
		}
		b.observe(s, 0, peers...)
	}
	return b
}

func (b *tl) faultStart(id, kind, target string, cuts bool, servers ...string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.FaultStart, Fault: id, FaultKind: kind, Target: target, Cuts: cuts, Servers: servers})
}

func (b *tl) partition(id string, groups ...[]string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.FaultStart, Fault: id, FaultKind: "partition", Groups: groups, Cuts: true})
}

func (b *tl) faultEnd(id string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.FaultEnd, Fault: id})
}

func (b *tl) connect(client, server string, known ...string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.ClientConnect, Client: client, Server: server, Known: known})
}

func (b *tl) reconnect(client, server string, known ...string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.ClientReconnect, Client: client, Server: server, Known: known})
}

func (b *tl) disconnect(client, server, err string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.ClientDisconnect, Client: client, Server: server, Err: err})
}

func (b *tl) closed(client string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.ClientClosed, Client: client})
}

// leave records that client left on purpose (a leave step).
func (b *tl) leave(client string) *tl {
	return b.add(sim.Event{Kind: sim.ClientLeave, Client: client})
}

func (b *tl) subReady(client, sub, subject, queue string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.SubReady, Client: client, Sub: sub, Subject: subject, Queue: queue})
}

// pubIndex is the fleet's index of the publisher on client.
func (b *tl) pubIndex(client string) int {
	if b.pubs == nil {
		b.pubs = map[string]int{}
	}
	if _, ok := b.pubs[client]; !ok {
		b.pubs[client] = len(b.pubs) + 1
	}
	return b.pubs[client]
}

func (b *tl) progress(client, subject string, seq uint64) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.PublishProgress, Client: client, Pub: b.pubIndex(client), Subject: subject, Seq: seq})
}

func (b *tl) pubEnd(client, subject string, seq uint64) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.PublishEnd, Client: client, Pub: b.pubIndex(client), Subject: subject, Seq: seq})
}

func (b *tl) refused(client string, seq, count uint64, err string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.PublishRefused, Client: client, Pub: b.pubIndex(client), Seq: seq, Count: count, Err: err})
}

// receipt records what logical subscriber sub (whose client has the same
// name) received from the publisher on client pub.
func (b *tl) receipt(sub, subject, pub string, received ...sim.Range) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.Receipt, Sub: sub, Subject: subject, Client: sub, Pub: b.pubIndex(pub), Received: received})
}

// lastEvent lets a test adjust the event it just added.
func (b *tl) lastEvent() *sim.Event { return &b.evs[len(b.evs)-1] }

// check runs a property through the registry, as the runner does.
func check(t *testing.T, name string, params any, events []sim.Event) Result {
	t.Helper()
	rs := Evaluate([]Expectation{{Name: name, Params: params}}, events)
	if len(rs) != 1 {
		t.Fatalf("Evaluate returned %d results", len(rs))
	}
	return rs[0]
}

func wantVerdict(t *testing.T, r Result, want Verdict) {
	t.Helper()
	if r.Verdict != want {
		t.Fatalf("%s: verdict %s, want %s\nevidence: %s\ndetails:\n  %s", r.Name, r.Verdict, want, r.Evidence, strings.Join(r.Details, "\n  "))
	}
	if r.Evidence == "" || strings.Contains(r.Evidence, "\n") {
		t.Fatalf("%s: evidence must be one non-empty line, got %q", r.Name, r.Evidence)
	}
}

func wantEvidence(t *testing.T, r Result, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Evidence, p) {
			t.Errorf("%s: evidence %q lacks %q\ndetails:\n  %s", r.Name, r.Evidence, p, strings.Join(r.Details, "\n  "))
		}
	}
}

func wantOK(t *testing.T, ok bool, why string, want bool, parts ...string) {
	t.Helper()
	if ok != want {
		t.Fatalf("got %v, want %v: %s", ok, want, why)
	}
	for _, p := range parts {
		if !strings.Contains(why, p) {
			t.Errorf("why %q lacks %q", why, p)
		}
	}
}

func clientDiscovered(client string, known ...string) sim.Event {
	return sim.Event{Kind: sim.ClientDiscovered, Client: client, Known: known}
}

func serverLameDuck(s string) sim.Event { return sim.Event{Kind: sim.ServerLameDuck, Server: s} }

func runEnd() sim.Event { return sim.Event{Kind: sim.RunEnd, Detail: "completed"} }

func stepEnd(i int) sim.Event { return sim.Event{Kind: sim.StepEnd, Step: i} }
