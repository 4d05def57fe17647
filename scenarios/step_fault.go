package scenarios

import (
	"context"
	"fmt"
	"time"

	"github.com/natschaos/natschaos/faults"
)

func init() {
	RegisterStep[Fault]("fault", "A network fault on a proxied link.")
}

// The fault step's value is a Fault (fault.go): validator.fault
// (validate_fault.go) checks it and faultSpec hands it to the fault layer.

// Validate checks the fault's target, kind and parameters.
func (f *Fault) Validate(c *StepValidator) {
	c.v.fault(c.sc, f, c.index, c.where)
	c.sc.faults = append(c.sc.faults, c.index)
}

// Run injects the fault.
func (f *Fault) Run(_ context.Context, env *StepEnv) error {
	id, err := env.r.layer.Inject(faultSpec(f))
	env.injected(id)
	return err
}

// Describe is "fault: latency on client:A for 2s".
func (f *Fault) Describe() string {
	return fmt.Sprintf("fault: %s on %s", f.Kind, f.Link) + forDuration(f.Duration)
}

// Marshal writes the fault's keys. explore.Marshal writes faults with its
// own faultTree, which must agree with this.
func (f *Fault) Marshal(*Scenario) any {
	target := f.Target
	if target == "" {
		target = f.Link.String()
	}
	m := mapping{}.str("name", f.Name).add("target", target).add("kind", string(f.Kind)).
		str("direction", string(f.Direction)).dur("duration", f.Duration)
	k, _ := faults.LookupKind(string(f.Kind))
	for _, p := range f.Params {
		m = m.paramValue(k, p)
	}
	return yamlMap(m)
}

// paramValue writes a kind's parameter in the file's syntax, by the type
// the kind declares for it.
func (m mapping) paramValue(k faults.Kind, p FaultParam) mapping {
	decl, _ := k.Param(p.Name)
	switch x := p.Value.(type) {
	case time.Duration:
		return m.add(p.Name, x.String())
	case int64:
		switch decl.Type {
		case faults.TypeByteSize:
			if x == 0 {
				return m.add(p.Name, 0)
			}
			return m.size(p.Name, ByteSize(x))
		case faults.TypeByteRate:
			return m.add(p.Name, ByteRate(x).String())
		}
	}
	return m.add(p.Name, p.Value)
}

func (f *Fault) injects() (forced, bool) {
	cuts := cutting(f.Kind)
	return forced{
		what:       fmt.Sprintf("%s fault on %s", f.Kind, f.Target),
		dur:        f.Duration,
		cuts:       cuts,
		routes:     cuts && f.Link.Kind == LinkRoute,
		routeLinks: f.Link.Kind == LinkRoute,
	}, true
}

func (f *Fault) clientProxies() bool { return f.Link.Kind == LinkClient }

func (f *Fault) applyDefaults() {
	if f.Direction == "" && !wholeFault(f.Kind) {
		f.Direction = DirectionBoth
	}
}

func (f *Fault) checkExternal(c *StepValidator, _ *External, links map[string]bool) {
	if !c.v.externalLink(f.Link, links) {
		c.v.add(c.step.Pos, "%s: no toxiproxy proxy carries %s: list it under cluster.external.toxiproxy.proxies", c.where, f.Link)
	}
}
