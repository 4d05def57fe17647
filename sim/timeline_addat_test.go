package sim

import (
	"testing"
	"time"
)

// AddAt keeps a time measured elsewhere, but never lets the timeline go
// back nor date an event after now.
func TestAddAtKeepsMonotonicAndPresent(t *testing.T) {
	tl := NewTimeline()
	first := tl.Add(Event{Kind: RunStart})
	if got := tl.AddAt(Event{Kind: ClientConnect}, first-time.Second); got != first {
		t.Fatalf("an event dated before the last one got %v, want %v", got, first)
	}
	eventually(t, time.Second, "the clock moves", func() bool { return tl.Since() > first+2*time.Millisecond })
	mid := first + time.Millisecond
	if got := tl.AddAt(Event{Kind: ClientConnect}, mid); got != mid {
		t.Fatalf("an event dated between the last one and now got %v, want %v", got, mid)
	}
	before := tl.Since()
	got := tl.AddAt(Event{Kind: ClientConnect}, time.Hour)
	if got < before || got > tl.Since() {
		t.Fatalf("an event dated in the future got %v, want between %v and now", got, before)
	}
	// Only the first was dated later than measured, by a second.
	if n, most := tl.Late(); n != 1 || most != time.Second {
		t.Fatalf("Late() = %d, %v; want 1, 1s", n, most)
	}
	evs := tl.Events()
	for i := 1; i < len(evs); i++ {
		if evs[i].T < evs[i-1].T {
			t.Fatalf("times decrease at %d: %v after %v", i, evs[i].T, evs[i-1].T)
		}
	}
}
