package assert

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// failoverDup: a publisher at 10 messages a second (seq k sampled at
// k×100 ms), subscriber s-1 in group s that loses A at from and is back
// on B at back, and receipts that each got 2 duplicates of seqs, first
// and last arriving at the given times.
func failoverDup(from, back time.Duration, dups ...sim.Event) []sim.Event {
	ms := time.Millisecond
	evs := []sim.Event{{T: 0, Kind: sim.ClientConnect, Client: "s-1", Group: "s", Server: "A"}}
	for seq := uint64(0); seq <= 100; seq++ {
		evs = append(evs, sim.Event{T: time.Duration(seq) * 100 * ms, Kind: sim.PublishProgress, Client: "p-1", Pub: 1, Seq: seq, Subject: "x"})
	}
	evs = append(evs,
		sim.Event{T: from, Kind: sim.ClientDisconnect, Client: "s-1", Group: "s", Server: "A", Err: "EOF"},
		sim.Event{T: back, Kind: sim.ClientReconnect, Client: "s-1", Group: "s", Server: "B"})
	evs = byTime(evs)
	for _, d := range dups {
		d.T, d.Kind, d.Client, d.Pub, d.Subject = 10100*ms, sim.Receipt, "s-1", 1, ">"
		d.Received, d.Duplicates = []sim.Range{{First: 1, Last: 100}}, 2
		evs = append(evs, d)
	}
	return evs
}

func dupArrivals(sub string, first, last time.Duration, seqs sim.Range) sim.Event {
	return sim.Event{Sub: sub, FirstDuplicate: first, LastDuplicate: last, DuplicateSeqs: seqs}
}

func noDups(t *testing.T, evs []sim.Event) Result {
	t.Helper()
	return check(t, "no_duplicates", NoDuplicatesParams{AllowFailover: true}, evs)
}

// By arrival (no sequences named): the window runs from the disconnect to
// DuplicateGrace after the reconnect, both ends included.
func TestNoDuplicatesArrivalWindowIncludesItsEnds(t *testing.T) {
	from, back := sec(1), sec(1.5)
	wantVerdict(t, noDups(t, failoverDup(from, back, dupArrivals("s-1/0", from, back+DuplicateGrace, sim.Range{}))), Pass)
	wantVerdict(t, noDups(t, failoverDup(from, back, dupArrivals("s-1/0", from-1, back, sim.Range{}))), Fail)
	wantVerdict(t, noDups(t, failoverDup(from, back, dupArrivals("s-1/0", from, back+DuplicateGrace+1, sim.Range{}))), Fail)
}

// A receipt with no arrival times is never explained, even by a window
// open from the start; one with only its last arrival time is judged.
func TestNoDuplicatesWithoutArrivalTimes(t *testing.T) {
	wantVerdict(t, noDups(t, failoverDup(0, sec(0.5), dupArrivals("s-1/0", 0, 0, sim.Range{}))), Fail)
	wantVerdict(t, noDups(t, failoverDup(0, sec(0.5), dupArrivals("s-1/0", 0, sec(0.6), sim.Range{}))), Pass)
}

// By publish time: the first duplicate may arrive up to callbackSlop before
// the recorded disconnect, and the last duplicated message may have been
// published up to callbackSlop after it; both bounds included.
func TestNoDuplicatesPublishTimeSlopIncludesItsEnds(t *testing.T) {
	from, back := sec(0.95), sec(1.5)
	edge := dupArrivals("s-1/0", from-callbackSlop, sec(1.6), sim.Range{First: 7, Last: 12}) // 12 published at 1.2 s = from+slop
	wantVerdict(t, noDups(t, failoverDup(from, back, edge)), Pass)
	early := dupArrivals("s-1/0", from-callbackSlop-1, sec(1.6), sim.Range{First: 7, Last: 12})
	wantVerdict(t, noDups(t, failoverDup(from, back, early)), Fail)
	late := dupArrivals("s-1/0", from, sec(1.6), sim.Range{First: 7, Last: 13}) // 13 at 1.3 s
	wantVerdict(t, noDups(t, failoverDup(from, back, late)), Fail)
}

// One failing receipt is the evidence alone; more add the totals.
func TestNoDuplicatesEvidenceTotals(t *testing.T) {
	one := noDups(t, failoverDup(sec(1), sec(1.5), dupArrivals("s-1/0", sec(5), sec(5), sim.Range{})))
	wantVerdict(t, one, Fail)
	if strings.Contains(one.Evidence, "receipts)") {
		t.Errorf("one failing receipt, yet totals: %s", one.Evidence)
	}
	two := noDups(t, failoverDup(sec(1), sec(1.5),
		dupArrivals("s-1/0", sec(5), sec(5), sim.Range{}), dupArrivals("s-1/1", sec(1.2), sec(1.2), sim.Range{})))
	wantVerdict(t, two, Fail)
	wantEvidence(t, two, "(2 silent, 2 explained duplicates in 2 of 2 receipts)")
}

func TestFailoverWindows(t *testing.T) {
	if ws := failoverWindows(nil); len(ws) != 0 {
		t.Errorf("windows of an empty timeline: %v", ws)
	}
	ws := failoverWindows([]sim.Event{
		{T: sec(1), Kind: sim.ClientDisconnect, Client: "s-1", Group: "s"},
		{T: sec(2), Kind: sim.ClientReconnect, Client: "s-1", Group: "s", Server: "B"},
		{T: sec(3), Kind: sim.ClientDisconnect, Client: "s-2"},
		{T: sec(4), Kind: sim.RunEnd},
	})
	if got := ws["s-1"]; len(got) != 1 || got[0].to != sec(2)+DuplicateGrace ||
		got[0].String() != "(disconnected at 1s, back on B at 2s)" {
		t.Errorf("s-1 windows %v", got)
	}
	if len(ws["group:s"]) != 1 || len(ws["group:"]) != 0 {
		t.Errorf("group windows %v", ws)
	}
	if got := ws["s-2"]; len(got) != 1 || got[0].to != sec(4) || !strings.Contains(got[0].String(), "not back") {
		t.Errorf("s-2, never back: windows %v, want one to the end of the run", got)
	}
}
