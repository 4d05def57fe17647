package assert

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// queueGroup: two members of queue group "workers" share one logical
// subscriber; the fleet writes one receipt for it.
func queueGroup(t *testing.T, dups, reordered uint64) []sim.Event {
	b := newTL(t)
	b.at(0).start("A", "B").connect("w-1", "A").connect("w-2", "B").connect("p-1", "A")
	b.subReady("w-1", "workers", "orders.>", "workers").subReady("w-2", "workers", "orders.>", "workers")
	b.at(1).progress("p-1", "orders.p-1", 500)
	b.at(2).pubEnd("p-1", "orders.p-1", 1000)
	b.at(3).receipt("workers", "orders.>", "p-1", rg(1, 1000))
	b.lastEvent().Queue = "workers"
	b.lastEvent().Duplicates = dups
	b.lastEvent().Reordered = reordered
	return b.events()
}

func TestQueueGroupReceivesEachMessageOnce(t *testing.T) {
	evs := queueGroup(t, 0, 0)
	for _, name := range []string{"no_loss", "no_duplicates"} {
		wantVerdict(t, check(t, name, nil, evs), Pass)
	}
	// Order across a queue group's members is no promise: with no plain
	// subscriber, ordered has nothing to judge.
	r := check(t, "ordered", nil, evs)
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "vacuous: only queue groups subscribed")
}

func TestNoDuplicatesFails(t *testing.T) {
	r := check(t, "no_duplicates", NoDuplicatesParams{}, queueGroup(t, 12, 0))
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub workers got 12 duplicates from p-1")
}

func TestOrderedFails(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A").connect("p-1", "A").connect("s-1", "A").subReady("s-1", "s-1", "orders.>", "")
	b.at(2).pubEnd("p-1", "orders.p-1", 1000)
	b.at(3).receipt("s-1", "orders.>", "p-1", rg(1, 1000))
	b.lastEvent().Reordered = 3
	r := check(t, "ordered", OrderedParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 got 3 reordered messages from p-1")
}

// A queue group's members receive on separate connections at once: NATS
// promises no order across them, so the merged order is not judged.
func TestOrderedDoesNotJudgeQueueGroups(t *testing.T) {
	r := check(t, "ordered", OrderedParams{}, queueGroup(t, 0, 3))
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "vacuous: only queue groups subscribed")
	if len(r.Details) != 1 || !strings.Contains(r.Details[0], "queue group workers: 3 out of order from p-1") {
		t.Errorf("details %q", r.Details)
	}
}

// Receipts come when the fleet stops: before then (a check step mid-run)
// the subjects are there but not what they received.
func TestReceiptCheckersNeedReceipts(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A").connect("p-1", "A").connect("s-1", "A").subReady("s-1", "s-1", "orders.>", "")
	b.at(1).progress("p-1", "orders.p-1", 500)
	for _, name := range []string{"no_loss", "no_duplicates", "ordered"} {
		r := check(t, name, nil, b.events())
		wantVerdict(t, r, NotEvaluated)
		wantEvidence(t, r, "when it stops")
	}
}
