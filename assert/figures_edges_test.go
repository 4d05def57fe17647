package assert

import (
	"slices"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// Without a fault the lab's curve starts at the first disconnection, and
// a reconnection at that very instant is in its first window.
func TestHerdCurveStartsAtTheFirstDisconnectWithoutAFault(t *testing.T) {
	ev := []sim.Event{
		{T: sec(0.001), Kind: sim.ClientConnect, Client: "c-0", Server: "A"},
		{T: sec(0.001), Kind: sim.ClientConnect, Client: "c-1", Server: "A"},
		{T: sec(0.15), Kind: sim.ClientDisconnect, Client: "c-0", Server: "A", Err: "EOF"},
		{T: sec(0.15), Kind: sim.ClientDisconnect, Client: "c-1", Server: "A", Err: "EOF"},
		{T: sec(0.15), Kind: sim.ClientReconnect, Client: "c-0", Server: "B"},
		{T: sec(0.17), Kind: sim.ClientReconnect, Client: "c-1", Server: "B"},
	}
	f := Herd(ev, 100*time.Millisecond)
	if f.FirstFault != 0 || f.FirstDisconnect != sec(0.15) || !slices.Equal(f.Curve, []int{2}) {
		t.Errorf("fault %v, first disconnect %v, curve %v; want 0, 150ms, [2]", f.FirstFault, f.FirstDisconnect, f.Curve)
	}
}

// The lab's curve stops at maxHerdBuckets windows, the limit excluded.
func TestHerdCurveBucketLimit(t *testing.T) {
	ev := func(after int64) []sim.Event {
		return []sim.Event{
			{T: 0, Kind: sim.ClientDisconnect, Client: "c-0", Err: "EOF"},
			{T: time.Duration(after), Kind: sim.ClientReconnect, Client: "c-0", Server: "B"},
		}
	}
	if c := Herd(ev(maxHerdBuckets-1), 1).Curve; len(c) != maxHerdBuckets {
		t.Errorf("%d windows, want %d", len(c), maxHerdBuckets)
	}
	if c := Herd(ev(maxHerdBuckets), 1).Curve; c != nil {
		t.Errorf("%d windows past the limit, want none", len(c))
	}
}

// The sliding window is half-open: reconnections one window apart are two
// peaks of one.
func TestHerdPeakWindowIsHalfOpen(t *testing.T) {
	ev := []sim.Event{
		{T: sec(1), Kind: sim.ClientReconnect, Client: "c-0", Server: "B"},
		{T: sec(1.1), Kind: sim.ClientReconnect, Client: "c-1", Server: "B"},
	}
	if f := Herd(ev, 100*time.Millisecond); f.PeakPerServer["B"] != 1 || f.Peak != 1 {
		t.Errorf("peak %d (B %d), want 1", f.Peak, f.PeakPerServer["B"])
	}
}

// A kill or a disconnection that starts the teardown is not the run's
// first fault or disconnection; every client away at the end is stranded,
// closed or not.
func TestHerdRecoveryStopsAtTheTeardown(t *testing.T) {
	ev := []sim.Event{
		{T: sec(0), Kind: sim.ClientConnect, Client: "c-0", Server: "A"},
		{T: sec(1), Kind: sim.StepEnd, Step: 0},
		{T: sec(2), Kind: sim.ServerKill, Server: "A"},
	}
	if f := Herd(ev, time.Second); f.FirstFault != 0 {
		t.Errorf("teardown kill taken as the first fault at %v", f.FirstFault)
	}
	ev[2] = sim.Event{T: sec(2), Kind: sim.ClientDisconnect, Client: "c-0", Server: "A"}
	if f := Herd(ev, time.Second); f.FirstDisconnect != 0 || f.Stranded != 0 {
		t.Errorf("teardown close taken as a disconnection at %v (stranded %d)", f.FirstDisconnect, f.Stranded)
	}

	away := []sim.Event{
		{T: sec(0), Kind: sim.ClientConnect, Client: "c-0", Server: "A"},
		{T: sec(0), Kind: sim.ClientConnect, Client: "c-1", Server: "A"},
		{T: sec(1), Kind: sim.ClientDisconnect, Client: "c-0", Server: "A", Err: "EOF"},
		{T: sec(1), Kind: sim.ClientDisconnect, Client: "c-1", Server: "A", Err: "EOF"},
		{T: sec(2), Kind: sim.ClientClosed, Client: "c-0"},
	}
	if f := Herd(away, time.Second); f.Stranded != 2 {
		t.Errorf("stranded %d, want 2 (one closed while away, one never back)", f.Stranded)
	}
}
