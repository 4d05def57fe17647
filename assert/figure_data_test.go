package assert

import (
	"testing"
	"time"
)

// The figures natschaos qualify compares come with the verdicts, pass or
// fail.
func TestReconnectData(t *testing.T) {
	for _, p := range []ReconnectParams{{}, {Max: 250 * time.Millisecond}} {
		r := check(t, "reconnect", p, outages(t).events())
		d, ok := r.Data.(ReconnectData)
		if !ok {
			t.Fatalf("%s: data %T, want ReconnectData", r.Verdict, r.Data)
		}
		want := ReconnectData{Reconnects: 3, P50: 200 * time.Millisecond, P99: 300 * time.Millisecond, Max: 300 * time.Millisecond}
		if d != want {
			t.Errorf("%s: %+v, want %+v", r.Verdict, d, want)
		}
	}
}

func TestConvergeData(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(3).kill("C")
	b.at(3.3).meshed("A", "B")
	b.at(5).start("C")
	for s := 5.1; s < 8; s += 0.5 {
		b.at(s).observe("A", 0, "B", "C").observe("B", 0, "A").observe("C", 0, "A")
	}
	r := check(t, "mesh", within2s, b.events())
	wantVerdict(t, r, Fail)
	d, ok := r.Data.(ConvergeData)
	if !ok {
		t.Fatalf("data %T, want ConvergeData", r.Data)
	}
	if d.Failed != 1 || d.Held != d.Changes-1 || d.Slowest != 300*time.Millisecond {
		t.Errorf("%+v: want one failed change and the kill's 300ms the slowest", d)
	}
}

func TestDuplicatesData(t *testing.T) {
	evs := dupTimeline(102*time.Millisecond, 140*time.Millisecond, true)
	for _, p := range []NoDuplicatesParams{{AllowFailover: true}, {}} {
		r := check(t, "no_duplicates", p, evs)
		d, ok := r.Data.(DuplicatesData)
		if !ok || d.Explained != 3 || d.Silent != 0 || d.Receipts == 0 {
			t.Errorf("%s: data %+v, want 3 explained duplicates", r.Verdict, r.Data)
		}
	}
}
