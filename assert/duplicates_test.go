package assert

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func dupTimeline(first, last time.Duration, withFailover bool) []sim.Event {
	ms := time.Millisecond
	evs := []sim.Event{
		{T: 1 * ms, Kind: sim.ClientConnect, Client: "s-1", Group: "s", Server: "A"},
		{T: 2 * ms, Kind: sim.PublishProgress, Client: "p-1", Pub: 1, Seq: 0, Subject: "x"},
	}
	if withFailover {
		evs = append(evs,
			sim.Event{T: 100 * ms, Kind: sim.ClientDisconnect, Client: "s-1", Group: "s", Server: "A", Err: "EOF"},
			sim.Event{T: 103 * ms, Kind: sim.ClientReconnect, Client: "s-1", Group: "s", Server: "B"},
		)
	}
	return append(evs,
		sim.Event{T: 3000 * ms, Kind: sim.PublishEnd, Client: "p-1", Pub: 1, Seq: 500, Subject: "x"},
		sim.Event{T: 3100 * ms, Kind: sim.Receipt, Client: "s-1", Sub: "s-1/0", Subject: ">", Pub: 1,
			Received: []sim.Range{{First: 1, Last: 500}}, Duplicates: 3, FirstDuplicate: first, LastDuplicate: last},
	)
}

func TestNoDuplicatesExplainedByTheSubscribersFailover(t *testing.T) {
	ms := time.Millisecond
	// Duplicates arriving right around the reconnect (the first one even
	// stamped before the reconnect callback's event): explained.
	evs := dupTimeline(102*ms, 140*ms, true)
	r := check(t, "no_duplicates", NoDuplicatesParams{AllowFailover: true}, evs)
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "3 explained by subscribers' failovers")
	// The contract's plain no_duplicates fails on them all the same.
	r = check(t, "no_duplicates", NoDuplicatesParams{}, evs)
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "during its failover")
}

func TestNoDuplicatesSilentWithoutFailover(t *testing.T) {
	ms := time.Millisecond
	r := check(t, "no_duplicates", NoDuplicatesParams{AllowFailover: true}, dupTimeline(500*ms, 510*ms, false))
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "outside any failover of its own (silent)")
}

func TestNoDuplicatesSilentLongAfterTheFailover(t *testing.T) {
	ms := time.Millisecond
	// The last duplicate arrives well past the grace after the reconnect.
	r := check(t, "no_duplicates", NoDuplicatesParams{AllowFailover: true}, dupTimeline(110*ms, 103*ms+DuplicateGrace+50*ms, true))
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "(silent)")
}
