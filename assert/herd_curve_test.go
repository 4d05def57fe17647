package assert

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func TestHerdParamsValidate(t *testing.T) {
	if err := (HerdParams{Window: 1, MaxPerServer: 0}).Validate(); err != nil {
		t.Errorf("max_per_server 0 (report only) refused: %v", err)
	}
	for _, p := range []HerdParams{{Window: 0}, {Window: 1, MaxPerServer: -1}} {
		if p.Validate() == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

// curve prints the stretch from the first to the last non-empty window,
// dated by its first window, and at most 40 windows of it.
func TestHerdCurve(t *testing.T) {
	w := 100 * time.Millisecond
	long := make([]int, 45)
	for i := range long {
		long[i] = 1
	}
	for _, c := range []struct {
		series []int
		want   string
	}{
		{nil, "not drawn (more than maxHerdBuckets windows)"},
		{[]int{0, 0}, "none"},
		{[]int{3}, "from 0s: 3"},
		{[]int{1, 0, 2}, "from 0s: 1 0 2"},
		{[]int{0, 0, 2, 0, 1, 0}, "from 200ms: 2 0 1"},
		{long, "from 0s:" + strings.Repeat(" 1", 40) + " …"},
	} {
		if got := curve(c.series, w); got != c.want {
			t.Errorf("curve(%v) = %q, want %q", c.series, got, c.want)
		}
	}
}

func TestHerdOnAnEmptyTimeline(t *testing.T) {
	r := checkHerd(HerdParams{Window: time.Second}, nil)
	if d := r.Data.(HerdData); d.Peak != 0 || len(d.Series) != 0 {
		t.Errorf("herd of nothing: %+v", d)
	}
}

// The curve is drawn up to maxHerdBuckets windows, the limit included.
func TestHerdCurveDrawnUpToTheBucketLimit(t *testing.T) {
	at := func(ns int64) []sim.Event {
		return []sim.Event{{T: time.Duration(ns), Kind: sim.ClientReconnect, Client: "c-1", Server: "A"}}
	}
	d := checkHerd(HerdParams{Window: 1}, at(maxHerdBuckets-1)).Data.(HerdData)
	if len(d.Series["A"]) != maxHerdBuckets {
		t.Errorf("%d buckets drawn, want %d", len(d.Series["A"]), maxHerdBuckets)
	}
	d = checkHerd(HerdParams{Window: 1}, at(maxHerdBuckets)).Data.(HerdData)
	if d.Series["A"] != nil || d.Peak != 1 {
		t.Errorf("past the limit: %d buckets, peak %d; want none drawn, peak 1", len(d.Series["A"]), d.Peak)
	}
}
