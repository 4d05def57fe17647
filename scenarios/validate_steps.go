package scenarios

import (
	"fmt"
	"sort"
	"strings"
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
		where := fmt.Sprintf("steps[%d].%s", i, st.Kind)
		if st.Kind == StepInvalid || !st.hasPayload() {
			if v.d == nil {
				v.add(st.Pos, "steps[%d]: %s step without its value", i, st.Kind)
			}
			continue // the decoder has said why
		}
		if p := st.payload(); p != nil && v.failed(p) {
			continue // not a mapping: the decoder has said so
		}
		switch st.Kind {
		case StepStart:
			v.lifecycle(sc, st, &st.Start, where)
		case StepStop:
			v.lifecycle(sc, st, &st.Stop, where)
		case StepKill:
			v.lifecycle(sc, st, &st.Kill, where)
		case StepLameDuck:
			v.lifecycle(sc, st, &st.LameDuck, where)
		case StepRestart:
			r := st.Restart
			if v.serverRef(&r.Server, where, r.Pos) && !v.removed(sc, r.Server, v.at(&r.Server, r.Pos), where) {
				*sc.state[r.Server] = serverState{running: true, how: "restarted", since: st.Pos}
			}
			v.version(&r.Version, where+".version", r.Pos)
		case StepFreeze:
			f := st.Freeze
			if v.serverRef(&f.Server, where, f.Pos) {
				if ss := sc.state[f.Server]; !ss.running {
					v.add(v.at(&f.Server, f.Pos), "%s: server %q is not running (%s)", where, f.Server, v.why(ss))
				}
			}
			v.positive(&f.Duration, where+".duration", f.Pos)
			v.faultName(sc, &f.Name, i, where, f.Pos)
			sc.faults = append(sc.faults, i)
		case StepFault:
			v.fault(sc, st.Fault, i, where)
			sc.faults = append(sc.faults, i)
		case StepPartition:
			v.partition(sc, st.Partition, i, where)
			sc.faults = append(sc.faults, i)
		case StepHeal:
			v.heal(sc, st.Heal, where)
		case StepSleep:
			if v.ok(&st.Sleep, true) && st.Sleep <= 0 {
				v.add(v.at(&st.Sleep, st.Pos), "%s must be positive, got %v", where, st.Sleep)
			}
		case StepWait:
			w := st.Wait
			if w.Until == "" && !v.failed(&w.Until) {
				v.add(w.Pos, "%s.until is required: one of %s", where, strings.Join(strs(WaitConditions), ", "))
			}
			enum(v, &w.Until, where+".until", "wait condition", WaitConditions, w.Pos)
			v.positive(&w.Timeout, where+".timeout", w.Pos)
		case StepCheck:
			v.check(st, where)
		case StepRemove:
			v.lifecycle(sc, st, &st.Remove, where)
		case StepJoin, StepLeave:
			v.clientsStep(sc, st, where)
		case StepBurst:
			v.burst(st.Burst, where)
		case StepLeader:
			v.leaderStep(sc, st.Leader, i, where)
		}
		v.trackFaults(sc, i, st, where)
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

// lifecycle checks start, stop, kill and lame_duck against what earlier
// steps did to the server.
func (v *validator) lifecycle(sc *stepCheck, st *Step, field *string, where string) {
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
	case st.Kind == StepRemove:
		bad = false // running or not: remove stops it first if it runs
	case st.Kind == StepStart && ss.lameDuck:
		v.add(at, "%s: server %q is in lame duck mode since line %d; use restart, which waits for it to exit", where, name, ss.since.Line)
	case st.Kind == StepStart && ss.running:
		v.add(at, "%s: server %q is already running (%s)", where, name, v.why(ss))
	case st.Kind == StepLameDuck && ss.lameDuck:
		v.add(at, "%s: server %q is already in lame duck mode since line %d", where, name, ss.since.Line)
	case st.Kind != StepStart && !ss.running:
		v.add(at, "%s: server %q is not running (%s)", where, name, v.why(ss))
	default:
		bad = false
	}
	if bad {
		return // keep the state the problem refers to
	}
	switch st.Kind {
	case StepStart:
		*ss = serverState{running: true, how: "started", since: st.Pos}
	case StepLameDuck:
		*ss = serverState{running: true, lameDuck: true, how: "put in lame duck mode", since: st.Pos}
	case StepKill:
		*ss = serverState{how: "killed", since: st.Pos}
	case StepRemove:
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

func (v *validator) partition(sc *stepCheck, p *Partition, step int, where string) {
	v.faultName(sc, &p.Name, step, where, p.Pos)
	enum(v, &p.Mode, where+".mode", "partition mode", PartitionModes, p.Pos)
	v.positive(&p.Duration, where+".duration", p.Pos)
	if v.failed(&p.Groups) {
		return
	}
	if len(p.Groups) < 2 {
		at := v.at(&p.Groups, p.Pos)
		if p.Groups == nil {
			at = p.Pos
		}
		v.add(at, "%s.groups: a partition needs at least two groups, like [[A], [B, C]]", where)
	}
	seen := map[string]Pos{}
	for i := range p.Groups {
		g := p.Groups[i]
		if len(g) == 0 && !v.failed(&p.Groups[i]) {
			v.add(v.at(&p.Groups[i], p.Pos), "%s.groups[%d] is empty", where, i)
		}
		for j := range g {
			ref := &g[j]
			w := fmt.Sprintf("%s.groups[%d][%d]", where, i, j)
			if !v.serverRef(ref, w, p.Pos) {
				continue
			}
			at := v.at(ref, p.Pos)
			if v.removed(sc, *ref, at, w) {
				continue
			}
			if first, dup := seen[*ref]; dup {
				v.add(at, "%s: server %q is already in a group (line %d:%d); each server belongs to exactly one", w, *ref, first.Line, first.Col)
				continue
			}
			seen[*ref] = at
		}
	}
	if len(p.Groups) >= 2 {
		var missing []string
		for _, name := range v.names {
			if _, ok := seen[name]; !ok && !sc.state[name].removed {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			v.add(v.at(&p.Groups, p.Pos), "%s.groups leave out %s; list every server in exactly one group (removed ones excepted)", where, strings.Join(missing, ", "))
		}
	}
}

func (v *validator) heal(sc *stepCheck, h *Heal, where string) {
	h.Step = -1
	switch {
	case v.failed(h):
	case h.All:
	case h.Name != "":
		i, ok := sc.named[h.Name]
		if !ok {
			var names []string
			for n := range sc.named {
				names = append(names, n)
			}
			sort.Strings(names)
			hint := didYouMean(h.Name, names)
			if len(names) == 0 {
				hint = " (none has a name: add name: to one)"
			}
			v.add(v.at(h, h.Pos), "%s: no earlier fault, partition or freeze is named %q%s", where, h.Name, hint)
			return
		}
		h.Step = i
	case h.Index >= 1 && h.Index <= len(sc.faults):
		h.Step = sc.faults[h.Index-1]
	default:
		v.add(v.at(h, h.Pos), "%s: there is no fault number %d: %d fault, partition or freeze steps come before it", where, h.Index, len(sc.faults))
	}
}

func (v *validator) check(st *Step, where string) {
	if len(st.Check) == 0 && !v.failed(&st.Check) {
		v.add(st.Pos, "%s: list the expectations to evaluate, like [mesh, balance]", where)
	}
	for i := range st.Check {
		p := &st.Check[i]
		at := v.at(p, st.Pos)
		if !oneOf(*p, Properties()) {
			v.add(at, "%s: unknown expectation %q%s", where, *p, didYouMean(string(*p), strs(Properties())))
			continue
		}
		if v.s.Expect.Get(*p) == nil {
			v.add(at, "%s: %s is not under expect; add it there with its parameters", where, *p)
		}
	}
}
