package sim

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// AddAt keeps the time an event was measured at in the record, while what
// subscribers and the streaming file get never goes back nor lies in the
// future; the file is rewritten in the record's order when closed.
func TestAddAtKeepsMeasuredTimesInTheRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	tl := NewTimeline()
	if err := tl.StreamTo(path); err != nil {
		t.Fatal(err)
	}
	var live []Event
	tl.Subscribe(func(ev Event) { live = append(live, ev) })
	first := tl.Add(Event{Kind: RunStart})
	testwait.Until(t, time.Second, "the clock moves", func() bool { return tl.Since() > first+3*time.Millisecond })
	second := tl.Add(Event{Kind: StepStart})
	measured := first + time.Millisecond
	if got := tl.AddAt(Event{Kind: ClientConnect}, measured); got != second {
		t.Fatalf("an event measured before the last one was stamped %v for the live state, want %v", got, second)
	}
	before := tl.Since()
	if got := tl.AddAt(Event{Kind: ClientReconnect}, time.Hour); got < before || got > tl.Since() {
		t.Fatalf("an event dated in the future got %v, want between %v and now", got, before)
	}
	if n, most := tl.Late(); n != 1 || most != second-measured {
		t.Fatalf("Late() = %d, %v; want 1, %v", n, most, second-measured)
	}

	// Live, and the file as it streams (what a crash leaves): re-dated,
	// never going back.
	if err := tl.Flush(); err != nil {
		t.Fatal(err)
	}
	streamed, err := ReadEventsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for what, evs := range map[string][]Event{"live": live, "streamed": streamed} {
		if kinds(evs) != "run_start step_start client_connect client_reconnect" || evs[2].T != second || !monotonic(evs) {
			t.Errorf("%s: %s, connect at %v (want %v), monotonic %v", what, kinds(evs), evs[2].T, second, monotonic(evs))
		}
	}

	// The record: the connect where it was measured.
	rec := tl.Events()
	if kinds(rec) != "run_start client_connect step_start client_reconnect" || rec[1].T != measured || !monotonic(rec) {
		t.Fatalf("record: %s, connect at %v (want %v)", kinds(rec), rec[1].T, measured)
	}
	if err := tl.Close(); err != nil {
		t.Fatal(err)
	}
	closed, err := ReadEventsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(closed, rec, func(a, b Event) bool { return a.Kind == b.Kind && a.T == b.T }) {
		t.Fatalf("the closed file holds %s, want the record %s", kinds(closed), kinds(rec))
	}
	if m, _ := filepath.Glob(path + "*"); len(m) != 1 {
		t.Fatalf("files left: %v", m)
	}
}

// An event measured before the run's clock started is dated at its start.
func TestAddAtNeverBeforeTheStart(t *testing.T) {
	tl := NewTimeline()
	tl.AddAt(Event{Kind: ClientConnect}, -time.Second)
	if evs := tl.Events(); evs[0].T != 0 {
		t.Fatalf("dated %v, want 0", evs[0].T)
	}
}

func kinds(evs []Event) string {
	var s []string
	for _, ev := range evs {
		s = append(s, string(ev.Kind))
	}
	return strings.Join(s, " ")
}

func monotonic(evs []Event) bool {
	for i := 1; i < len(evs); i++ {
		if evs[i].T < evs[i-1].T {
			return false
		}
	}
	return true
}
