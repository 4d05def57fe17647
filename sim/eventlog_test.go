package sim

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// A record of several chunks, measured out of order (as worker batches
// arrive), reads back in time order, appending order among equal times,
// from Events and from the file rewritten at Close.
func TestRecordOfManyChunksReadsInTimeOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	tl := NewTimeline()
	if err := tl.StreamTo(path); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, time.Second, "the clock past 10µs", func() bool { return tl.Since() > 10*time.Microsecond })
	const n = 3*eventChunkMax + 17
	var want []Event
	for i := range n {
		// Times cycle backwards through ten values: many ties, many
		// events dated before the last one.
		ev := Event{Kind: ClientConnect, Client: fmt.Sprintf("c%d", i)}
		at := time.Duration(10-i%10) * time.Microsecond
		tl.AddAt(ev, at)
		ev.T = at
		want = append(want, ev)
	}
	slices.SortStableFunc(want, func(a, b Event) int { return cmp.Compare(a.T, b.T) })
	if len(tl.events.chunks) < 4 {
		t.Fatalf("%d events in %d chunks: the test does not cross chunks", n, len(tl.events.chunks))
	}
	same := func(from string, got []Event) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d events, want %d", from, len(got), len(want))
		}
		for i := range want {
			if got[i].T != want[i].T || got[i].Client != want[i].Client {
				t.Fatalf("%s: event %d is %s at %v, want %s at %v", from, i, got[i].Client, got[i].T, want[i].Client, want[i].T)
			}
		}
	}
	same("Events", tl.Events())
	if err := tl.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := ReadEventsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	same("the rewritten file", file)
}

func TestEmptyRecordReadsAsNil(t *testing.T) {
	if evs := NewTimeline().Events(); evs != nil {
		t.Fatalf("Events of an empty timeline = %#v, want nil", evs)
	}
}
