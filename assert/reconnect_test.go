package assert

import (
	"testing"
	"time"
)

// outages: c-1..c-3 leave A at 2s and come back after 100ms, 200ms, 300ms.
func outages(t *testing.T) *tl {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A").connect("c-2", "A").connect("c-3", "A")
	b.at(2).disconnect("c-1", "A", "EOF").disconnect("c-2", "A", "EOF").disconnect("c-3", "A", "EOF").kill("A")
	b.at(2.1).reconnect("c-1", "B")
	b.at(2.2).reconnect("c-2", "B")
	b.at(2.3).reconnect("c-3", "B")
	return b
}

func TestReconnectHolds(t *testing.T) {
	b := outages(t)
	// The fleet closing its clients at the end is no outage.
	b.at(5).disconnect("c-1", "B", "").closed("c-1")
	r := check(t, "reconnect", ReconnectParams{Max: time.Second, P99: 500 * time.Millisecond, MaxPerClient: intp(1)}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "3 reconnects of 3 clients: max 300ms, p99 300ms, p50 200ms; at most 1 per client")
}

func TestReconnectFailsOnSlowReconnect(t *testing.T) {
	r := check(t, "reconnect", ReconnectParams{Max: 250 * time.Millisecond}, outages(t).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "slowest reconnect 300ms > 250ms: c-3 left A at 2s, back on B at 2.3s")
}

func TestReconnectFailsOnP99(t *testing.T) {
	r := check(t, "reconnect", ReconnectParams{P99: 250 * time.Millisecond}, outages(t).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "p99 reconnect 300ms > 250ms over 3 reconnects")
}

func TestReconnectFailsOnTooManyPerClient(t *testing.T) {
	b := outages(t)
	b.at(4).disconnect("c-2", "B", "EOF")
	b.at(4.1).reconnect("c-2", "B")
	r := check(t, "reconnect", ReconnectParams{MaxPerClient: intp(1)}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "c-2 reconnected 2 times > 1 (at 2.2s, 4.1s)")
}

func TestReconnectFailsWhenAClientNeverReconnects(t *testing.T) {
	b := outages(t)
	b.at(3).disconnect("c-2", "B", "EOF")
	b.at(9).add(runEnd())
	r := check(t, "reconnect", ReconnectParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "c-2 never reconnected after leaving B at 3s (EOF)")

	// Closed after giving up (max_reconnects) is as bad.
	b = outages(t)
	b.at(3).disconnect("c-2", "B", "EOF")
	b.at(4).closed("c-2")
	r = check(t, "reconnect", ReconnectParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "c-2 never reconnected after leaving B at 3s (EOF), closed at 4s")
}
