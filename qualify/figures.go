package qualify

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/internal/compare"
	"github.com/natschaos/natschaos/sim"
)

// Kind is a family of figures: its unit, which way is worse, and its
// default tolerance. A figure's name is its kind's, or the kind's and a
// server's (herd.peak.A).
type Kind struct {
	Name  string
	Unit  string // "ms", "count", "ratio", "rate"
	Worse compare.Worse
	Tol   compare.Tolerance
	What  string
}

// Kinds are every figure family qualify compares, in report order.
var Kinds = []Kind{
	{"verdict", "rate", compare.LowerIsWorse, compare.Tolerance{}, "pass rate of a property (verdict.<property>)"},
	{"reconnect.p50", "ms", compare.HigherIsWorse, compare.Tolerance{Rel: 0.2, Abs: 5}, "median outage, disconnect to reconnect"},
	{"reconnect.p99", "ms", compare.HigherIsWorse, compare.Tolerance{Rel: 0.2, Abs: 10}, "99th percentile outage"},
	{"reconnect.max", "ms", compare.HigherIsWorse, compare.Tolerance{Rel: 0.25, Abs: 20}, "slowest outage"},
	{"all_back", "ms", compare.HigherIsWorse, compare.Tolerance{Rel: 0.2, Abs: 20}, "first disconnect until every client is back"},
	{"stranded", "count", compare.HigherIsWorse, compare.Tolerance{}, "clients that never came back"},
	{"herd.peak", "count", compare.HigherIsWorse, compare.Tolerance{Rel: 0.2, Abs: 2}, "most reconnections one server accepted in a herd window (herd.peak.<server> per server)"},
	{"mesh.slowest", "ms", compare.HigherIsWorse, compare.Tolerance{Rel: 0.25, Abs: 20}, "slowest mesh convergence after a change"},
	{"discovery.slowest", "ms", compare.HigherIsWorse, compare.Tolerance{Rel: 0.25, Abs: 20}, "slowest discovery convergence after a change"},
	{"skew.final", "ratio", compare.HigherIsWorse, compare.Tolerance{Abs: 0.1}, "max |count − mean| / mean at the end"},
	{"loss.explained", "count", compare.HigherIsWorse, compare.Tolerance{Rel: 0.25, Abs: 5}, "messages lost, explained by a fault"},
	{"loss.slow_consumer", "count", compare.HigherIsWorse, compare.Tolerance{Rel: 0.25, Abs: 5}, "messages a server dropped for a slow consumer"},
	{"loss.silent", "count", compare.HigherIsWorse, compare.Tolerance{}, "messages lost with nothing to explain it"},
	{"duplicates.silent", "count", compare.HigherIsWorse, compare.Tolerance{}, "duplicates outside any failover"},
	{"duplicates.failover", "count", compare.HigherIsWorse, compare.Tolerance{Rel: 0.25, Abs: 5}, "duplicates across a subscriber's own failover"},
	{"js.acked_lost", "count", compare.HigherIsWorse, compare.Tolerance{}, "acknowledged JetStream writes missing from a stream or a durable"},
	{"js.unacked", "count", compare.HigherIsWorse, compare.Tolerance{Rel: 0.25, Abs: 5}, "JetStream publishes never acknowledged"},
}

// KindOf is the kind a figure belongs to: verdict.no_loss is a verdict,
// herd.peak.A a herd.peak.
func KindOf(figure string) (Kind, bool) {
	for _, k := range Kinds {
		if figure == k.Name || strings.HasPrefix(figure, k.Name+".") {
			return k, true
		}
	}
	return Kind{}, false
}

// Figures are one run's numbers, by figure name, and its verdicts by
// property (true: it did not fail).
type Figures struct {
	Values   map[string]float64 `json:"values"`
	Verdicts map[string]bool    `json:"verdicts"`
}

// forever is the convergence bound the figures are read with: how long a
// change took to converge, not whether it met the scenario's bound.
const forever = 24 * time.Hour

// Extract reads a run's figures from its timeline with the checkers
// themselves, and its verdicts from the run's results. Figures the run
// has nothing to measure for (no reconnection, no publisher) are absent.
func Extract(events []sim.Event, results []assert.Result, window time.Duration) Figures {
	f := Figures{Values: map[string]float64{}, Verdicts: map[string]bool{}}
	for _, r := range results {
		if r.Verdict == assert.NotEvaluated || r.Name == "" {
			continue
		}
		ok := r.Verdict != assert.Fail
		if prev, seen := f.Verdicts[r.Name]; seen { // several checks of one property: all must hold
			ok = ok && prev
		}
		f.Verdicts[r.Name] = ok
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	put := func(name string, v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			f.Values[name] = v
		}
	}
	data := func(name string, params any) any {
		return assert.Evaluate([]assert.Expectation{{Name: name, Params: params}}, events)[0].Data
	}
	if d, ok := data("reconnect", assert.ReconnectParams{}).(assert.ReconnectData); ok && d.Reconnects > 0 {
		put("reconnect.p50", ms(d.P50))
		put("reconnect.p99", ms(d.P99))
		put("reconnect.max", ms(d.Max))
	}
	for _, c := range []struct {
		name   string
		params any
	}{{"mesh", assert.MeshParams{Within: forever}}, {"discovery", assert.DiscoveryParams{Within: forever}}} {
		if d, ok := data(c.name, c.params).(assert.ConvergeData); ok && d.Held > 0 {
			put(c.name+".slowest", ms(d.Slowest))
		}
	}
	h := assert.Herd(events, window)
	if h.Reconnects > 0 {
		put("herd.peak", float64(h.Peak))
		for s, p := range h.PeakPerServer {
			put("herd.peak."+s, float64(p))
		}
	}
	if h.FirstDisconnect > 0 || h.AllBack > 0 {
		put("all_back", ms(h.AllBack))
		put("stranded", float64(h.Stranded))
	}
	put("skew.final", h.FinalSkew)
	if l := h.Loss; l != nil {
		put("loss.explained", float64(l.Explained))
		put("loss.slow_consumer", float64(l.SlowConsumer))
		put("loss.silent", float64(l.Silent))
	}
	if d, ok := data("no_duplicates", assert.NoDuplicatesParams{AllowFailover: true}).(assert.DuplicatesData); ok {
		put("duplicates.silent", float64(d.Silent))
		put("duplicates.failover", float64(d.Explained))
	}
	if d, ok := data("js_no_loss", assert.JSNoLossParams{}).(assert.JSLossData); ok {
		put("js.acked_lost", float64(d.LostStored+d.Undelivered))
		put("js.unacked", float64(d.Errors+d.Timeouts))
	}
	return f
}

// names lists the figure names of some runs, sorted by kind then name.
func names(runs []Figures) []string {
	out := unionKeys(runs, func(f Figures) map[string]float64 { return f.Values })
	order := map[string]int{}
	for i, k := range Kinds {
		order[k.Name] = i
	}
	sort.Slice(out, func(i, j int) bool {
		ki, _ := KindOf(out[i])
		kj, _ := KindOf(out[j])
		if order[ki.Name] != order[kj.Name] {
			return order[ki.Name] < order[kj.Name]
		}
		return out[i] < out[j]
	})
	return out
}

// unionKeys is every key of one map of each run, sorted.
func unionKeys[V any](runs []Figures, of func(Figures) map[string]V) []string {
	seen := map[string]bool{}
	for _, r := range runs {
		for k := range of(r) {
			seen[k] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
