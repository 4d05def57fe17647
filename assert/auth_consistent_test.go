package assert

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

func rejected(client, server, err string) sim.Event {
	return sim.Event{Kind: sim.ClientRejected, Client: client, Server: server, Err: err}
}

func probed(client, server, outcome string) sim.Event {
	return sim.Event{Kind: sim.ProbeResult, Client: client, Server: server, Subject: "admin.x", Detail: outcome}
}

func TestAuthConsistent(t *testing.T) {
	for _, c := range []struct {
		name     string
		build    func(b *tl)
		want     Verdict
		evidence string
	}{
		{"consistent", func(b *tl) {
			b.at(0).start("A", "B", "C").connect("c-1", "A").add(probed("c-1", "A", "refused"))
			b.at(1).disconnect("c-1", "A", "EOF").reconnect("c-1", "C").add(probed("c-1", "C", "refused"))
		}, Pass, "1 clients accepted, 1 of them also by another server, none rejected after a move; 2 probes of forbidden subjects, all refused (by [A C])"},
		{"rejected after a move", func(b *tl) {
			b.at(0).start("A", "B", "C").connect("c-1", "A")
			b.at(1.2).disconnect("c-1", "A", "EOF").add(rejected("c-1", "C", "nats: authorization violation"))
			b.at(1.3).reconnect("c-1", "B")
		}, Fail, "C rejected c-1 (authorization violation) at 1.2s after it had been accepted on A"},
		{"privilege gained", func(b *tl) {
			b.at(0).start("A", "C").connect("c-1", "A")
			b.at(0.5).add(probed("c-1", "A", "refused"))
			b.at(2.3).reconnect("c-1", "C").add(probed("c-1", "C", "allowed"))
		}, Fail, "c-1 published to forbidden subject admin.x on C at 2.3s: not refused (refused on A at 500ms)"},
		{"never accepted: not this property's", func(b *tl) {
			b.at(0).start("A").connect("c-1", "A").add(rejected("c-2", "A", "nats: authorization violation")).add(probed("c-1", "A", "refused"))
		}, Pass, "1 rejections of clients never accepted"},
		{"no client", func(b *tl) { b.at(0).start("A") }, Fail, "vacuous: no client"},
		{"no move and no probe", func(b *tl) {
			b.at(0).start("A", "B").connect("c-1", "A")
			b.at(1).disconnect("c-1", "A", "EOF").reconnect("c-1", "A")
		}, Fail, "vacuous: 1 clients accepted, none moved"},
		{"unknown server named as such", func(b *tl) {
			b.at(0).start("A").connect("c-1", "A")
			b.at(1).add(rejected("c-1", "", "nats: authorization violation"))
		}, Fail, "a server (unknown) rejected c-1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newTL(t)
			c.build(b)
			r := checkAuthConsistent(AuthConsistentParams{}, b.events())
			if r.Verdict != c.want || !strings.Contains(r.Evidence, c.evidence) {
				t.Fatalf("%s: %s, want %s with %q\n%v", r.Verdict, r.Evidence, c.want, c.evidence, r.Details)
			}
		})
	}
}

func TestAuthConsistentCountsByServer(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").connect("c-1", "A").connect("c-2", "A").connect("c-3", "A")
	b.at(1).add(rejected("c-1", "C", "nats: authorization violation")).add(rejected("c-2", "C", "x")).
		add(probed("c-3", "B", "allowed"))
	r := checkAuthConsistent(AuthConsistentParams{}, b.events())
	if r.Verdict != Fail || !strings.HasSuffix(r.Evidence, "(+2 more)") ||
		r.Details[0] != "2 rejections after acceptance (C: 2); 1 forbidden publishes not refused (B: 1)" {
		t.Fatalf("%s %s %v", r.Verdict, r.Evidence, r.Details)
	}
}
