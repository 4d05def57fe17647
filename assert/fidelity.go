package assert

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// DefaultLagBound is the harness lag a fault window may show before the
// timings judged in it carry a fidelity warning. Half of the 100 ms herd
// window every built-in herd scenario counts in: a process that runs its
// clients' callbacks 50 ms late can move a window's worth of reconnections
// into the next one, and it is several times what NATS itself takes here
// (a mesh forms in ~7 ms, a client reconnects to a survivor in ~1 ms). A
// run judging a narrower herd window gets half of that window instead.
const DefaultLagBound = 50 * time.Millisecond

// FidelityPolicy is how a run judges its harness's own lag. The runner
// records it on the timeline (FidelityEvent); the zero value is the
// default: DefaultLagBound, and warnings only.
type FidelityPolicy struct {
	// LagBound overrides the bound; 0 is the default.
	LagBound time.Duration `json:"lag_bound,omitempty"`
	// Strict makes a run whose timings carry a warning an error (exit 3).
	Strict bool `json:"strict,omitempty"`
}

// FidelityEvent records the run's fidelity policy on the timeline.
func FidelityEvent(p FidelityPolicy) sim.Event {
	b, _ := json.Marshal(p) // plain data
	return sim.Event{Kind: sim.Fidelity, Detail: string(b)}
}

// timingProperties are the properties whose verdicts are timings, and
// whether a fault window matters to them only when clients moved in it
// (herd and reconnect time clients; mesh and discovery time every change).
var timingProperties = map[string]bool{"herd": true, "reconnect": true, "mesh": false, "discovery": false}

// FidelityError is the error a strict run ends with when a timing verdict
// carries a fidelity warning, nil otherwise.
func FidelityError(events []sim.Event, results []Result) error {
	if !fidelityPolicy(events).Strict {
		return nil
	}
	var names []string
	first := ""
	for _, r := range results {
		if len(r.Fidelity) > 0 {
			names = append(names, r.Name)
			if first == "" {
				first = r.Fidelity[0]
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("fidelity strict: the timings of %s may be the harness's: %s", strings.Join(names, ", "), first)
}

func fidelityPolicy(events []sim.Event) FidelityPolicy {
	var p FidelityPolicy
	for _, ev := range events {
		if ev.Kind == sim.Fidelity {
			_ = json.Unmarshal([]byte(ev.Detail), &p) // a bad record keeps the default
		}
	}
	return p
}

// faultWindow is a span in which the cluster recovers from a change: from
// a server's start, stop, kill, lame duck, exit, addition or removal, or a
// fault's start or end, after the steps began, until every client is
// connected and the mesh is whole again (read at the runner's harness
// samples), or the end of the steady run.
type faultWindow struct {
	from, to time.Duration
	clients  int // client disconnections and reconnections in it
}

// lagSpan is a run of one process's harness samples, back to back, over
// the bound during one fault window.
type lagSpan struct {
	process    string
	window     int
	from, to   time.Duration
	lag, timer time.Duration
	sched      time.Duration
	cpu, mach  float64
	cores      int
}

func (s lagSpan) String() string {
	load := ""
	if s.cpu > 0 {
		load = fmt.Sprintf("; CPU %.2f of %d cores", s.cpu, s.cores)
		if s.mach > 0 {
			load += fmt.Sprintf(", machine %.2f", s.mach)
		}
	}
	return fmt.Sprintf("%s lag %s (scheduler p99 %s, timer %s late%s) from %s to %s: timings in this window may be the harness's",
		s.process, dur(s.lag), dur(s.sched), dur(s.timer), load, dur(s.from), dur(s.to))
}

// fidelityReading is what the timeline says about the harness's lag in
// its fault windows.
type fidelityReading struct {
	windows []faultWindow
	spans   []lagSpan
}

// readFidelity finds the fault windows and the lag spans over the bound
// in them. herdWindow is the narrowest herd window the run judges (0 if
// none), which tightens the default bound.
func readFidelity(events []sim.Event, herdWindow time.Duration) fidelityReading {
	bound := fidelityPolicy(events).LagBound
	if bound <= 0 {
		bound = DefaultLagBound
		if herdWindow > 0 {
			bound = min(bound, herdWindow/2)
		}
	}
	var fr fidelityReading
	fr.windows = faultWindows(events)
	if len(fr.windows) == 0 {
		return fr
	}
	open := map[string]int{} // process → index of its span still growing
	for _, ev := range events {
		if ev.Kind != sim.HarnessLag || ev.Harness == nil {
			continue
		}
		s := ev.Harness
		w := fr.windowOf(s.From, ev.T)
		if s.Lag() <= bound || w < 0 {
			delete(open, ev.Detail)
			continue
		}
		if i, ok := open[ev.Detail]; ok && fr.spans[i].window == w {
			sp := &fr.spans[i]
			sp.to = ev.T
			sp.lag, sp.timer, sp.sched = max(sp.lag, s.Lag()), max(sp.timer, s.TimerLate), max(sp.sched, s.SchedP99)
			sp.cpu, sp.mach = max(sp.cpu, s.CPU), max(sp.mach, s.MachineCPU)
			continue
		}
		open[ev.Detail] = len(fr.spans)
		fr.spans = append(fr.spans, lagSpan{process: ev.Detail, window: w, from: s.From, to: ev.T, lag: s.Lag(),
			timer: s.TimerLate, sched: s.SchedP99, cpu: s.CPU, mach: s.MachineCPU, cores: s.Cores})
	}
	return fr
}

// windowOf is the first fault window overlapping [from, to], or -1.
func (fr fidelityReading) windowOf(from, to time.Duration) int {
	for i, w := range fr.windows {
		if from <= w.to && w.from <= to {
			return i
		}
	}
	return -1
}

func faultWindows(events []sim.Event) []faultWindow {
	end := TeardownStart(events)
	st := NewState()
	stepped := false
	var out []faultWindow
	var cur *faultWindow
	for _, ev := range events[:end] {
		st.Apply(ev)
		switch ev.Kind {
		case sim.StepStart:
			stepped = true
		case sim.ServerStart, sim.ServerStop, sim.ServerKill, sim.ServerLameDuck, sim.ServerExit,
			sim.ServerAdd, sim.ServerRemove, sim.FaultStart, sim.FaultEnd:
			if stepped && cur == nil {
				out = append(out, faultWindow{from: ev.T, to: -1})
				cur = &out[len(out)-1]
			}
		case sim.ClientDisconnect, sim.ClientReconnect:
			if cur != nil {
				cur.clients++
			}
		case sim.HarnessLag:
			if cur != nil && ev.Detail == sim.HarnessRunner && settled(st) {
				cur.to = ev.T
				cur = nil
			}
		}
	}
	if cur != nil {
		cur.to = st.T
	}
	return out
}

// settled says whether the cluster has recovered: every client present
// connected, and the mesh whole.
func settled(st *State) bool {
	for _, c := range st.Clients {
		if !c.Left {
			if _, why := st.linkOf(c); why != "" {
				return false
			}
		}
	}
	ok, _ := Mesh(st)
	return ok
}

// annotate adds to r the warnings of the lag spans that began before
// cutoff, if r is a timing verdict that judged something.
func (fr fidelityReading) annotate(r *Result, cutoff time.Duration) {
	clientsOnly, timing := timingProperties[r.Name]
	if !timing || r.Verdict == NotEvaluated || strings.HasPrefix(r.Evidence, "vacuous:") {
		return
	}
	var rel []lagSpan
	for _, sp := range fr.spans {
		if sp.from < cutoff && (!clientsOnly || fr.windows[sp.window].clients > 0) {
			rel = append(rel, sp)
		}
	}
	if len(rel) == 0 {
		return
	}
	lines := make([]string, len(rel))
	for i, sp := range rel {
		lines[i] = sp.String()
	}
	r.Fidelity = capLines(lines, 5)
	more := ""
	if len(rel) > 1 {
		more = fmt.Sprintf(" (+%d more)", len(rel)-1)
	}
	first := rel[0]
	r.Evidence += fmt.Sprintf(" [fidelity: %s lag %s from %s to %s%s]", first.process, dur(first.lag), dur(first.from), dur(first.to), more)
}

// narrowestHerdWindow is the smallest herd window among exps, 0 if none.
func narrowestHerdWindow(exps []Expectation) time.Duration {
	var w time.Duration
	for _, e := range exps {
		var p HerdParams
		switch v := e.Params.(type) {
		case HerdParams:
			p = v
		case *HerdParams:
			if v != nil {
				p = *v
			}
		}
		if p.Window > 0 && (w == 0 || p.Window < w) {
			w = p.Window
		}
	}
	return w
}
