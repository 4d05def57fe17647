package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// decoder fills Go values from a YAML syntax tree, driven by the `yaml`
// struct tags (the same tags the JSON Schema is generated from, so the two
// cannot drift). It never stops at the first problem: each one is recorded
// with its position and decoding goes on with the next key.
//
// It also remembers where every value came from, keyed by the address of
// the Go field, so validation can point at the offending value.
type decoder struct {
	ps      *problems
	anchors map[string]ast.Node
	valPos  map[any]Pos  // field address -> position of its value
	keyPos  map[any]Pos  // field address -> position of its key
	failed  map[any]bool // field address -> its value was rejected
	budget  int
}

// decodeBudget bounds the values decoded, so that aliases cannot expand a
// small file into a huge one.
const decodeBudget = 200_000

func newDecoder(ps *problems) *decoder {
	return &decoder{
		ps:      ps,
		anchors: map[string]ast.Node{},
		valPos:  map[any]Pos{},
		keyPos:  map[any]Pos{},
		failed:  map[any]bool{},
		budget:  decodeBudget,
	}
}

// nodeDecoder is implemented by types with a syntax of their own.
type nodeDecoder interface {
	decodeNode(d *decoder, n ast.Node, where string, at Pos)
}

// shorthander is implemented by structs that also accept a scalar, which
// sets the field with the returned key (`restart: A`).
type shorthander interface {
	shorthandField() string
}

var durationType = reflect.TypeFor[time.Duration]()

// decode fills v from n. where names the value for messages
// ("clients[0].options"); at is the position of its key, if any.
func (d *decoder) decode(n ast.Node, v reflect.Value, where string, at Pos) {
	if !d.spend(n) {
		return
	}
	n = d.resolve(n)
	if n == nil {
		d.fail(v)
		return
	}
	p := posOf(n)
	if at.IsZero() {
		at = p
	}
	t := v.Type()
	structish := t.Kind() == reflect.Struct || t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
	if isNull(n) && !structish {
		return // `key:` with no value is the same as leaving the key out
	}
	addr := v.Addr().Interface()
	d.valPos[addr] = p
	if nd, ok := addr.(nodeDecoder); ok {
		nd.decodeNode(d, n, where, at)
		return
	}
	if t == durationType {
		if dur, ok := d.duration(n, where); ok {
			v.SetInt(int64(dur))
		} else {
			d.fail(v)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, v.Elem(), where, at)
		if t.Elem().Kind() != reflect.Struct && d.failed[v.Interface()] {
			v.Set(reflect.Zero(t)) // a rejected scalar stays unset
			d.failed[addr] = true
		}
	case reflect.Struct:
		d.decodeStruct(n, v, where, at)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			hint := ""
			if s, ok := scalarText(n); ok {
				hint = fmt.Sprintf(" (write [%s])", s)
			}
			d.errorf(v, p, "%s: expected a list, got %s%s", label(where), describe(n), hint)
			return
		}
		s := reflect.MakeSlice(t, len(seq.Values), len(seq.Values))
		v.Set(s) // before filling, so the recorded addresses are final
		for i, item := range seq.Values {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", where, i), Pos{})
		}
	case reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.errorf(v, p, "%s: expected a string, got %s", label(where), describe(n))
			return
		}
		v.SetString(s)
	case reflect.Int, reflect.Int64:
		i, ok := d.integer(n, where)
		if !ok {
			d.fail(v)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		f, ok := d.number(n, where)
		if !ok {
			d.fail(v)
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.errorf(v, p, "%s: expected true or false, got %s", label(where), describe(n))
			return
		}
		v.SetBool(b.Value)
	default:
		d.errorf(v, p, "%s: cannot be set from a file", label(where))
	}
}

// decodeStruct fills a struct from a mapping, by yaml tags.
func (d *decoder) decodeStruct(n ast.Node, v reflect.Value, where string, at Pos) {
	info := fieldsOf(v.Type())
	if info.pos >= 0 {
		v.Field(info.pos).Set(reflect.ValueOf(at))
	}
	if isNull(n) {
		return
	}
	sh, short := v.Addr().Interface().(shorthander)
	if short {
		if _, ok := scalarText(n); ok {
			d.decode(n, v.Field(info.byKey[sh.shorthandField()]), where, Pos{})
			return
		}
	}
	ents, ok := d.entries(n, 0)
	if !ok {
		want := "a mapping"
		if short {
			want = "a mapping or a " + sh.shorthandField()
		}
		d.errorf(v, posOf(n), "%s: expected %s, got %s", label(where), want, describe(n))
		return
	}
	d.decodeFields(ents, v, where, nil)
}

// decodeFields fills a struct's fields from a mapping's entries, by yaml
// tags; extra holds keys the struct does not have and where they go.
func (d *decoder) decodeFields(ents []entry, v reflect.Value, where string, extra map[string]reflect.Value) {
	info := fieldsOf(v.Type())
	seen := map[string]Pos{}
	for _, e := range ents {
		f, known := extra[e.key]
		if idx, ok := info.byKey[e.key]; ok && !known {
			f, known = v.Field(idx), true
		}
		if !known && where == "" && strings.HasPrefix(e.key, "x-") {
			continue // extension keys at the top level hold anchors and notes
		}
		keys := info.keys
		for k := range extra {
			keys = append(keys[:len(keys):len(keys)], k)
		}
		if !d.admitKey(e, known, seen, where, keys) {
			continue
		}
		d.keyPos[f.Addr().Interface()] = e.keyPos
		d.decode(e.value, f, join(where, e.key), e.keyPos)
	}
}

// admitKey reports an entry whose key is unknown or repeated, and says
// whether to decode it.
func (d *decoder) admitKey(e entry, known bool, seen map[string]Pos, where string, keys []string) bool {
	if !known {
		if !e.merged {
			d.ps.add(e.keyPos, "unknown key %q%s%s", e.key, in(where), didYouMeanKey(e.key, keys))
		}
		return false
	}
	if first, dup := seen[e.key]; dup {
		if !e.merged {
			d.ps.add(e.keyPos, "duplicate key %q%s (first at line %d)", e.key, in(where), first.Line)
		}
		return false
	}
	seen[e.key] = e.keyPos
	return true
}

func (d *decoder) spend(n ast.Node) bool {
	d.budget--
	if d.budget == -1 {
		d.ps.add(posOf(n), "the file expands to more than %d values (aliases?); it is too large to check", decodeBudget)
	}
	return d.budget >= 0
}

// errorf records a problem with v's value.
func (d *decoder) errorf(v reflect.Value, at Pos, format string, args ...any) {
	d.ps.add(at, format, args...)
	d.fail(v)
}

func (d *decoder) fail(v reflect.Value) {
	if v.CanAddr() {
		d.failed[v.Addr().Interface()] = true
	}
}

func (d *decoder) duration(n ast.Node, where string) (time.Duration, bool) {
	if i, ok := n.(*ast.IntegerNode); ok && i.GetToken() != nil && i.GetToken().Value == "0" {
		return 0, true
	}
	s, ok := scalarText(n)
	if !ok {
		d.ps.add(posOf(n), "%s: expected a duration like 2s, got %s", label(where), describe(n))
		return 0, false
	}
	dur, err := parseDuration(s)
	if err != nil {
		d.ps.add(posOf(n), "%s: %v", label(where), err)
		return 0, false
	}
	return dur, true
}

func (d *decoder) integer(n ast.Node, where string) (int64, bool) {
	if i, ok := n.(*ast.IntegerNode); ok {
		switch x := i.Value.(type) {
		case int64:
			return x, true
		case int:
			return int64(x), true
		case uint64:
			if x <= 1<<63-1 {
				return int64(x), true
			}
		}
		d.ps.add(posOf(n), "%s: %s is out of range", label(where), tokenText(n))
		return 0, false
	}
	if s, ok := n.(*ast.StringNode); ok {
		if _, err := strconv.ParseFloat(s.Value, 64); err == nil && strings.Trim(s.Value, "+-0123456789") == "" {
			d.ps.add(posOf(n), "%s: %s is out of range", label(where), s.Value)
			return 0, false
		}
	}
	d.ps.add(posOf(n), "%s: expected an integer, got %s", label(where), describe(n))
	return 0, false
}

func (d *decoder) number(n ast.Node, where string) (float64, bool) {
	switch x := n.(type) {
	case *ast.FloatNode:
		return x.Value, true
	case *ast.IntegerNode:
		i, ok := d.integer(n, where)
		return float64(i), ok
	}
	d.ps.add(posOf(n), "%s: expected a number, got %s", label(where), describe(n))
	return 0, false
}

// fieldInfo maps a struct's yaml keys to its fields.
type fieldInfo struct {
	byKey map[string]int
	keys  []string // in declaration order, for hints
	pos   int      // index of the Pos field, or -1
}

var fieldCache sync.Map // reflect.Type -> *fieldInfo

func fieldsOf(t reflect.Type) *fieldInfo {
	if fi, ok := fieldCache.Load(t); ok {
		return fi.(*fieldInfo)
	}
	fi := &fieldInfo{byKey: map[string]int{}, pos: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type == reflect.TypeFor[Pos]() && f.Name == "Pos" {
			fi.pos = i
		}
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !f.IsExported() {
			continue
		}
		fi.byKey[key] = i
		fi.keys = append(fi.keys, key)
	}
	fieldCache.Store(t, fi)
	return fi
}
