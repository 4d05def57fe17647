package scenarios

import (
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/natschaos/natschaos/assert"
)

// Expect is a scenario's `expect:` section: the properties it expects, in
// file order. The vocabulary is assert's registry: `expect.<name>` is
// decoded straight into the parameter struct the property registered
// (assert.NewParams, which holds its defaults), and that struct validates
// itself. Only `warn` is the format's own.
type Expect []*Expectation

// Expectation is one property under `expect`.
type Expectation struct {
	Name Property
	// Params points to the property's parameter struct (assert.NewParams),
	// defaults applied; read it with ExpectParams.
	Params any
	// Warn: evaluated and reported, never failing the run.
	Warn bool
	Pos  Pos
}

func (e *Expectation) Property() Property { return e.Name }
func (e *Expectation) Warning() bool      { return e.Warn }
func (e *Expectation) Position() Pos      { return e.Pos }

// Properties lists the properties a file may expect: assert's registry.
func Properties() []Property {
	var out []Property
	for _, n := range assert.Names() {
		out = append(out, Property(n))
	}
	return out
}

// NewExpectation is property p with its default parameters, or nil when
// no checker is registered as p.
func NewExpectation(p Property) *Expectation {
	params, ok := assert.NewParams(string(p))
	if !ok {
		return nil
	}
	return &Expectation{Name: p, Params: params}
}

// List returns the expectations in file order (those without a position
// keep their order).
func (e Expect) List() []*Expectation {
	out := append([]*Expectation(nil), e...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.before(out[j].Pos) })
	return out
}

// Get returns the expectation of a property, or nil when absent.
func (e Expect) Get(p Property) *Expectation {
	for _, x := range e {
		if x.Name == p {
			return x
		}
	}
	return nil
}

// ParamsFor returns the parameters property p is judged with: the file's,
// or its defaults when the file does not expect it (a check step or a
// wait may still name it).
func (e Expect) ParamsFor(p Property) any {
	if x := e.Get(p); x != nil && x.Params != nil {
		return x.Params
	}
	params, _ := assert.NewParams(string(p))
	return params
}

// ExpectParams returns property p's parameters as its struct P (the file's,
// else the defaults) and whether the file expects p.
func ExpectParams[P any](e Expect, p Property) (P, bool) {
	var out P
	switch v := e.ParamsFor(p).(type) {
	case *P:
		out = *v
	case P:
		out = v
	}
	return out, e.Get(p) != nil
}

// decodeNode reads `expect:`: a mapping from property names to their
// parameters, each taken by the property's own struct.
func (e *Expect) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	ents, ok := d.entries(n, 0)
	if !ok {
		d.ps.add(posOf(n), "%s: expected a mapping, got %s", label(where), describe(n))
		d.failed[e] = true
		return
	}
	seen := map[string]Pos{}
	for _, en := range ents {
		x := NewExpectation(Property(en.key))
		if !d.admitKey(en, x != nil, seen, where, strs(Properties())) {
			continue
		}
		x.Pos = en.keyPos
		*e = append(*e, x)
		d.expectation(x, en.value, join(where, en.key))
	}
}

// expectation fills one property's parameters and warn from its mapping.
func (d *decoder) expectation(x *Expectation, n ast.Node, where string) {
	if !d.spend(n) {
		return
	}
	n = d.resolve(n)
	if n == nil || isNull(n) {
		return // `ordered:` takes the defaults
	}
	ents, ok := d.entries(n, 0)
	if !ok {
		d.ps.add(posOf(n), "%s: expected a mapping, got %s", where, describe(n))
		d.failed[x] = true
		return
	}
	d.decodeFields(ents, reflect.ValueOf(x.Params).Elem(), where, map[string]reflect.Value{"warn": reflect.ValueOf(&x.Warn).Elem()})
}

// expect checks each expectation's parameters with the struct's own rules
// (required keys, Validate), pointing at the value a rule names.
func (v *validator) expect() {
	for _, x := range v.s.Expect {
		where := "expect." + string(x.Name)
		if NewExpectation(x.Name) == nil {
			v.add(x.Pos, "expect: unknown property %q%s", x.Name, didYouMean(string(x.Name), strs(Properties())))
			continue
		}
		if v.failed(x) || x.Params == nil {
			continue
		}
		pv := reflect.ValueOf(x.Params)
		if pv.Kind() != reflect.Pointer || pv.IsNil() {
			v.add(x.Pos, "%s: parameters are %T, want a pointer to the property's struct", where, x.Params)
			continue
		}
		v.requiredParams(pv.Elem(), where, x.Pos)
		if val, ok := x.Params.(interface{ Validate() error }); ok {
			for _, err := range assert.ParamErrors(val.Validate()) {
				pe, named := err.(*assert.ParamError)
				if !named {
					v.add(x.Pos, "%s: %v", where, err)
					continue
				}
				field := paramField(pv.Elem(), pe.Param)
				if field != nil && v.failed(field) {
					continue // the decoder said what is wrong with it
				}
				v.add(v.at(field, x.Pos), "%s.%s", where, pe.Error())
			}
		}
		if p, ok := x.Params.(*assert.ServerListsParams); ok {
			v.serverLists(p, x.Pos)
		}
	}
}

// requiredParams reports the keys a parameter struct marks required
// (`jsonschema:"required"`) that the file did not write.
func (v *validator) requiredParams(s reflect.Value, where string, at Pos) {
	t := s.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !isRequired(f) {
			continue
		}
		if !v.given(s.Field(i).Addr().Interface(), !s.Field(i).IsZero()) {
			v.add(at, "%s.%s is required", where, key)
		}
	}
}

// isRequired says whether a parameter field's jsonschema tag marks it
// required.
func isRequired(f reflect.StructField) bool {
	for _, opt := range strings.Split(f.Tag.Get("jsonschema"), ",") {
		if opt == "required" {
			return true
		}
	}
	return false
}

// paramField is the address of the field a parameter struct decodes key
// into, or nil.
func paramField(s reflect.Value, key string) any {
	if idx, ok := fieldsOf(s.Type()).byKey[key]; ok {
		return s.Field(idx).Addr().Interface()
	}
	return nil
}

// serverLists checks that server_lists names declared servers.
func (v *validator) serverLists(p *assert.ServerListsParams, at Pos) {
	for i := range p.Kept {
		v.serverRef(&p.Kept[i], "expect.server_lists.kept", at)
	}
	for i := range p.Pruned {
		v.serverRef(&p.Pruned[i], "expect.server_lists.pruned", at)
	}
}
