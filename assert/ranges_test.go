package assert

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

func TestForEachGap(t *testing.T) {
	r := func(rs ...uint64) (out []sim.Range) {
		for i := 0; i < len(rs); i += 2 {
			out = append(out, rg(rs[i], rs[i+1]))
		}
		return out
	}
	for _, c := range []struct {
		lo, hi uint64
		a, b   []sim.Range
		want   string
	}{
		{1, 10, nil, r(1, 10), "[]"},
		{1, 10, nil, nil, "[1–10]"},
		{1, 10, nil, r(3, 4, 7, 8), "[1–2 5–6 9–10]"},
		{1, 10, r(5, 6), r(3, 4, 7, 8), "[1–2 9–10]"}, // refused fills a hole
		{1, 10, r(2, 9), r(1, 3, 8, 10), "[]"},        // overlapping covers
		{5, 10, nil, r(1, 6), "[7–10]"},               // received before the start
		{1, 5, nil, r(3, 100), "[1–2]"},               // received past the end
		{1, 10, r(1, 1), r(10, 10), "[2–9]"},          // edges
		{1, math.MaxUint64, nil, r(1, 9), "[10–18446744073709551615]"},
		{1, math.MaxUint64, nil, r(1, math.MaxUint64), "[]"},
	} {
		var got []string
		forEachGap(c.lo, c.hi, c.a, c.b, func(f, l uint64) { got = append(got, seqs(f, l)) })
		if s := fmt.Sprint(got); s != c.want {
			t.Errorf("forEachGap(%d, %d, %v, %v) = %s, want %s", c.lo, c.hi, c.a, c.b, s, c.want)
		}
	}
}

func TestSplit(t *testing.T) {
	rs := mergeReasons([]reasonRange{{20, 30, "b"}, {5, 10, "a"}, {8, 12, "c"}, {31, 35, "d"}})
	if want := []reasonRange{{5, 12, "a"}, {20, 35, "b"}}; !slices.Equal(rs, want) {
		t.Fatalf("merged %v, want %v", rs, want)
	}
	var got []string
	split(1, 40, rs,
		func(f, l uint64, why string) { got = append(got, seqs(f, l)+" "+why) },
		func(f, l uint64) { got = append(got, seqs(f, l)+" -") })
	if want := []string{"1–4 -", "5–12 a", "13–19 -", "20–35 b", "36–40 -"}; !slices.Equal(got, want) {
		t.Errorf("split %v, want %v", got, want)
	}
}

// A gap inside merged windows is named by the windows it lies in, not by
// the merged range's first one.
func TestWhyOfOverlappingWindows(t *testing.T) {
	parts := []reasonRange{{40, 200, "stop C"}, {1, 50, "subscription propagating"}, {150, 300, "C left"}}
	sortReasons(parts)
	for _, c := range []struct {
		a, b uint64
		want string
	}{
		{100, 120, "stop C"},
		{10, 20, "subscription propagating"},
		{45, 60, "subscription propagating; stop C"},
		{190, 210, "stop C; C left"},
		{250, 250, "C left"},
		{301, 400, ""},
	} {
		if got := whyOf(parts, c.a, c.b); got != c.want {
			t.Errorf("whyOf(%d–%d) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

func TestSeqWindow(t *testing.T) {
	s := []sample{{0, sec(1)}, {100, sec(1.1)}, {200, sec(1.2)}, {300, sec(1.3)}}
	for _, c := range []struct {
		from, to float64
		lo, hi   uint64
	}{
		{1.1, 1.2, 1, 200}, // sample at 1.1 could be the moment 100 was sent
		{1.15, 1.25, 101, 300},
		{0, 0.5, 1, 0}, // before the first sample: nothing possible
		{1.25, 9, 201, math.MaxUint64},
	} {
		lo, hi := seqWindow(s, sec(c.from), sec(c.to))
		if lo != c.lo || hi != c.hi {
			t.Errorf("seqWindow(%v, %v) = %d, %d; want %d, %d", c.from, c.to, lo, hi, c.lo, c.hi)
		}
	}
	if got := firstAfter(s, sec(1.15)); got != 201 {
		t.Errorf("firstAfter(1.15s) = %d, want 201", got)
	}
	if got := publishedBy(s, 150); got != sec(1.2) {
		t.Errorf("publishedBy(150) = %v, want 1.2s", got)
	}
}
