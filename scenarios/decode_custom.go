package scenarios

import (
	"reflect"

	"github.com/goccy/go-yaml/ast"
)

// Types with a syntax of their own.

// decodeNode reads a step: a mapping with exactly one key, the step kind.
func (s *Step) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	s.Pos = at
	keys := StepKeys()
	if isNull(n) {
		d.ps.add(at, "%s: empty step; write a one-key map like `kill: A`", where)
		return
	}
	if text, ok := scalarText(n); ok {
		hint := ""
		if _, known := stepKinds[text]; known {
			hint = " (" + text + " needs a value, like `" + text + ": ...`)"
		} else if k := suggest(text, keys); k != "" {
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
	kind, known := stepKinds[e.key]
	if !known {
		d.ps.add(e.keyPos, "%s: unknown step %q%s", where, e.key, didYouMean(e.key, keys))
		return
	}
	s.Action = kind.make()
	d.keyPos[s.Action] = e.keyPos
	d.decode(e.value, reflect.ValueOf(s.Action).Elem(), join(where, e.key), e.keyPos)
	if isNull(d.resolve(e.value)) {
		d.ps.add(e.keyPos, "%s: %s needs a value", where, e.key)
	}
}

// keyHint explains a common mistake: parameters of a step written beside it
// instead of inside it (`- wait: mesh` then `  timeout: 5s`).
func keyHint(key, step string) string {
	kind, known := stepKinds[step]
	if !known {
		return ""
	}
	if _, ok := fieldsOf(kind.typ).byKey[key]; ok {
		return "; or, if " + key + " belongs to " + step + ", indent it under " + step
	}
	return ""
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
