package sim

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// The harness watches itself at these rates: a timer asks to wake every
// HarnessTick, and every HarnessEvery one HarnessLag event sums up the
// wake-ups, the goroutines' scheduling waits and the CPU used. One wake-up
// every 10 ms and one event every 100 ms cost microseconds a second.
const (
	HarnessTick  = 10 * time.Millisecond
	HarnessEvery = 100 * time.Millisecond
)

const schedLatencies = "/sched/latencies:seconds"

// WatchHarness records, until stop is called, how late this process runs
// what it asks to run: a HarnessLag event per interval on tl, naming the
// process. Under load the harness itself can hold back the clients whose
// timings the checkers judge; these events let them say so. stop records
// the last, partial interval and returns once the sampler has ended.
func WatchHarness(tl *Timeline, process string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w := newHarnessWatch(tl, process)
		w.loop(done)
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		wg.Wait()
	}
}

type harnessWatch struct {
	tl      *Timeline
	process string
	cores   int

	metric []metrics.Sample
	sched  []uint64 // the latency histogram's counts at the interval's start

	// The interval being measured.
	from          time.Duration
	wall          time.Time
	cpu, machine  time.Duration
	cpuOK, machOK bool
	ticks         int
	late          time.Duration
}

func newHarnessWatch(tl *Timeline, process string) *harnessWatch {
	w := &harnessWatch{tl: tl, process: process, cores: runtime.NumCPU(), metric: []metrics.Sample{{Name: schedLatencies}}}
	w.begin()
	return w
}

// begin starts an interval: the counters as they are now.
func (w *harnessWatch) begin() {
	w.from, w.wall = w.tl.Since(), time.Now()
	w.cpu, w.cpuOK = processCPU()
	w.machine, w.machOK = machineCPU()
	w.ticks, w.late = 0, 0
	if h := w.readSched(); h != nil {
		w.sched = append(w.sched[:0], h.Counts...)
	}
}

func (w *harnessWatch) readSched() *metrics.Float64Histogram {
	metrics.Read(w.metric)
	if w.metric[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	return w.metric[0].Value.Float64Histogram()
}

// loop wakes every HarnessTick, measuring how late, and ends an interval
// every HarnessEvery. A deadline missed entirely counts once, with its
// lateness; the next deadline is the first still ahead.
func (w *harnessWatch) loop(done <-chan struct{}) {
	next := time.Now().Add(HarnessTick)
	timer := time.NewTimer(HarnessTick)
	defer timer.Stop()
	for {
		select {
		case <-done:
			if w.ticks > 0 {
				w.end()
			}
			return
		case <-timer.C:
		}
		now := time.Now()
		w.ticks++
		w.late = max(w.late, now.Sub(next))
		for !next.After(now) {
			next = next.Add(HarnessTick)
		}
		timer.Reset(next.Sub(now))
		if now.Sub(w.wall) >= HarnessEvery {
			w.end()
			w.begin()
		}
	}
}

// end records the interval.
func (w *harnessWatch) end() {
	wall := time.Since(w.wall)
	s := &HarnessSample{From: w.from, Ticks: w.ticks, TimerLate: w.late, Cores: w.cores}
	if h := w.readSched(); h != nil && len(h.Counts) == len(w.sched) {
		s.SchedP99 = histogramQuantile(h, w.sched, 0.99)
	}
	if cpu, ok := processCPU(); ok && w.cpuOK && wall > 0 {
		s.CPU = roundCores(float64(cpu-w.cpu) / float64(wall))
	}
	if m, ok := machineCPU(); ok && w.machOK && wall > 0 {
		// /proc/stat counts in ticks: over a short interval the
		// rounding can exceed the cores there are.
		s.MachineCPU = min(roundCores(float64(m-w.machine)/float64(wall)), float64(w.cores))
	}
	w.tl.Add(Event{Kind: HarnessLag, Detail: w.process, Harness: s})
}

// histogramQuantile is the quantile q of what h counted since the counts
// were before, at the lower bound of its bucket (so never more than was
// measured); 0 when nothing was counted.
func histogramQuantile(h *metrics.Float64Histogram, before []uint64, q float64) time.Duration {
	var total uint64
	for i, c := range h.Counts {
		total += c - before[i]
	}
	if total == 0 {
		return 0
	}
	want := uint64(float64(total)*q + 0.999999999)
	var seen uint64
	for i, c := range h.Counts {
		seen += c - before[i]
		if seen >= want {
			lower := h.Buckets[i]
			if lower <= 0 { // the first bucket's bound may be -Inf
				return 0
			}
			return time.Duration(lower * float64(time.Second))
		}
	}
	return 0
}

// roundCores keeps two decimals: the figures are read by people, and
// /proc/stat counts in hundredths of a second anyway.
func roundCores(c float64) float64 {
	return float64(int64(c*100+0.5)) / 100
}
