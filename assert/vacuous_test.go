package assert

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// A property with nothing to judge fails, with evidence that starts
// "vacuous:". One synthetic timeline per way of having nothing to judge.
func TestVacuousPropertiesFail(t *testing.T) {
	idle := func() *tl { // servers and clients, and nothing else happens
		b := newTL(t)
		b.at(0).start("A", "B").meshed("A", "B").connect("c-1", "A", "A", "B").connect("c-2", "B", "A", "B")
		b.at(5).add(runEnd())
		return b
	}
	for _, c := range []struct {
		name     string
		property string
		params   any
		events   []sim.Event
		evidence string
	}{
		{"herd without a reconnection", "herd", HerdParams{Window: 100 * time.Millisecond, MaxPerServer: 50}, idle().events(),
			"no client reconnected"},
		{"reconnect without a disconnection", "reconnect", ReconnectParams{Max: time.Second}, idle().events(),
			"none of 2 clients disconnected"},
		{"reconnect without a client", "reconnect", ReconnectParams{MaxPerClient: intp(0)}, newTL(t).start("A").events(),
			"no client connected"},
		{"no_loss without a publisher", "no_loss", nil, func() []sim.Event {
			b := idle()
			b.subReady("c-1", "c-1", ">", "")
			return b.events()
		}(), "no publisher recorded"},
		{"no_loss without a subscriber", "no_loss", nil, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A").connect("p-1", "A")
			b.publish("p-1", "orders.p-1", 1, 3, 100)
			return b.events()
		}(), "no subscriber became ready"},
		{"no_loss with no matching pair", "no_loss", nil, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A").connect("p-1", "A").connect("s-1", "A").subReady("s-1", "s-1", "payments.>", "")
			b.publish("p-1", "orders.p-1", 1, 3, 100)
			b.at(4).receipt("s-1", "payments.>", "p-1")
			return b.events()
		}(), "0 matching (publisher, subscriber) pairs"},
		{"no_duplicates with nothing received", "no_duplicates", nil, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A").connect("p-1", "A").connect("s-1", "A").subReady("s-1", "s-1", "orders.>", "")
			b.at(1).pubEnd("p-1", "orders.p-1", 0)
			b.at(2).receipt("s-1", "orders.>", "p-1")
			return b.events()
		}(), "no message received over 1"},
		{"ordered with nothing received", "ordered", nil, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A").connect("s-1", "A").subReady("s-1", "s-1", "orders.>", "")
			b.at(2).receipt("s-1", "orders.>", "p-1")
			return b.events()
		}(), "no message received over 1"},
		{"balance without a client", "balance", BalanceParams{MaxSkew: 0.25}, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A", "B").observe("A", 0).observe("B", 0)
			return b.events()
		}(), "no client on [A B]"},
		{"balance without a server taking clients", "balance", BalanceParams{MaxSkew: 0.25}, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A").observe("A", 3)
			b.at(1).add(serverLameDuck("A"))
			return b.events()
		}(), "no running server takes clients"},
		{"server_lists without a client", "server_lists", ServerListsParams{Kept: []string{"A"}}, newTL(t).start("A").events(),
			"no client was connected at the end"},
		{"js_no_loss without a publisher", "js_no_loss", nil, newTL(t).start("A").events(), "no JetStream publisher"},
		{"js_no_loss with nothing acknowledged", "js_no_loss", nil,
			jsTL([]sim.Event{{Seq: 1, Count: 5, Detail: sim.JSTimeout}}, nil, nil, nil), "no publish was acknowledged"},
		{"js_no_duplicates without JetStream", "js_no_duplicates", nil, newTL(t).start("A").events(), "no JetStream publisher and no stream"},
		{"js_no_duplicates on an empty stream", "js_no_duplicates", nil,
			jsTL([]sim.Event{{Seq: 1, Count: 5, Detail: sim.JSTimeout}}, nil, nil, nil), "S read back empty"},
		{"mesh without a change", "mesh", within2s, []sim.Event{{Kind: sim.Observe, Server: "A"}}, "no change recorded"},
		{"mesh of one server", "mesh", within2s, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A").observe("A", 0)
			b.at(3).add(runEnd())
			return b.events()
		}(), "held over 0 server pairs"},
		{"mesh never verified", "mesh", within2s, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A", "B")
			b.at(1).add(runEnd())
			return b.events()
		}(), "the run ended within 2s of each of 2 changes"},
		{"discovery without a client", "discovery", DiscoveryParams{Within: time.Second}, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A", "B", "C")
			b.at(3).add(runEnd())
			return b.events()
		}(), "no client was ever connected"},
		{"discovery with one server", "discovery", DiscoveryParams{Within: time.Second}, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A").connect("c-1", "A", "A")
			b.at(3).add(runEnd())
			return b.events()
		}(), "no client could reach a server besides its own"},
		{"discovery of clients gone before their bound", "discovery", DiscoveryParams{Within: time.Second}, func() []sim.Event {
			b := newTL(t)
			b.at(0).start("A", "B").connect("c-1", "A", "A")
			b.at(0.5).disconnect("c-1", "A", "EOF")
			b.at(3).add(runEnd())
			return b.events()
		}(), "no window of 1 clients was verified"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := check(t, c.property, c.params, c.events)
			wantVerdict(t, r, Fail)
			if !r.Vacuous() {
				t.Errorf("evidence %q does not start with %q", r.Evidence, VacuousPrefix)
			}
			wantEvidence(t, r, c.evidence)
		})
	}
}

// max_per_client judges every connected client, none of which may have
// reconnected too often: no disconnection at all is evidence for it.
func TestReconnectPerClientBoundJudgesQuietClients(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A").connect("c-2", "A")
	b.at(3).add(runEnd())
	r := check(t, "reconnect", ReconnectParams{MaxPerClient: intp(0)}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "none of 2 clients disconnected or reconnected")
}

// Every PASS says what it judged, as counts.
func TestPassesCountWhatTheyJudged(t *testing.T) {
	r := check(t, "herd", HerdParams{Window: 100 * time.Millisecond, MaxPerServer: 500}, herd(t, 20, time.Second).events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "20 reconnections of 20 clients onto 1 servers")

	evs := queueGroup(t, 0, 0)
	r = check(t, "no_duplicates", nil, evs)
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "no duplicates among 1000 messages over 1 (subscriber, publisher) receipts")

	b := newTL(t)
	b.at(0).start("A").connect("p-1", "A").connect("s-1", "A").subReady("s-1", "s-1", "orders.>", "")
	b.at(2).pubEnd("p-1", "orders.p-1", 10)
	b.at(3).receipt("s-1", "orders.>", "p-1", rg(1, 10))
	r = check(t, "ordered", nil, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "among 10 messages over 1 (subscriber, publisher) receipts")

	if r := check(t, "js_no_loss", nil, jsTL([]sim.Event{ack(1, 10)}, []sim.Range{rg(1, 10)}, []sim.Range{rg(1, 10)}, nil)); r.Verdict != Pass ||
		!strings.Contains(r.Evidence, "all 10 acknowledged publishes of 1 publishers") {
		t.Errorf("js_no_loss: %s %s", r.Verdict, r.Evidence)
	}
}
