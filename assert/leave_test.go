package assert

import (
	"testing"
	"time"
)

// Clients leaving on purpose (a leave step): nothing is expected of them
// afterwards, and nothing before is excused.

func TestNoLossEndsAtALeave(t *testing.T) {
	b := lossRun(t)
	// s-1 leaves at 5s, having received everything published by then.
	b.at(5).leave("s-1")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3990))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	d := lossData(t, r)
	// Expected up to the first sample at or after 5.25s (seq 4300): what
	// follows 3990 there lies inside its leaving window.
	if d.Expected != 4300 || d.Silent != 0 || d.Explained != 310 {
		t.Errorf("counts %+v", d)
	}
	wantEvidence(t, r, "no failing loss of 4300 expected messages")
}

func TestNoLossLeaveExcusesNothingBefore(t *testing.T) {
	b := lossRun(t)
	b.at(5).leave("s-1")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 1999), rg(2101, 3990))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 2000–2100 (silent, middle)")
}

func TestNoLossQueueMemberLeavingKeepsTheGroupExpected(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A").connect("p-1", "A").connect("q-1", "A").connect("q-2", "A")
	b.subReady("q-1", "queue:w:orders.>", "orders.>", "w").subReady("q-2", "queue:w:orders.>", "orders.>", "w")
	b.publish("p-1", "orders.p-1", 1, 10, 1000)
	b.at(5).leave("q-1")
	// The group lost 6000–6100, long after q-1 left: q-2 was there.
	b.at(11).receipt("queue:w:orders.>", "orders.>", "p-1", rg(1, 5999), rg(6101, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "seq 6000–6100 (silent, middle)")
}

func TestConnectedIgnoresClientsThatLeft(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A").connect("c-1", "A").connect("c-2", "A")
	b.at(1).leave("c-2")
	ok, why := Connected(Fold(b.events()))
	wantOK(t, ok, why, true, "all 1 clients connected")
	b.at(2).closed("c-1")
	ok, why = Connected(Fold(b.events()))
	wantOK(t, ok, why, false, "c-1 closed at 2s")
}

func TestReconnectForgivesALeaveWhileDisconnected(t *testing.T) {
	b := outages(t)
	b.at(2.4).disconnect("c-1", "B", "EOF").leave("c-1")
	r := check(t, "reconnect", ReconnectParams{Max: time.Second}, b.events())
	wantVerdict(t, r, Pass)
	// Without the leave, the same disconnection strands c-1.
	b2 := outages(t)
	b2.at(2.4).disconnect("c-1", "B", "EOF")
	r = check(t, "reconnect", ReconnectParams{Max: time.Second}, b2.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "c-1 never reconnected")
}
