package scenarios

import (
	"reflect"
	"strconv"

	"github.com/goccy/go-yaml/ast"
)

// Reading goccy/go-yaml's syntax tree: mappings with merge keys expanded,
// anchors and aliases resolved, scalars' text and positions, and the words
// messages use for nodes and paths.

// entry is one key of a mapping, merge keys (`<<: *base`) expanded.
type entry struct {
	key    string
	keyPos Pos
	value  ast.Node
	merged bool // came from a merge key: explicit keys win over it
}

// entries lists a mapping's keys: its own first, then merged ones.
func (d *decoder) entries(n ast.Node, depth int) ([]entry, bool) {
	var mvs []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		mvs = m.Values
	case *ast.MappingValueNode:
		mvs = []*ast.MappingValueNode{m}
	default:
		return nil, false
	}
	var own, merged []entry
	for _, mv := range mvs {
		if mv == nil || mv.Key == nil {
			continue
		}
		key := d.resolve(mv.Key)
		if key == nil {
			continue
		}
		if _, ok := key.(*ast.MergeKeyNode); ok {
			merged = append(merged, d.mergeEntries(mv.Value, depth)...)
			continue
		}
		text, ok := scalarText(key)
		if !ok {
			d.ps.add(posOf(key), "a key must be a plain word, got %s", describe(key))
			continue
		}
		own = append(own, entry{key: text, keyPos: posOf(key), value: mv.Value})
	}
	// Merged keys lose to the mapping's own and to earlier merges; dropping
	// them here keeps nested merges from multiplying.
	seen := make(map[string]bool, len(own))
	for _, e := range own {
		seen[e.key] = true
	}
	for _, e := range merged {
		if !seen[e.key] {
			seen[e.key] = true
			own = append(own, e)
		}
	}
	return own, true
}

// mergeEntries expands the value of a merge key: a mapping or a list of them.
func (d *decoder) mergeEntries(n ast.Node, depth int) []entry {
	if depth > 8 {
		d.ps.add(posOf(n), "merge keys nested too deep")
		return nil
	}
	n = d.resolve(n)
	if n == nil {
		return nil
	}
	var sources []ast.Node
	if seq, ok := n.(*ast.SequenceNode); ok {
		sources = seq.Values
	} else {
		sources = []ast.Node{n}
	}
	var out []entry
	for _, src := range sources {
		if !d.spend(src) {
			return out
		}
		src = d.resolve(src)
		if src == nil {
			continue
		}
		ents, ok := d.entries(src, depth+1)
		if !ok {
			d.ps.add(posOf(src), "<< merges mappings, got %s", describe(src))
			continue
		}
		for _, e := range ents {
			e.merged = true
			out = append(out, e)
		}
	}
	return out
}

// resolve looks through tags, anchors and aliases to the node they stand for.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range 16 {
		switch x := n.(type) {
		case nil:
			return nil
		case *ast.TagNode:
			n = x.Value
		case *ast.AnchorNode:
			n = x.Value
		case *ast.MappingKeyNode:
			n = x.Value
		case *ast.AliasNode:
			name, _ := scalarText(x.Value)
			target, ok := d.anchors[name]
			if !ok {
				d.ps.add(posOf(x), "unknown alias *%s: no anchor &%s before it", name, name)
				return nil
			}
			n = target
		default:
			if isNilNode(n) {
				return nil
			}
			return n
		}
		if isNilNode(n) {
			return nil
		}
	}
	return nil
}

// collectAnchors records every anchor of the document (a later anchor of the
// same name replaces an earlier one).
func (d *decoder) collectAnchors(n ast.Node, depth int) {
	if isNilNode(n) || depth > 1000 {
		return
	}
	switch x := n.(type) {
	case *ast.DocumentNode:
		d.collectAnchors(x.Body, depth+1)
	case *ast.AnchorNode:
		if name, ok := scalarText(x.Name); ok {
			d.anchors[name] = x.Value
		}
		d.collectAnchors(x.Value, depth+1)
	case *ast.TagNode:
		d.collectAnchors(x.Value, depth+1)
	case *ast.MappingKeyNode:
		d.collectAnchors(x.Value, depth+1)
	case *ast.MappingNode:
		for _, mv := range x.Values {
			d.collectAnchors(mv, depth+1)
		}
	case *ast.MappingValueNode:
		d.collectAnchors(x.Key, depth+1)
		d.collectAnchors(x.Value, depth+1)
	case *ast.SequenceNode:
		for _, item := range x.Values {
			d.collectAnchors(item, depth+1)
		}
	}
}

func isNull(n ast.Node) bool {
	_, ok := n.(*ast.NullNode)
	return ok
}

func isNilPointer(x any) bool {
	v := reflect.ValueOf(x)
	return !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil()
}

// isNilNode catches typed nil pointers inside the ast.Node interface.
func isNilNode(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// scalarText returns a scalar's text as written (numbers and booleans too,
// so that a server may be called 1).
func scalarText(n ast.Node) (string, bool) {
	if isNilNode(n) {
		return "", false
	}
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.LiteralNode:
		if x.Value == nil {
			return "", true
		}
		return x.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return tokenText(n), true
	}
	return "", false
}

func tokenText(n ast.Node) string {
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

func posOf(n ast.Node) Pos {
	if isNilNode(n) {
		return Pos{}
	}
	switch x := n.(type) {
	case *ast.DocumentNode:
		return posOf(x.Body)
	case *ast.MappingNode:
		// A block mapping's token is its first colon; point at the first key.
		if !x.IsFlowStyle && len(x.Values) > 0 && x.Values[0] != nil {
			return posOf(x.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return posOf(x.Key)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{}
	}
	return Pos{Line: tk.Position.Line, Col: tk.Position.Column}
}

// describe names a node's kind and value for "expected X, got Y" messages.
func describe(n ast.Node) string {
	switch x := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "nothing"
	case *ast.BoolNode:
		return strconv.FormatBool(x.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "the number " + tokenText(n)
	}
	if s, ok := scalarText(n); ok {
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		return strconv.Quote(s)
	}
	return "something else"
}

func label(where string) string {
	if where == "" {
		return "the file"
	}
	return where
}

func in(where string) string {
	if where == "" {
		return ""
	}
	return " in " + where
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}
