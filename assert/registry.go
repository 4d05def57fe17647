package assert

import (
	"fmt"
	"reflect"
	"sort"
	"sync"

	"github.com/natschaos/natschaos/sim"
)

// Checker runs a registered property. params is the property's parameter
// struct, a pointer to it, or nil for the zero value; anything else makes
// the result NotEvaluated.
type Checker func(params any, events []sim.Event) Result

// Expectation is one entry of a scenario's `expect:` section.
type Expectation struct {
	Name   string
	Params any // the property's parameter struct (or a pointer to it); nil means zero
	Warn   bool
}

type property struct {
	newParams func() any
	check     Checker
}

var (
	regMu    sync.RWMutex
	registry = map[string]property{}
)

// Register adds a property. P is its parameter struct; when P has a
// `Validate() error` method, parameters that fail it make the property
// NotEvaluated instead of running. Registering a name twice panics: it is
// a programming error found at init.
func Register[P any](name string, check func(P, []sim.Event) Result) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("assert: property " + name + " registered twice")
	}
	registry[name] = property{
		newParams: func() any {
			p := new(P)
			if d, ok := any(p).(defaulter); ok {
				d.SetDefaults()
			}
			return p
		},
		check: func(params any, events []sim.Event) Result {
			var p P
			switch v := params.(type) {
			case nil:
			case P:
				p = v
			case *P:
				if v != nil {
					p = *v
				}
			default:
				return notEvaluatedf("%s: parameters are %T, want %s", name, params, reflect.TypeFor[P]())
			}
			if v, ok := any(p).(interface{ Validate() error }); ok {
				if err := v.Validate(); err != nil {
					return notEvaluatedf("%s: %v", name, err)
				}
			}
			return check(p, events)
		},
	}
}

// Lookup returns the checker registered under name.
func Lookup(name string) (Checker, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	p, ok := registry[name]
	return p.check, ok
}

// NewParams returns a pointer to a parameter struct of the property
// holding its defaults, for a scenario's parameters to be decoded into.
func NewParams(name string) (any, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	p, ok := registry[name]
	if !ok {
		return nil, false
	}
	return p.newParams(), true
}

// Names lists the registered properties, sorted.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Evaluate runs each expectation over the timeline, in the order given. A
// failed expectation marked Warn is reported as Warn. An unknown name, or a
// checker that panics (a bug in this package), yields NotEvaluated so the
// other verdicts still reach the report.
func Evaluate(expectations []Expectation, events []sim.Event) []Result {
	out := make([]Result, 0, len(expectations))
	for _, e := range expectations {
		r := evaluateOne(e, events)
		r.Name = e.Name
		if e.Warn && r.Verdict == Fail {
			r.Verdict = Warn
		}
		out = append(out, r)
	}
	return out
}

func evaluateOne(e Expectation, events []sim.Event) (r Result) {
	check, ok := Lookup(e.Name)
	if !ok {
		return notEvaluatedf("unknown property %q (known: %v)", e.Name, Names())
	}
	defer func() {
		if p := recover(); p != nil {
			r = notEvaluatedf("internal error in the %s checker: %v", e.Name, p)
		}
	}()
	return check(e.Params, events)
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
