package scenarios

import (
	"fmt"
	"time"
)

// serverState is what the steps have done to a server so far, as far as the
// file alone can tell.
type serverState struct {
	running  bool
	lameDuck bool   // entered lame duck mode; exits on its own
	removed  bool   // removed for good: no step may name it again
	how      string // what set the state: "declared with start: false", "killed", ...
	since    Pos    // the step (or declaration) that set the state
}

// stepCheck carries what the checks of one scenario's steps share.
type stepCheck struct {
	state   map[string]*serverState
	faults  []int          // indexes of fault, partition and freeze steps so far
	named   map[string]int // fault, partition and freeze names -> step index
	present map[string]int // clients of each group after the steps so far
	forced  []forced       // faults that may be in force (validate_waits.go)
	slept   time.Duration  // sleeps so far: a lower bound of the time passed
}

func (v *validator) steps() {
	sc := &stepCheck{state: map[string]*serverState{}, named: map[string]int{}, present: map[string]int{}}
	for _, g := range v.s.Clients {
		sc.present[g.Name] = max(g.Count, 1)
	}
	for name, srv := range v.servers {
		how := "started with the scenario"
		if !srv.StartsAtBoot() {
			how = "declared with start: false"
		}
		sc.state[name] = &serverState{running: srv.StartsAtBoot(), how: how, since: v.at(&srv.Name, srv.Pos)}
	}
	for i := range v.s.Steps {
		st := &v.s.Steps[i]
		where := fmt.Sprintf("steps[%d].%s", i, st.Key())
		if st.Action == nil || isNilPointer(st.Action) {
			if v.d == nil {
				v.add(st.Pos, "steps[%d]: %s step without its value", i, st.Key())
			}
			continue // the decoder has said why
		}
		if v.failed(st.Action) {
			continue // not a mapping: the decoder has said so
		}
		st.Action.Validate(&StepValidator{v: v, sc: sc, index: i, step: st, where: where})
		v.trackFaults(sc, i, st)
	}
}

// removed reports, as a problem at at, a step naming a removed server.
func (v *validator) removed(sc *stepCheck, name string, at Pos, where string) bool {
	ss := sc.state[name]
	if ss == nil || !ss.removed {
		return false
	}
	v.add(at, "%s: server %q was removed at line %d; a removed server cannot come back", where, name, ss.since.Line)
	return true
}

// lifecycle checks start, stop, kill, lame_duck and remove (key) against
// what earlier steps did to the server.
func (v *validator) lifecycle(c *StepValidator, field *string, key string) {
	sc, st, where := c.sc, c.step, c.where
	if !v.serverRef(field, where, st.Pos) {
		return
	}
	name, at := *field, v.at(field, st.Pos)
	ss := sc.state[name]
	if v.removed(sc, name, at, where) {
		return
	}
	bad := true
	switch {
	case key == "remove":
		bad = false // running or not: remove stops it first if it runs
	case key == "start" && ss.lameDuck:
		v.add(at, "%s: server %q is in lame duck mode since line %d; use restart, which waits for it to exit", where, name, ss.since.Line)
	case key == "start" && ss.running:
		v.add(at, "%s: server %q is already running (%s)", where, name, v.why(ss))
	case key == "lame_duck" && ss.lameDuck:
		v.add(at, "%s: server %q is already in lame duck mode since line %d", where, name, ss.since.Line)
	case key != "start" && !ss.running:
		v.add(at, "%s: server %q is not running (%s)", where, name, v.why(ss))
	default:
		bad = false
	}
	if bad {
		return // keep the state the problem refers to
	}
	switch key {
	case "start":
		*ss = serverState{running: true, how: "started", since: st.Pos}
	case "lame_duck":
		*ss = serverState{running: true, lameDuck: true, how: "put in lame duck mode", since: st.Pos}
	case "kill":
		*ss = serverState{how: "killed", since: st.Pos}
	case "remove":
		*ss = serverState{removed: true, how: "removed", since: st.Pos}
	default:
		*ss = serverState{how: "stopped", since: st.Pos}
	}
}

// why explains a server's state: "killed at line 12".
func (v *validator) why(ss *serverState) string {
	if ss.since.IsZero() {
		return ss.how
	}
	return fmt.Sprintf("%s at line %d", ss.how, ss.since.Line)
}

// faultName checks the optional name of a fault, partition or freeze, which
// heal steps refer to.
func (v *validator) faultName(sc *stepCheck, field *string, step int, where string, fallback Pos) {
	if *field == "" {
		return
	}
	v.name(field, where+".name", false, fallback)
	if prev, dup := sc.named[*field]; dup {
		v.add(v.at(field, fallback), "%s.name: %q already names the step at line %d", where, *field, v.s.Steps[prev].Pos.Line)
		return
	}
	sc.named[*field] = step
}
