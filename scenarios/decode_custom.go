package scenarios

import (
	"reflect"

	"github.com/goccy/go-yaml/ast"
)

// Types with a syntax of their own.

// decodeNode reads a step: a mapping with exactly one key, the step kind.
func (s *Step) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	s.Pos = at
	stepKinds := yamlKeys(Step{})
	if isNull(n) {
		d.ps.add(at, "%s: empty step; write a one-key map like `kill: A`", where)
		return
	}
	if text, ok := scalarText(n); ok {
		hint := ""
		if stepKindOf(text) != StepInvalid {
			hint = " (" + text + " needs a value, like `" + text + ": ...`)"
		} else if k := suggest(text, stepKinds); k != "" {
			hint = "; did you mean `" + k + ": ...`?"
		}
		d.ps.add(posOf(n), "%s: a step is a one-key map like `kill: A`, got %s%s", where, describe(n), hint)
		return
	}
	ents, ok := d.entries(n, 0)
	if !ok {
		d.ps.add(posOf(n), "%s: a step is a one-key map like `kill: A`, got %s", where, describe(n))
		return
	}
	if len(ents) == 0 {
		d.ps.add(posOf(n), "%s: empty step; write a one-key map like `kill: A`", where)
		return
	}
	for _, e := range ents[1:] {
		d.ps.add(e.keyPos, "%s: a step has exactly one key, but %q follows %q; start each step with its own \"- \"%s",
			where, e.key, ents[0].key, keyHint(e.key, ents[0].key))
	}
	e := ents[0]
	s.Pos = e.keyPos
	s.Kind = stepKindOf(e.key)
	if s.Kind == StepInvalid {
		d.ps.add(e.keyPos, "%s: unknown step %q%s", where, e.key, didYouMean(e.key, stepKinds))
		return
	}
	f := reflect.ValueOf(s).Elem().Field(fieldsOf(reflect.TypeFor[Step]()).byKey[e.key])
	d.keyPos[f.Addr().Interface()] = e.keyPos
	d.decode(e.value, f, join(where, e.key), e.keyPos)
	if isNull(d.resolve(e.value)) {
		d.ps.add(e.keyPos, "%s: %s needs a value", where, e.key)
	}
}

// keyHint explains a common mistake: parameters of a step written beside it
// instead of inside it (`- wait: mesh` then `  timeout: 5s`).
func keyHint(key, step string) string {
	k := stepKindOf(step)
	if k == StepInvalid {
		return ""
	}
	t := reflect.TypeFor[Step]().Field(fieldsOf(reflect.TypeFor[Step]()).byKey[step]).Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		if _, ok := fieldsOf(t).byKey[key]; ok {
			return "; or, if " + key + " belongs to " + step + ", indent it under " + step
		}
	}
	return ""
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

func (b *ByteSize) decodeNode(d *decoder, n ast.Node, where string, _ Pos) {
	if _, ok := n.(*ast.IntegerNode); ok {
		i, ok := d.integer(n, where)
		if !ok {
			d.failed[b] = true
		}
		*b = ByteSize(i)
		return
	}
	s, ok := n.(*ast.StringNode)
	if !ok {
		d.ps.add(posOf(n), "%s: expected a size like 128 or 8MB, got %s", where, describe(n))
		d.failed[b] = true
		return
	}
	v, err := ParseByteSize(s.Value)
	if err != nil {
		d.ps.add(posOf(n), "%s: %v", where, err)
		d.failed[b] = true
		return
	}
	*b = v
}

func (r *Rate) decodeNode(d *decoder, n ast.Node, where string, _ Pos) {
	s, ok := n.(*ast.StringNode)
	if !ok {
		hint := ""
		if _, num := n.(*ast.IntegerNode); num {
			hint = " (write " + tokenText(n) + "/s)"
		}
		d.ps.add(posOf(n), "%s: expected a rate like 500/s, got %s%s", where, describe(n), hint)
		d.failed[r] = true
		return
	}
	v, err := ParseRate(s.Value)
	if err != nil {
		d.ps.add(posOf(n), "%s: %v", where, err)
		d.failed[r] = true
		return
	}
	*r = v
}

func (r *ByteRate) decodeNode(d *decoder, n ast.Node, where string, _ Pos) {
	s, ok := n.(*ast.StringNode)
	if !ok {
		d.ps.add(posOf(n), "%s: expected a byte rate like 64KB/s, got %s", where, describe(n))
		d.failed[r] = true
		return
	}
	v, err := ParseByteRate(s.Value)
	if err != nil {
		d.ps.add(posOf(n), "%s: %v", where, err)
		d.failed[r] = true
		return
	}
	*r = v
}
