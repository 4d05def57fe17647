package reports

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// This file reads the figures the charts draw out of the timeline; it
// knows nothing of drawing.

// point is a value at a moment of the run.
type point struct {
	t time.Duration
	v float64
}

// window is a stretch of the run when a server was down or a fault was
// active, shaded behind every time chart.
type window struct {
	from, to time.Duration
	kind     string // "down", "lame duck" or "fault"
	label    string
}

// lastT is the run's length as the timeline knows it.
func lastT(events []sim.Event) time.Duration {
	if len(events) == 0 {
		return 0
	}
	return events[len(events)-1].T
}

// perServer is each server's value after every observation, as the server
// itself reported it, dropping to 0 when the server exits.
func perServer(events []sim.Event, value func(sim.Event) float64) map[string][]point {
	out := map[string][]point{}
	for _, ev := range events {
		switch ev.Kind {
		case sim.Observe:
			out[ev.Server] = append(out[ev.Server], point{ev.T, value(ev)})
		case sim.ServerExit:
			if _, seen := out[ev.Server]; seen {
				out[ev.Server] = append(out[ev.Server], point{ev.T, 0})
			}
		}
	}
	return out
}

func clientsPerServer(events []sim.Event) map[string][]point {
	return perServer(events, func(ev sim.Event) float64 { return float64(ev.Clients) })
}

func peersPerServer(events []sim.Event) map[string][]point {
	return perServer(events, func(ev sim.Event) float64 { return float64(len(ev.Peers)) })
}

// routeChange is a server's route peers changing between two observations.
type routeChange struct {
	T              time.Duration
	Server         string
	Peers          string
	Added, Removed string
}

// routeChanges lists every change of a server's peers, exits included.
func routeChanges(events []sim.Event) []routeChange {
	cur := map[string][]string{}
	var out []routeChange
	note := func(t time.Duration, server string, peers []string) {
		old, seen := cur[server]
		if seen && slices.Equal(old, peers) {
			return
		}
		cur[server] = peers
		c := routeChange{T: t, Server: server, Peers: strings.Join(peers, " "), Added: diff(peers, old), Removed: diff(old, peers)}
		if c.Peers == "" {
			c.Peers = "none"
		}
		out = append(out, c)
	}
	for _, ev := range events {
		switch ev.Kind {
		case sim.Observe:
			note(ev.T, ev.Server, ev.Peers)
		case sim.ServerExit:
			if _, seen := cur[ev.Server]; seen {
				note(ev.T, ev.Server+" (exited)", nil)
				delete(cur, ev.Server)
			}
		}
	}
	return out
}

func diff(a, b []string) string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return strings.Join(out, " ")
}

// faultWindows pairs what took servers or links away with what gave them
// back: a kill, stop or lame duck lasts until the server starts again; a
// fault until its fault_end. Whatever is still open lasts to the end.
func faultWindows(events []sim.Event) []window {
	var out []window
	down := map[string]int{}   // server → index in out
	faults := map[string]int{} // fault id → index in out
	for _, ev := range events {
		switch ev.Kind {
		case sim.ServerKill, sim.ServerStop, sim.ServerLameDuck:
			if _, open := down[ev.Server]; open {
				continue // a stop during lame duck: one outage
			}
			w := window{from: ev.T, to: -1, kind: "down", label: "kill " + ev.Server}
			switch ev.Kind {
			case sim.ServerStop:
				w.label = "stop " + ev.Server
			case sim.ServerLameDuck:
				w.kind, w.label = "lame duck", "lame duck "+ev.Server
			}
			down[ev.Server] = len(out)
			out = append(out, w)
		case sim.ServerStart:
			if i, open := down[ev.Server]; open {
				out[i].to = ev.T
				delete(down, ev.Server)
			}
		case sim.FaultStart:
			faults[ev.Fault] = len(out)
			out = append(out, window{from: ev.T, to: -1, kind: "fault", label: faultLabel(ev)})
		case sim.FaultEnd:
			if i, open := faults[ev.Fault]; open {
				out[i].to = ev.T
				delete(faults, ev.Fault)
			}
		}
	}
	end := lastT(events)
	for i := range out {
		if out[i].to < 0 {
			out[i].to = end
		}
	}
	return out
}

func faultLabel(ev sim.Event) string {
	what := ev.Target
	if len(ev.Groups) > 0 {
		var gs []string
		for _, g := range ev.Groups {
			gs = append(gs, strings.Join(g, ","))
		}
		what = strings.Join(gs, " | ")
	}
	if what == "" {
		what = strings.Join(ev.Servers, ",")
	}
	return strings.TrimSpace(ev.FaultKind + " " + what)
}

// reconnectTimes measures each disconnection to the same client's next
// connection, as the reconnect checker does; stranded counts the clients
// still disconnected at the end without having closed themselves.
func reconnectTimes(events []sim.Event) (durs []time.Duration, stranded int) {
	open := map[string]time.Duration{}
	for _, ev := range events {
		switch ev.Kind {
		case sim.ClientDisconnect:
			if _, ok := open[ev.Client]; !ok {
				open[ev.Client] = ev.T
			}
		case sim.ClientConnect, sim.ClientReconnect:
			if down, ok := open[ev.Client]; ok {
				durs = append(durs, ev.T-down)
				delete(open, ev.Client)
			}
		case sim.ClientClosed, sim.ClientLeave:
			delete(open, ev.Client)
		}
	}
	slices.Sort(durs)
	return durs, len(open)
}

// herdCurve is reconnections accepted per server per window. It is the
// herd checker's own figure when the run had a herd expectation, so chart
// and verdict agree; otherwise it is counted here with a window that cuts
// the run into about 100 buckets.
func herdCurve(events []sim.Event, props []assert.Result) (time.Duration, map[string][]int) {
	if res, ok := lastResult(props, "herd"); ok {
		if d, ok := dataAs[assert.HerdData](res.Data); ok && d.Window > 0 && len(d.Series) > 0 {
			return d.Window, d.Series
		}
	}
	w := niceWindow(lastT(events) / 100)
	series := map[string][]int{}
	n := int(lastT(events)/w) + 1
	for _, ev := range events {
		if ev.Kind != sim.ClientReconnect {
			continue
		}
		if series[ev.Server] == nil {
			series[ev.Server] = make([]int, n)
		}
		series[ev.Server][int(ev.T/w)]++
	}
	return w, series
}

// niceWindow rounds up to 1, 2 or 5 times a power of ten, at least 1ms.
func niceWindow(d time.Duration) time.Duration {
	w := time.Millisecond
	for {
		for _, m := range []time.Duration{1, 2, 5} {
			if m*w >= d {
				return m * w
			}
		}
		w *= 10
	}
}

// lastResult is the last verdict on a property: the whole-run one when a
// check step judged it too.
func lastResult(props []assert.Result, name string) (assert.Result, bool) {
	for i := len(props) - 1; i >= 0; i-- {
		if props[i].Name == name {
			return props[i], true
		}
	}
	return assert.Result{}, false
}

// dataAs reads a Result's Data as T. A verdict reached during the run
// comes back from the timeline as JSON (a map), one judged now as T.
func dataAs[T any](data any) (T, bool) {
	var out T
	switch v := data.(type) {
	case nil:
		return out, false
	case T:
		return v, true
	case *T:
		return *v, v != nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return out, false
	}
	return out, json.Unmarshal(b, &out) == nil
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return fmt.Sprint(d)
}
