package scenarios

import (
	"context"
	"fmt"
	"sort"

	"github.com/goccy/go-yaml/ast"
)

func init() {
	RegisterStep[Heal]("heal", "all, or the name or number of a fault, partition or freeze step.")
}

// Heal removes faults. Exactly one of All, Name and Index is set: `heal: all`,
// `heal: <name>` (a named fault, partition or freeze step) or `heal: <N>`
// (the N-th fault, partition or freeze step, counting from 1).
type Heal struct {
	All   bool
	Name  string
	Index int

	// Step is the index in Scenario.Steps of the step healed, or -1 for all;
	// Parse resolves it.
	Step int

	Pos Pos
}

// decodeNode reads `heal: all`, `heal: <name>` or `heal: <N>`.
func (h *Heal) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	h.Pos = at
	if i, ok := n.(*ast.IntegerNode); ok {
		idx, ok := d.integer(i, where)
		if ok {
			h.Index = int(min(max(idx, -1), 1<<31-1))
		}
		if !ok || idx < 1 {
			d.ps.add(posOf(n), "%s: a fault number counts from 1, got %s", where, tokenText(n))
			d.failed[h] = true
		}
		return
	}
	text, ok := scalarText(n)
	if !ok {
		d.ps.add(posOf(n), "%s: expected all, a fault's name or its number, got %s", where, describe(n))
		d.failed[h] = true
		return
	}
	if text == "all" {
		h.All = true
	} else {
		h.Name = text
	}
}

// Validate resolves Step: the fault, partition or freeze healed.
func (h *Heal) Validate(c *StepValidator) {
	v, sc, where := c.v, c.sc, c.where
	h.Step = -1
	switch {
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
		return
	}
	sc.forced = healForced(sc.forced, h)
}

// Run removes what the step healed injected, or everything.
func (h *Heal) Run(_ context.Context, env *StepEnv) error {
	if h.All {
		env.r.layer.HealAll()
		return nil
	}
	id, ok := env.r.faultIDs[h.Step]
	if !ok {
		return fmt.Errorf("heal: step %d has not injected anything", h.Step+1)
	}
	return env.r.layer.Heal(id)
}

// Describe is "heal: all" or "heal: step 3".
func (h *Heal) Describe() string {
	if h.All {
		return "heal: all"
	}
	return fmt.Sprintf("heal: step %d", h.Step+1)
}

// Marshal writes all, the name, or the number of the fault healed. A
// parsed scenario has Step resolved; one built in Go may set only Index.
func (h *Heal) Marshal(sc *Scenario) any {
	switch {
	case h.All:
		return "all"
	case h.Name != "":
		return h.Name
	case h.Index > 0:
		return h.Index
	}
	n := 0
	for i := range sc.Steps {
		if injectsFault(&sc.Steps[i]) {
			n++
			if i == h.Step {
				return n
			}
		}
	}
	return "all"
}
