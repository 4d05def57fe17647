package assert

import (
	"fmt"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// BenchmarkHerdFigures: the lab's figures over the timeline of 9,000
// clients killed off one server and spread over two others in 3 s.
func BenchmarkHerdFigures(b *testing.B) {
	const n = 9000
	ev := []sim.Event{{Kind: sim.RunStart}}
	for i := range n {
		ev = append(ev, sim.Event{T: time.Millisecond, Kind: sim.ClientConnect, Client: fmt.Sprint("c-", i), Server: "A", Known: []string{"A", "B", "C"}})
	}
	ev = append(ev, sim.Event{T: 2 * time.Millisecond, Kind: sim.StepStart, Step: 1}, sim.Event{T: 10 * time.Millisecond, Kind: sim.ServerKill, Server: "A"})
	for i := range n {
		ev = append(ev, sim.Event{T: 11 * time.Millisecond, Kind: sim.ClientDisconnect, Client: fmt.Sprint("c-", i), Server: "A", Err: "EOF"})
	}
	for i := range n {
		t := 12*time.Millisecond + time.Duration(i)*3*time.Second/n
		ev = append(ev, sim.Event{T: t, Kind: sim.ClientReconnect, Client: fmt.Sprint("c-", i), Server: []string{"B", "C"}[i%2], Known: []string{"A", "B", "C"}})
	}
	end := ev[len(ev)-1].T
	ev = append(ev, sim.Event{T: end, Kind: sim.StepEnd, Step: 1}, sim.Event{T: end, Kind: sim.RunEnd})
	b.ReportAllocs()
	for b.Loop() {
		if f := Herd(ev, 100*time.Millisecond); f.Reconnects != n {
			b.Fatalf("reconnects %d", f.Reconnects)
		}
	}
}
