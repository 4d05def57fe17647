package assert

import (
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// resubscribed records that client's flush after its reconnect to server
// came back.
func resubscribed(b *tl, client, server string) *tl {
	b.t.Helper()
	return b.add(sim.Event{Kind: sim.ClientResubscribed, Client: client, Server: server})
}

// killBSlowResubscribe: killB, and A confirms s-1's resent subscription
// only at 6.5s, a second after nats.go reported the reconnect.
func killBSlowResubscribe(b *tl) {
	killB(b)
	resubscribed(b.at(6.5), "s-1", "A")
}

func TestNoLossExplainedUntilTheResubscribeIsConfirmed(t *testing.T) {
	b := lossRun(t)
	killBSlowResubscribe(b)
	// Published 5.0–6.7s: after reconnect+grace (5.75s) but before the
	// confirmation plus grace (6.75s).
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3999), rg(5701, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "lost 0 silent, 0 slow consumer, 1701 explained by faults")
	want := "kill B; subscriptions of s-1 propagating on A (reconnected at 5.5s, confirmed at 6.5s)"
	if g := lossData(t, r).Gaps; len(g) != 1 || g[0].Why != want {
		t.Errorf("gaps %+v, want one because %q", g, want)
	}
}

func TestNoLossAfterTheResubscribeConfirmationIsSilent(t *testing.T) {
	b := lossRun(t)
	killBSlowResubscribe(b)
	// The window ends at 6.75s (seq ~5750); 5801–6000 came after it.
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 5800), rg(6001, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 5801–6000 (silent, middle)")
}

func TestNoLossWithoutResubscribeConfirmationKeepsTheFixedGrace(t *testing.T) {
	b := lossRun(t)
	killB(b) // an older timeline: no client_resubscribed
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3999), rg(5701, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 4801–5700 (silent, middle)")
}

func TestNoLossIgnoresAConfirmationOfAnotherConnection(t *testing.T) {
	// Either way 4801–5000 (5.8–6.0s) fall after the fixed grace and
	// before any later window.
	for name, confirm := range map[string]func(b *tl){
		"another server": func(b *tl) { resubscribed(b.at(6.5), "s-1", "B") },
		"after a disconnect": func(b *tl) {
			b.at(6.3).disconnect("s-1", "A", "EOF")
			resubscribed(b.at(6.5), "s-1", "A")
		},
	} {
		t.Run(name, func(t *testing.T) {
			b := lossRun(t)
			killB(b)
			confirm(b)
			b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3999), rg(5001, 9000))
			r := check(t, "no_loss", NoLossParams{}, b.events())
			wantVerdict(t, r, Fail)
			wantEvidence(t, r, "sub s-1 missed p-1 seq 4801–5000 (silent, middle)")
		})
	}
}

func TestNoLossResubscribeExplainsOnlyLossesToTheSubscriber(t *testing.T) {
	// p-1 reconnects and is confirmed late too: that explains nothing
	// about what s-1, which never moved, missed.
	b := lossRun(t)
	b.at(5).disconnect("p-1", "A", "EOF")
	b.at(5.5).reconnect("p-1", "A")
	resubscribed(b.at(6.5), "p-1", "A")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3999), rg(5701, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 4801–5700 (silent, middle)")
}
