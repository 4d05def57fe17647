package assert

import (
	"math"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func TestHerdFigures(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	ev := []sim.Event{
		{T: 0, Kind: sim.RunStart},
		{T: ms(1), Kind: sim.ClientConnect, Client: "c-0", Server: "A"},
		{T: ms(1), Kind: sim.ClientConnect, Client: "c-1", Server: "A"},
		{T: ms(1), Kind: sim.ClientConnect, Client: "c-2", Server: "A"},
		{T: ms(2), Kind: sim.StepStart, Step: 1},
		{T: ms(10), Kind: sim.ServerKill, Server: "A"},
		{T: ms(11), Kind: sim.ClientDisconnect, Client: "c-0", Server: "A", Err: "EOF"},
		{T: ms(11), Kind: sim.ClientDisconnect, Client: "c-1", Server: "A", Err: "EOF"},
		{T: ms(11), Kind: sim.ClientDisconnect, Client: "c-2", Server: "A", Err: "EOF"},
		{T: ms(12), Kind: sim.ClientReconnect, Client: "c-0", Server: "B"},
		{T: ms(15), Kind: sim.ClientReconnect, Client: "c-1", Server: "B"},
		{T: ms(300), Kind: sim.ClientReconnect, Client: "c-2", Server: "C"},
		{T: ms(301), Kind: sim.StepEnd, Step: 1},
		{T: ms(400), Kind: sim.RunEnd},
	}
	f := Herd(ev, 100*time.Millisecond)
	if f.Peak != 2 || f.PeakServer != "B" || f.PeakPerServer["B"] != 2 || f.PeakPerServer["C"] != 1 || f.Reconnects != 3 {
		t.Errorf("peaks: %+v", f)
	}
	if f.FirstFault != ms(10) || f.FirstDisconnect != ms(11) || f.AllBack != ms(289) || f.Stranded != 0 {
		t.Errorf("recovery: fault %v first %v back %v stranded %d", f.FirstFault, f.FirstDisconnect, f.AllBack, f.Stranded)
	}
	if len(f.Curve) != 3 || f.Curve[0] != 2 || f.Curve[1] != 0 || f.Curve[2] != 1 {
		t.Errorf("curve from the kill: %v", f.Curve)
	}
	if !math.IsNaN(f.FinalSkew) || f.Loss != nil {
		t.Errorf("nothing observed, nothing published: skew %v loss %v", f.FinalSkew, f.Loss)
	}
	// c-2 never comes back: stranded, whether it is closed or not.
	cut := append(append([]sim.Event{}, ev[:11]...), sim.Event{T: ms(301), Kind: sim.StepEnd, Step: 1}, sim.Event{T: ms(350), Kind: sim.ClientClosed, Client: "c-2"}, sim.Event{T: ms(400), Kind: sim.RunEnd})
	if f := Herd(cut, 100*time.Millisecond); f.Stranded != 1 || f.AllBack != ms(4) {
		t.Errorf("stranded: %+v", f)
	}
}
