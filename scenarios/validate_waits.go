package scenarios

import (
	"fmt"
	"time"

	"github.com/natschaos/natschaos/faults"
)

// What the file says about the faults in force at each wait, for the
// warnings of waits that may not wait for what their author meant: a
// mesh, discovered or balanced wait judged with a cut or freeze in force
// (it can hold at once, on the faulted graph), and a healed wait that
// does not wait for a fault without a duration.

// forced is a fault, partition or freeze step that may be in force.
type forced struct {
	step    int
	what    string // "partition", "freeze", "down fault on route:A-B"
	line    int
	dur     time.Duration // 0: until a heal step
	sleptAt time.Duration // stepCheck.slept when it was injected
	routes  bool          // it changes the expected route graph (mesh)
	cuts    bool          // it cuts links or freezes a server (discovered)
	freezes bool          // it freezes a server (balanced)
	// routeLinks: it acts on route links, which route TLS hides from the
	// fault layer (validate_security.go).
	routeLinks bool
}

// inForce says whether the fault may still be in force after slept of
// sleeping: one with a duration has surely ended once the sleeps since it
// add up to its duration.
func (f forced) inForce(slept time.Duration) bool {
	return f.dur <= 0 || slept-f.sleptAt < f.dur
}

// cutting says whether a fault kind stops traffic on its links.
func cutting(k FaultKind) bool {
	for _, info := range faults.Kinds() {
		if info.Name == string(k) {
			return info.Cuts
		}
	}
	return false
}

// trackFaults follows the faults the steps inject; heal and wait steps
// read them (sc.forced) for their own checks and warnings.
func (v *validator) trackFaults(sc *stepCheck, i int, st *Step) {
	if f, ok := injection(st); ok {
		f.step, f.line, f.sleptAt = i, st.Pos.Line, sc.slept
		sc.forced = append(sc.forced, f)
	}
}

// healForced drops what a heal step ends from the faults in force.
func healForced(fs []forced, h *Heal) []forced {
	if h.All {
		return nil
	}
	var out []forced
	for _, f := range fs {
		if f.step != h.Step {
			out = append(out, f)
		}
	}
	return out
}

func (v *validator) waitWarnings(sc *stepCheck, w *Wait, where string) {
	at := v.at(&w.Until, w.Pos)
	if w.Until == WaitHealed {
		v.healedWarnings(sc, w, where)
		return
	}
	for _, f := range sc.forced {
		if !f.inForce(sc.slept) {
			continue
		}
		var judged string
		switch {
		case w.Until == WaitMesh && f.routes:
			judged = "the route graph it leaves"
		case w.Until == WaitDiscovered && f.cuts:
			judged = "the servers it leaves reachable"
		case w.Until == WaitBalanced && f.freezes:
			judged = "the servers it leaves unfrozen"
		default:
			continue
		}
		is, hint := "is", "to wait for the whole cluster, heal it before this wait"
		if f.dur > 0 {
			is, hint = "may still be", fmt.Sprintf("to go on after its %v, put wait: {until: healed} before this wait", f.dur)
		}
		v.warn(at, "%s: while the %s at line %d %s in force, %s is judged on %s, so it can hold at once; %s",
			where, f.what, f.line, is, w.Until, judged, hint)
	}
}

// healedWarnings: a healed wait waits only for faults with a duration,
// and fails the run when its timeout is shorter than they last.
func (v *validator) healedWarnings(sc *stepCheck, w *Wait, where string) {
	var kept []forced
	for _, f := range sc.forced {
		switch {
		case f.dur <= 0:
			v.warn(v.at(&w.Until, w.Pos), "%s: healed does not wait for the %s at line %d: it has no duration, so only a heal step ends it", where, f.what, f.line)
			kept = append(kept, f)
		case f.inForce(sc.slept):
			left := f.dur - (sc.slept - f.sleptAt)
			if timeout := orDefault(w.Timeout, DefaultWaitTimeout); timeout < left {
				v.warn(v.at(&w.Timeout, v.at(&w.Until, w.Pos)), "%s.timeout %v may be shorter than what is left of the %s at line %d (up to %v): a healed wait that times out stops the run (exit 3)",
					where, timeout, f.what, f.line, left)
			}
		}
	}
	sc.forced = kept // every fault with a duration has ended after it
}

// warn records a warning: the file is valid, but may not do what it seems.
func (v *validator) warn(at Pos, format string, args ...any) {
	v.s.Warnings = append(v.s.Warnings, Problem{File: v.ps.file, Line: at.Line, Col: at.Col, Msg: "warning: " + fmt.Sprintf(format, args...)})
}
