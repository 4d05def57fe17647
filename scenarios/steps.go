package scenarios

import (
	"context"
	"reflect"
	"sort"
)

// StepAction is one kind of step: the value under its key in `steps`.
// Each kind lives in its own file (step_<key>.go) and registers itself
// with RegisterStep; a kind declared outside this package does the same.
type StepAction interface {
	// Validate checks the step against the file and what the steps before
	// it did, reporting each problem at its line:col through c.
	Validate(c *StepValidator)
	// Run does the step. An error ends the run as an infrastructure error.
	Run(ctx context.Context, env *StepEnv) error
	// Describe is the step as a person would write it, for logs and events.
	Describe() string
	// Marshal is the value written under the step's key: a scalar, a list
	// or a yaml.MapSlice that Parse reads back as the same step.
	Marshal(sc *Scenario) any
}

// Step is one entry of `steps`: a one-key map, the key naming the kind.
type Step struct {
	Pos    Pos        // of the step's key
	Action StepAction // nil when the file's value could not be read
}

// Key is the step's key in the file ("kill"), or "invalid".
func (s *Step) Key() string {
	if s.Action == nil {
		return "invalid"
	}
	if k, ok := stepKeyOf[reflect.TypeOf(s.Action)]; ok {
		return k
	}
	return "invalid"
}

// Server returns the server a start, stop, kill, lame_duck, restart,
// freeze or remove step acts on, else "".
func (s *Step) Server() string {
	if a, ok := s.Action.(interface{ server() string }); ok && !isNilPointer(a) {
		return a.server()
	}
	return ""
}

// stepKind is a registered kind of step.
type stepKind struct {
	key  string
	doc  string       // one line, for the JSON Schema
	typ  reflect.Type // the struct a value decodes into
	make func() StepAction
}

var (
	stepKinds = map[string]stepKind{}
	stepKeyOf = map[reflect.Type]string{} // *T -> key
)

// RegisterStep adds a kind of step under key: its value in a file decodes
// into a T by T's yaml tags (or T's own syntax), and *T does the step.
// doc is its one-line description in the JSON Schema. Register from an
// init function; registering a key twice panics.
func RegisterStep[T any, P interface {
	*T
	StepAction
}](key, doc string) {
	if _, dup := stepKinds[key]; dup || key == "" || key == "invalid" {
		panic("scenarios: step " + key + " registered twice or unnamed") // a build mistake, caught by any test
	}
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		panic("scenarios: step " + key + " must decode into a struct")
	}
	stepKinds[key] = stepKind{key: key, doc: doc, typ: t, make: func() StepAction { return P(new(T)) }}
	stepKeyOf[reflect.TypeFor[P]()] = key
}

// StepKeys lists the registered step keys, sorted.
func StepKeys() []string {
	out := make([]string, 0, len(stepKinds))
	for k := range stepKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// What some built-in steps also are, for the checks that span steps.
type (
	// injector injects something the fault layer tracks: heal steps number
	// these, and one with a duration is waited for.
	injector interface{ injects() (forced, bool) }
	// externalChecker says what the step needs on an external cluster;
	// steps without it run there as anywhere.
	externalChecker interface {
		checkExternal(c *StepValidator, x *External, links map[string]bool)
	}
	// defaulter fills in what the file left out (defaults.go).
	defaulter interface{ applyDefaults() }
	// clientProxier needs the proxies in front of the clients' links.
	clientProxier interface{ clientProxies() bool }
)

// injection is what a step injects, if anything.
func injection(st *Step) (forced, bool) {
	if in, ok := st.Action.(injector); ok && !isNilPointer(in) {
		return in.injects()
	}
	return forced{}, false
}

// injectsFault says whether a step counts among the fault, partition and
// freeze steps that `heal: <N>` numbers (a leader isolate is a partition).
func injectsFault(st *Step) bool {
	_, ok := injection(st)
	return ok
}
