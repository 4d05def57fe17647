package scenarios

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/natschaos/natschaos/faults"
)

func init() {
	RegisterStep[Partition]("partition", "Cut every route between groups of servers, nothing else.")
}

// Partition cuts every route between groups of servers, nothing else.
type Partition struct {
	// Groups lists every declared server exactly once, leaves
	// excepted: a partition does not cut leaf links (a fault on a leaf:
	// target does).
	Groups   [][]string    `yaml:"groups" jsonschema:"required,minItems=2"`
	Duration time.Duration `yaml:"duration" jsonschema_description:"Absent: until a heal step."`
	// Mode is close (default: cut links reset at once) or stall (silent;
	// found by pings).
	Mode PartitionMode `yaml:"mode"`
	Name string        `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Name for heal."`

	Pos Pos `yaml:"-"`
}

// Validate checks the groups, the mode and the name.
func (p *Partition) Validate(c *StepValidator) {
	c.v.partition(c.sc, p, c.index, c.where)
	c.sc.faults = append(c.sc.faults, c.index)
}

// partition checks that the groups list every server in exactly one.
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
			if v.s.LeafNodes != nil && slices.Contains(v.s.LeafNodes.LeafNames(), *ref) {
				v.add(at, "%s: %q is a leaf: a partition cuts routes and gateways, not leaf links; cut a leaf's links with fault: {target: leaf:%s, kind: down} (or leaf:<leaf>-<hub>, leaf:<hub>)", w, *ref, *ref)
				continue
			}
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
			leaf := v.s.LeafNodes != nil && slices.Contains(v.s.LeafNodes.LeafNames(), name)
			if _, ok := seen[name]; !ok && !sc.state[name].removed && !leaf {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			v.add(v.at(&p.Groups, p.Pos), "%s.groups leave out %s; list every server in exactly one group (removed ones excepted)", where, strings.Join(missing, ", "))
		}
	}
}

// Run cuts the routes.
func (p *Partition) Run(_ context.Context, env *StepEnv) error {
	id, err := env.r.layer.Partition(p.Groups, partitionMode(p.Mode), p.Duration)
	env.injected(id)
	return err
}

// partitionMode is the fault layer's mode for a file's, close by default.
func partitionMode(m PartitionMode) faults.Mode {
	if m == "" {
		return faults.Mode(PartitionClose)
	}
	return faults.Mode(m)
}

// Describe is "partition: {A} | {B,C} for 5s".
func (p *Partition) Describe() string {
	var gs []string
	for _, g := range p.Groups {
		gs = append(gs, "{"+strings.Join(g, ",")+"}")
	}
	return "partition: " + strings.Join(gs, " | ") + forDuration(p.Duration)
}

// Marshal writes the partition on one line.
func (p *Partition) Marshal(*Scenario) any {
	var groups []any
	for _, g := range p.Groups {
		groups = append(groups, append([]string{}, g...))
	}
	return mapping{}.str("name", p.Name).add("groups", groups).dur("duration", p.Duration).str("mode", string(p.Mode)).flow()
}

func (p *Partition) injects() (forced, bool) {
	return forced{what: "partition", dur: p.Duration, routes: true, cuts: true, routeLinks: true}, true
}

func (p *Partition) applyDefaults() {
	if p.Mode == "" {
		p.Mode = PartitionClose
	}
}

func (p *Partition) checkExternal(c *StepValidator, x *External, links map[string]bool) {
	if x.Toxiproxy == nil || !anyRoute(links) {
		c.v.add(c.step.Pos, "%s: a partition on an external cluster needs route proxies under cluster.external.toxiproxy.proxies", c.where)
	}
}
