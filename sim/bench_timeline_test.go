package sim_test

import (
	"path/filepath"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// BenchmarkTimelineAdd: one client event recorded, in memory only and
// streamed to a file as a run does; -benchtime 5000x is a record of the
// size a 1,000-client run holds by its first kill.
func BenchmarkTimelineAdd(b *testing.B) {
	for _, stream := range []bool{false, true} {
		name := "memory"
		if stream {
			name = "streamed"
		}
		b.Run(name, func(b *testing.B) {
			tl := sim.NewTimeline()
			if stream {
				if err := tl.StreamTo(filepath.Join(b.TempDir(), "e.jsonl")); err != nil {
					b.Fatal(err)
				}
				defer tl.Close()
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				tl.Add(sim.Event{Kind: sim.ClientReconnect, Client: "c-0123", Group: "c", Server: "B", Known: []string{"A", "B", "C"}})
			}
		})
	}
}
