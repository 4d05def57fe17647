package scenarios

import (
	"fmt"
	"strings"
	"time"
)

// Validate checks a Scenario built in Go (Parse already validates what it
// returns) and resolves Fault.Link and Heal.Step. Problems carry positions
// only where the Scenario has them.
func (s *Scenario) Validate() error {
	ps := &problems{file: s.File}
	validate(s, ps, nil)
	return ps.err()
}

// validator checks the meaning of a decoded scenario. With a decoder it
// knows which keys were written and where; without one (a Scenario built in
// Go) a non-zero value counts as written.
type validator struct {
	s       *Scenario
	ps      *problems
	d       *decoder
	servers map[string]*Server
	names   []string // declared servers, in order
}

func validate(s *Scenario, ps *problems, d *decoder) {
	v := &validator{s: s, ps: ps, d: d, servers: map[string]*Server{}}
	s.Warnings = nil
	v.scenario()
	v.clusters() // a supercluster's servers and clients move into cluster and clients
	v.cluster()
	v.leafNodes()
	v.clients()
	v.steps()
	v.security() // after steps: it reads resolved fault links
	v.expect()
	v.jetstream()
	v.external()
}

// at is the position of a field's value, else fallback.
func (v *validator) at(field any, fallback Pos) Pos {
	if v.d != nil {
		if p, ok := v.d.valPos[field]; ok {
			return p
		}
	}
	return fallback
}

// keyAt is the position of a field's key, else fallback.
func (v *validator) keyAt(field any, fallback Pos) Pos {
	if v.d != nil {
		if p, ok := v.d.keyPos[field]; ok {
			return p
		}
	}
	return fallback
}

// given reports whether a field was written (nonzero says whether it holds
// a non-zero value, which is all a Scenario built in Go can tell).
func (v *validator) given(field any, nonzero bool) bool {
	if v.d == nil {
		return nonzero
	}
	_, ok := v.d.valPos[field]
	return ok
}

// ok reports whether a written field's value was accepted by the decoder
// (so its value is worth checking further).
func (v *validator) ok(field any, nonzero bool) bool {
	if v.d == nil {
		return nonzero
	}
	_, written := v.d.valPos[field]
	return written && !v.d.failed[field]
}

// failed reports whether the decoder rejected a field's value.
func (v *validator) failed(field any) bool { return v.d != nil && v.d.failed[field] }

func (v *validator) add(at Pos, format string, args ...any) { v.ps.add(at, format, args...) }

// fileStart is where problems about the whole file point.
var fileStart = Pos{Line: 1, Col: 1}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// name checks a name field: required says whether it must be written.
func (v *validator) name(field *string, what string, required bool, fallback Pos) {
	if !v.given(field, *field != "") {
		if required {
			v.add(fallback, "%s is required", what)
		}
		return
	}
	if !v.ok(field, true) {
		return
	}
	if !validName(*field) {
		v.add(v.at(field, fallback), "%s %q is not a valid name: use letters, digits, _ and -", what, *field)
	}
}

// serverRef checks a reference to a declared server; it returns whether the
// server exists.
func (v *validator) serverRef(field *string, what string, fallback Pos) bool {
	name := *field
	at := v.at(field, fallback)
	if name == "" {
		if v.ok(field, true) || v.d == nil {
			v.add(at, "%s: a server name is required", what)
		}
		return false
	}
	if _, ok := v.servers[name]; ok {
		return true
	}
	v.add(at, "%s: unknown server %q%s", what, name, v.serverHint(name))
	return false
}

func (v *validator) serverHint(name string) string {
	if s := suggest(name, v.names); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	if len(v.names) == 0 {
		return " (no servers are declared)"
	}
	return " (declared: " + strings.Join(v.names, ", ") + ")"
}

// enum checks a value from a closed list; empty means "default" and passes.
func enum[T ~string](v *validator, field *T, what, noun string, valid []T, fallback Pos) bool {
	if *field == "" || !v.ok(field, true) {
		return *field == ""
	}
	if oneOf(*field, valid) {
		return true
	}
	v.add(v.at(field, fallback), "%s: unknown %s %q%s", what, noun, *field, didYouMean(string(*field), strs(valid)))
	return false
}

// positive checks an optional duration that must be above zero.
func (v *validator) positive(field *time.Duration, what string, fallback Pos) {
	if v.ok(field, *field != 0) && *field <= 0 {
		v.add(v.at(field, fallback), "%s must be positive, got %v", what, *field)
	}
}

// nonNegative checks an optional duration that must not be below zero.
func (v *validator) nonNegative(field *time.Duration, what string, fallback Pos) {
	if v.ok(field, *field != 0) && *field < 0 {
		v.add(v.at(field, fallback), "%s must not be negative, got %v", what, *field)
	}
}

func (v *validator) positivePtr(field **time.Duration, what string, fallback Pos) {
	if *field != nil && **field <= 0 {
		v.add(v.at(*field, v.at(field, fallback)), "%s must be positive, got %v", what, **field)
	}
}

func (v *validator) nonNegativePtr(field **time.Duration, what string, fallback Pos) {
	if *field != nil && **field < 0 {
		v.add(v.at(*field, v.at(field, fallback)), "%s must not be negative, got %v", what, **field)
	}
}

// atLeast checks an optional integer's lower bound.
func (v *validator) atLeast(field **int, min int, what string, fallback Pos) {
	if *field != nil && **field < min {
		v.add(v.at(*field, v.at(field, fallback)), "%s must be at least %d, got %d", what, min, **field)
	}
}

// sizeAtLeast checks an optional size's lower bound; minusOne allows -1
// ("unlimited" or "disabled").
func (v *validator) sizeAtLeast(field **ByteSize, min ByteSize, minusOne bool, what string, fallback Pos) {
	if *field == nil || **field >= min || minusOne && **field == -1 {
		return
	}
	extra := ""
	if minusOne {
		extra = " (or -1)"
	}
	v.add(v.at(*field, v.at(field, fallback)), "%s must be at least %d%s, got %d", what, min, extra, int64(**field))
}

func (v *validator) scenario() {
	s := v.s
	v.name(&s.Name, "name", true, fileStart)
	v.positive(&s.Timeout, "timeout", fileStart)
	v.expectedVerdict()
}
