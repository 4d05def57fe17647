package scenarios

import (
	"errors"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/natschaos/natschaos/faults"
)

// A fault's own keys (name, target, kind, direction, duration)
// are Fault's fields; its kind's parameters are whatever faults' registry
// declares for that kind, decoded to the declared type and checked by the
// declared rules.

// paramKey names one parameter of one fault in the decoder's failed set.
type paramKey struct {
	f    *Fault
	name string
}

// goTypes are the types a parameter is decoded through, by faults type;
// sizes and rates take the file's units.
var goTypes = map[faults.ParamType]reflect.Type{
	faults.TypeDuration: durationType,
	faults.TypeByteSize: reflect.TypeFor[ByteSize](),
	faults.TypeByteRate: reflect.TypeFor[ByteRate](),
	faults.TypeFloat:    reflect.TypeFor[float64](),
	faults.TypeInt:      reflect.TypeFor[int64](),
	faults.TypeBool:     reflect.TypeFor[bool](),
	faults.TypeString:   reflect.TypeFor[string](),
}

// decodeNode reads a fault: its own keys into the struct, the rest as its
// kind's parameters.
func (f *Fault) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	f.Pos = at
	ents, ok := d.entries(n, 0)
	if !ok {
		d.ps.add(posOf(n), "%s: expected a mapping, got %s", label(where), describe(n))
		d.failed[f] = true
		return
	}
	own := fieldsOf(reflect.TypeFor[Fault]())
	var mine, params []entry
	for _, e := range ents {
		if _, ok := own.byKey[e.key]; ok {
			mine = append(mine, e)
		} else {
			params = append(params, e)
		}
	}
	d.decodeFields(mine, reflect.ValueOf(f).Elem(), where, nil)
	k, known := faults.LookupKind(string(f.Kind))
	seen := map[string]Pos{}
	for _, e := range params {
		p, takes := k.Param(e.key)
		if !takes {
			d.notAParam(e, k, known, own.keys, where)
			continue
		}
		if d.admitKey(e, true, seen, where, nil) {
			d.faultParam(f, p, e, where)
		}
	}
	order := k.ParamNames()
	sort.SliceStable(f.Params, func(i, j int) bool {
		return indexOf(order, f.Params[i].Name) < indexOf(order, f.Params[j].Name)
	})
}

// notAParam reports a key the fault's kind does not take.
func (d *decoder) notAParam(e entry, k faults.Kind, known bool, own []string, where string) {
	if e.merged {
		return
	}
	other := ""
	for _, ki := range faults.Kinds() {
		if _, ok := ki.Param(e.key); ok {
			other = ki.Name
		}
	}
	switch {
	case other != "" && !known:
		return // the kind is missing or wrong: validation says so
	case other != "":
		takes := "takes no parameters"
		if len(k.Params) > 0 {
			takes = "takes " + strings.Join(k.ParamNames(), ", ")
		}
		d.ps.add(e.keyPos, "%s: %s does not apply to %s faults (%s %s)", where, e.key, k.Name, k.Name, takes)
		return
	}
	keys := append([]string(nil), own...)
	if known {
		keys = append(keys, k.ParamNames()...)
	} else {
		for _, ki := range faults.Kinds() {
			keys = append(keys, ki.ParamNames()...)
		}
	}
	d.admitKey(e, false, nil, where, keys)
}

// faultParam decodes one parameter to its declared type.
func (d *decoder) faultParam(f *Fault, p faults.Param, e entry, where string) {
	t, ok := goTypes[p.Type]
	if !ok {
		d.ps.add(e.keyPos, "%s.%s: parameter type %q cannot be read from a file", where, p.Name, p.Type)
		return
	}
	holder := reflect.New(t)
	d.decode(e.value, holder.Elem(), join(where, e.key), e.keyPos)
	addr := holder.Interface()
	if d.failed[addr] {
		d.failed[paramKey{f, p.Name}] = true
		return
	}
	pos, written := d.valPos[addr]
	if !written {
		return // `latency:` with no value is the same as leaving it out
	}
	var val any
	switch x := holder.Elem().Interface().(type) {
	case ByteSize:
		val = int64(x)
	case ByteRate:
		val = int64(x)
	default:
		val = x
	}
	f.Params = append(f.Params, FaultParam{Name: p.Name, Value: val, Pos: pos})
}

// faultParams checks a fault's parameters by its kind's declaration.
func (v *validator) faultParams(f *Fault, k faults.Kind, where string) {
	for _, err := range faults.CheckParams(k.Name, f.Values()) {
		var pe *faults.ParamError
		if !errors.As(err, &pe) {
			v.add(f.Pos, "%s: %v", where, err)
			continue
		}
		if v.failed(paramKey{f, pe.Param}) {
			continue // the decoder said what is wrong with it
		}
		at := f.Pos
		given := false
		for _, p := range f.Params {
			if p.Name == pe.Param {
				given = true
				if !p.Pos.IsZero() {
					at = p.Pos
				}
			}
		}
		if !given {
			v.add(f.Pos, "%s: a %s fault needs %s", where, k.Name, pe.Param)
			continue
		}
		v.add(at, "%s.%s", where, pe.Error())
	}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return len(names)
}
