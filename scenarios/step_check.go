package scenarios

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/natschaos/natschaos/assert"
)

func init() {
	RegisterStep[Check]("check", "Evaluate these expectations now, as well as at the end.")
}

// Check evaluates expectations over the timeline so far: `check: [mesh]`.
type Check struct {
	Properties []Property
	Pos        Pos
}

func (k *Check) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	k.Pos = at
	d.decode(n, reflect.ValueOf(&k.Properties).Elem(), where, at)
}

// Validate checks that each property is known and declared under expect.
func (k *Check) Validate(c *StepValidator) {
	v, where := c.v, c.where
	if len(k.Properties) == 0 && !v.failed(&k.Properties) {
		v.add(c.step.Pos, "%s: list the expectations to evaluate, like [mesh, balance]", where)
	}
	for i := range k.Properties {
		p := &k.Properties[i]
		at := v.at(p, c.step.Pos)
		if !oneOf(*p, Properties()) {
			v.add(at, "%s: unknown expectation %q%s", where, *p, didYouMean(string(*p), strs(Properties())))
			continue
		}
		if v.s.Expect.Get(*p) == nil {
			v.add(at, "%s: %s is not under expect; add it there with its parameters", where, *p)
		}
	}
}

// Run judges the properties now and records their verdicts.
func (k *Check) Run(_ context.Context, env *StepEnv) error {
	r, i := env.r, env.index
	r.cluster.ObserveNow()
	var exps []assert.Expectation
	for _, p := range k.Properties {
		e := assert.Expectation{Name: string(p), Params: r.sc.Expect.ParamsFor(p)}
		if x := r.sc.Expect.Get(p); x != nil {
			e.Warn = x.Warn
		}
		exps = append(exps, e)
	}
	for _, res := range assert.Evaluate(exps, r.tl.Events()) {
		res.Evidence = fmt.Sprintf("check at step %d: %s", i+1, res.Evidence)
		r.tl.Add(assert.VerdictEvent(i+1, res))
	}
	return nil
}

// Describe is "check: mesh, balance".
func (k *Check) Describe() string { return "check: " + strings.Join(strs(k.Properties), ", ") }

// Marshal writes the properties on one line.
func (k *Check) Marshal(*Scenario) any { return inFlow(strs(k.Properties)) }
