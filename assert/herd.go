package assert

import (
	"errors"
	"fmt"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// HerdParams are the parameters of `herd: {window: 100ms, max_per_server: 50}`.
type HerdParams struct {
	// Window is the width of the sliding window reconnections are counted in.
	Window time.Duration `yaml:"window" json:"window"`
	// MaxPerServer bounds the reconnections one server accepts in any
	// window; 0 only reports the curve.
	MaxPerServer int `yaml:"max_per_server" json:"max_per_server" jsonschema:"required,minimum=0"`
}

// Doc says what the property judges, for the scenario schema.
func (HerdParams) Doc() string {
	return "Peak reconnections one server accepts in any window (first connections not counted)."
}

// DefaultHerdWindow is herd's window when a file gives none.
const DefaultHerdWindow = 100 * time.Millisecond

// SetDefaults counts in windows of DefaultHerdWindow.
func (p *HerdParams) SetDefaults() { p.Window = DefaultHerdWindow }

// Validate requires a window.
func (p HerdParams) Validate() error {
	var errs []error
	if p.Window <= 0 {
		errs = append(errs, paramErrorf("window", "must be > 0, got %v", p.Window))
	}
	if p.MaxPerServer < 0 {
		errs = append(errs, paramErrorf("max_per_server", "must be ≥ 0, got %d", p.MaxPerServer))
	}
	return errors.Join(errs...)
}

// HerdData is the reconnection curve, for reports: Series[server][i] is
// how many reconnections the server accepted in [i·Window, (i+1)·Window).
type HerdData struct {
	Window     time.Duration    `json:"window"`
	Series     map[string][]int `json:"series"`
	Peak       int              `json:"peak"` // over any sliding window, not only the buckets
	PeakServer string           `json:"peak_server,omitempty"`
	PeakAt     time.Duration    `json:"peak_at,omitempty"` // the start of the peak window
}

// maxHerdBuckets bounds the curve: a 1ns window over a long run would
// otherwise allocate one int per nanosecond. The peak is computed anyway.
const maxHerdBuckets = 1 << 20

func init() { Register("herd", checkHerd) }

// checkHerd counts ClientReconnect events by the server reached, before
// teardown. A client's first ClientConnect is not a reconnection. A run in
// which no client reconnected has no herd to measure: it fails as vacuous.
func checkHerd(p HerdParams, events []sim.Event) Result {
	end := TeardownStart(events)
	byServer := map[string][]time.Duration{}
	clients := map[string]bool{}
	for _, ev := range events[:end] {
		if ev.Kind == sim.ClientReconnect {
			byServer[ev.Server] = append(byServer[ev.Server], ev.T)
			clients[ev.Client] = true
		}
	}
	var last time.Duration
	if end > 0 {
		last = events[end-1].T
	}
	d, total := herdCurve(byServer, p.Window, last)
	if total == 0 {
		r := vacuousf("no client reconnected before the teardown: no herd to measure")
		r.Data = d
		return r
	}
	judged := fmt.Sprintf("%d reconnections of %d clients onto %d servers", total, len(clients), len(byServer))
	r := herdResult(d, p.MaxPerServer, "reconnections", judged)
	r.Details = []string{fmt.Sprintf("%d reconnections in all", total)}
	for _, s := range sortedKeys(byServer) {
		r.Details = append(r.Details, fmt.Sprintf("%s: %d reconnections, per %s: %s", s, len(byServer[s]), dur(p.Window), curve(d.Series[s], p.Window)))
	}
	return r
}

// herdResult judges a curve's peak against maxPerServer (0: unbounded);
// noun names what was counted, judged says over what.
func herdResult(d HerdData, maxPerServer int, noun, judged string) Result {
	peak := fmt.Sprintf("%s accepted %d %s in %s from %s", d.PeakServer, d.Peak, noun, dur(d.Window), dur(d.PeakAt))
	var r Result
	switch {
	case maxPerServer > 0 && d.Peak > maxPerServer:
		r = failf(d.PeakAt, "%s (max %d)", peak, maxPerServer)
	case maxPerServer > 0:
		r = passf("peak: %s (max %d); %s", peak, maxPerServer, judged)
	default:
		r = passf("peak: %s (unbounded); %s", peak, judged)
	}
	r.Data = d
	return r
}

// herdCurve draws each server's arrivals (times in order) per window up
// to last, and finds the busiest sliding window of any server.
func herdCurve(byServer map[string][]time.Duration, window, last time.Duration) (HerdData, int) {
	d := HerdData{Window: window, Series: map[string][]int{}}
	total := 0
	for _, s := range sortedKeys(byServer) {
		ts := byServer[s]
		total += len(ts)
		if buckets := int64(last/window) + 1; buckets <= maxHerdBuckets {
			series := make([]int, buckets)
			for _, t := range ts {
				series[int(t/window)]++
			}
			d.Series[s] = series
		}
		// Sliding window [ts[i], ts[i]+window): two pointers.
		j := 0
		for i := range ts {
			for j < len(ts) && ts[j] < ts[i]+window {
				j++
			}
			if n := j - i; n > d.Peak {
				d.Peak, d.PeakServer, d.PeakAt = n, s, ts[i]
			}
		}
	}
	return d, total
}

// curve prints the non-empty stretch of a series: "from 3.2s: 4 51 12 0 1".
func curve(series []int, window time.Duration) string {
	if series == nil {
		return "not drawn (more than maxHerdBuckets windows)"
	}
	first, last := -1, -1
	for i, n := range series {
		if n > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return "none"
	}
	out := fmt.Sprintf("from %s:", dur(time.Duration(first)*window))
	shown := 0
	for _, n := range series[first : last+1] {
		if shown == 40 {
			return out + " …"
		}
		out += fmt.Sprintf(" %d", n)
		shown++
	}
	return out
}
