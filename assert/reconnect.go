package assert

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// ReconnectParams are the parameters of
// `reconnect: {max: 5s, p99: 3s, max_per_client: 1}`. Zero leaves a bound
// unchecked; a client that never reconnects fails whatever the bounds.
type ReconnectParams struct {
	Max time.Duration `yaml:"max" json:"max"`
	P99 time.Duration `yaml:"p99" json:"p99"`
	// MaxPerClient bounds successful reconnects per client over the run;
	// nil leaves it unchecked, 0 allows none.
	MaxPerClient *int `yaml:"max_per_client" json:"max_per_client,omitempty" jsonschema:"minimum=0"`
}

// Doc says what the property judges, for the scenario schema.
func (ReconnectParams) Doc() string {
	return "Disconnect-to-reconnect time; reconnects per client over the run."
}

// Validate rejects negative bounds and a p99 above the max.
func (p ReconnectParams) Validate() error {
	errs := timeBoundErrors(p.Max, p.P99)
	if p.MaxPerClient != nil && *p.MaxPerClient < 0 {
		errs = append(errs, paramErrorf("max_per_client", "must be ≥ 0, got %d", *p.MaxPerClient))
	}
	return errors.Join(errs...)
}

// timeBoundErrors checks a max and a p99 bound on outage times, as
// reconnect and leaf_reconnect take them: neither negative, and the p99
// not above a max that is set.
func timeBoundErrors(max, p99 time.Duration) []error {
	var errs []error
	if max < 0 {
		errs = append(errs, paramErrorf("max", "must be ≥ 0, got %v", max))
	}
	if p99 < 0 {
		errs = append(errs, paramErrorf("p99", "must be ≥ 0, got %v", p99))
	}
	if max > 0 && p99 > max {
		errs = append(errs, paramErrorf("p99", "(%v) cannot exceed max (%v)", p99, max))
	}
	return errs
}

func init() { Register("reconnect", checkReconnect) }

type outage struct {
	client, from, to, err string
	down, up              time.Duration
}

type problem struct {
	at   time.Duration
	line string
}

// checkReconnect measures every disconnection to the client's next
// connection. A disconnection counts if it happened before teardown (see
// steadyEnd); its reconnection may come later. A disconnection without an
// error followed by ClientClosed is the client closing itself, not an
// outage, nor is a client leaving (ClientLeave) while disconnected; any
// other disconnection without a reconnection fails.
//
// Its subjects are the disconnections, and with max_per_client every
// client connected before teardown (each must have reconnected at most so
// many times, none included). With nothing of either, it fails as vacuous.
func checkReconnect(p ReconnectParams, events []sim.Event) Result {
	end := TeardownStart(events)
	open := map[string]*outage{}
	connected := map[string]bool{} // clients connected before teardown
	perClient := map[string][]time.Duration{}
	var outages []outage
	var problems []problem
	for i, ev := range events {
		o := open[ev.Client]
		switch ev.Kind {
		case sim.ClientDisconnect:
			if i < end && o == nil {
				open[ev.Client] = &outage{client: ev.Client, from: ev.Server, err: ev.Err, down: ev.T}
			}
		case sim.ClientConnect, sim.ClientReconnect:
			if i < end {
				connected[ev.Client] = true
			}
			if o != nil {
				o.to, o.up = ev.Server, ev.T
				outages = append(outages, *o)
				delete(open, ev.Client)
			}
			if o != nil || (ev.Kind == sim.ClientReconnect && i < end) {
				perClient[ev.Client] = append(perClient[ev.Client], ev.T)
			}
		case sim.ClientLeave:
			delete(open, ev.Client) // closed on purpose: no outage to recover from
		case sim.ClientClosed:
			if o != nil {
				delete(open, ev.Client)
				if o.err != "" {
					problems = append(problems, problem{o.down, fmt.Sprintf("%s never reconnected after leaving %s at %s (%s), closed at %s", o.client, o.from, dur(o.down), o.err, dur(ev.T))})
				}
			}
		}
	}
	for _, c := range sortedKeys(open) {
		o := open[c]
		problems = append(problems, problem{o.down, fmt.Sprintf("%s never reconnected after leaving %s at %s (%s)", c, o.from, dur(o.down), orNone(o.err))})
	}
	// Most severe first: clients lost for good, earliest first; then bounds.
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].at < problems[j].at })

	durs := make([]time.Duration, len(outages))
	for i, o := range outages {
		durs[i] = o.up - o.down
	}
	slowest, worst, p99, p50 := spread(durs)
	if p.Max > 0 && worst > p.Max {
		o := outages[slowest]
		problems = append(problems, problem{o.down, fmt.Sprintf("slowest reconnect %s > %s: %s left %s at %s, back on %s at %s", dur(worst), dur(p.Max), o.client, o.from, dur(o.down), o.to, dur(o.up))})
	}
	if p.P99 > 0 && p99 > p.P99 {
		problems = append(problems, problem{0, fmt.Sprintf("p99 reconnect %s > %s over %d reconnects", dur(p99), dur(p.P99), len(durs))})
	}
	most, mostClient := 0, ""
	for _, c := range sortedKeys(perClient) {
		ts := perClient[c]
		if len(ts) > most {
			most, mostClient = len(ts), c
		}
		if p.MaxPerClient != nil && len(ts) > *p.MaxPerClient {
			problems = append(problems, problem{ts[*p.MaxPerClient], fmt.Sprintf("%s reconnected %d times > %d (%s)", c, len(ts), *p.MaxPerClient, times(ts))})
		}
	}

	stats := fmt.Sprintf("%d reconnects of %d clients: max %s, p99 %s, p50 %s; at most %d per client", len(durs), len(connected), dur(worst), dur(p99), dur(p50), most)
	if mostClient != "" {
		stats += " (" + mostClient + ")"
	}
	data := ReconnectData{Reconnects: len(durs), P50: p50, P99: p99, Max: worst}
	if len(problems) == 0 {
		switch {
		case len(connected) == 0:
			return vacuousf("no client connected before the teardown: no reconnection to judge")
		case len(durs) == 0 && len(perClient) == 0 && p.MaxPerClient != nil:
			return withData(passf("none of %d clients disconnected or reconnected (at most %d reconnects per client)", len(connected), *p.MaxPerClient), data)
		case len(durs) == 0 && len(perClient) == 0:
			return vacuousf("none of %d clients disconnected before the teardown: no reconnection to time", len(connected))
		}
		return withData(passf("%s", stats), data)
	}
	return withData(problemsResult(problems, stats), data)
}

// spread finds the slowest of durs (its index; -1 for none), then sorts
// durs and gives their max, p99 and p50.
func spread(durs []time.Duration) (slowest int, worst, p99, p50 time.Duration) {
	slowest = -1
	for i, d := range durs {
		if slowest < 0 || d > durs[slowest] {
			slowest = i
		}
	}
	slices.Sort(durs)
	if n := len(durs); n > 0 {
		worst, p99, p50 = durs[n-1], Quantile(durs, 0.99), Quantile(durs, 0.50)
	}
	return slowest, worst, p99, p50
}

// problemsResult fails with the first problem as evidence, and the
// summary then every problem as details.
func problemsResult(problems []problem, summary string) Result {
	r := failf(problems[0].at, "%s", problems[0].line)
	if len(problems) > 1 {
		r.Evidence += fmt.Sprintf(" (+%d more problems)", len(problems)-1)
	}
	lines := []string{summary}
	for _, pr := range problems {
		lines = append(lines, pr.line)
	}
	r.Details = capLines(lines, 50)
	return r
}

// Quantile is the nearest-rank quantile q (0..1) of sorted durations, 0
// for none: the p50 and p99 of the reconnect evidence, and of the
// reports' charts, which must show the same figures.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	i := int(float64(n)*q+0.999999999) - 1
	return sorted[min(max(i, 0), n-1)]
}

func times(ts []time.Duration) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = dur(t)
	}
	return "at " + joinCap(s, 5, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "no error"
	}
	return s
}
