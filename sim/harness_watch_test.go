package sim

import (
	"math"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

func harnessEvents(tl *Timeline) []Event {
	var out []Event
	for _, ev := range tl.Events() {
		if ev.Kind == HarnessLag {
			out = append(out, ev)
		}
	}
	return out
}

// The sampler records one event per interval, back to back, naming the
// process, and stops with stop (goleak in TestMain checks its goroutine).
func TestWatchHarnessRecordsIntervals(t *testing.T) {
	tl := NewTimeline()
	stop := WatchHarness(tl, "w1")
	testwait.Until(t, 10*time.Second, "three harness samples", func() bool { return len(harnessEvents(tl)) >= 3 })
	stop()
	stop() // twice is harmless
	evs := harnessEvents(tl)
	var prev time.Duration
	for i, ev := range evs {
		s := ev.Harness
		if ev.Detail != "w1" || s == nil {
			t.Fatalf("sample %d: %+v", i, ev)
		}
		if s.From < prev || s.From >= ev.T || s.Ticks < 1 || s.Cores != runtime.NumCPU() {
			t.Errorf("sample %d: from %v to %v after %v, %d ticks, %d cores", i, s.From, ev.T, prev, s.Ticks, s.Cores)
		}
		if s.TimerLate < 0 || s.SchedP99 < 0 || s.CPU < 0 || s.MachineCPU < 0 || s.MachineCPU > float64(s.Cores) {
			t.Errorf("sample %d: %+v", i, *s)
		}
		if i < len(evs)-1 && ev.T-s.From < HarnessEvery {
			t.Errorf("sample %d is a short interval (%v) but not the last", i, ev.T-s.From)
		}
		prev = ev.T
	}
	if n := len(harnessEvents(tl)); n != len(evs) {
		t.Errorf("%d samples after stop, %d before", n, len(evs))
	}
}

// The quantile of what a histogram counted since a reading, at its
// bucket's lower bound.
func TestHistogramQuantile(t *testing.T) {
	h := &metrics.Float64Histogram{
		Buckets: []float64{0, 0.001, 0.01, 0.1, 1},
		Counts:  []uint64{100, 10, 5, 2},
	}
	cases := []struct {
		before []uint64
		q      float64
		want   time.Duration
	}{
		{[]uint64{0, 0, 0, 0}, 0.5, 0},                          // the 59th of 117 is in [0, 1ms)
		{[]uint64{0, 0, 0, 0}, 0.99, 100 * time.Millisecond},    // the 116th is in [100ms, 1s)
		{[]uint64{100, 10, 5, 0}, 0.99, 100 * time.Millisecond}, // only the two slowest are new
		{[]uint64{100, 0, 5, 2}, 0.99, time.Millisecond},        // only [1ms, 10ms) is new
		{[]uint64{100, 10, 5, 2}, 0.99, 0},                      // nothing new
		{[]uint64{100, 9, 5, 1}, 0.99, 100 * time.Millisecond},  // two new: the slower
		{[]uint64{100, 9, 5, 1}, 0.5, time.Millisecond},         // and the faster
	}
	for i, c := range cases {
		if got := histogramQuantile(h, c.before, c.q); got != c.want {
			t.Errorf("case %d: q %v since %v: %v, want %v", i, c.q, c.before, got, c.want)
		}
	}
	// A first bucket bounded by -Inf reads as 0.
	inf := &metrics.Float64Histogram{Buckets: []float64{math.Inf(-1), 0.5, 1}, Counts: []uint64{3, 0}}
	if got := histogramQuantile(inf, []uint64{0, 0}, 0.99); got != 0 {
		t.Errorf("-Inf bucket: %v", got)
	}
}
