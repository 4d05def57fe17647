package scenarios

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// MaxFileSize bounds the input Parse accepts; scenario files are a few KB.
const MaxFileSize = 1 << 20

// maxNesting bounds how deeply collections may nest. The deepest the format
// needs is five; the limit keeps pathological input from making the YAML
// parser crawl.
const maxNesting = 32

// Parse reads, checks and completes a scenario file. filename is only used
// in messages. On any problem it returns a *ValidationError listing every
// problem found, each as file:line:col: message. Defaults (see the Default*
// constants) are filled in the returned Scenario. Parse never panics.
func Parse(filename string, data []byte) (s *Scenario, err error) {
	ps := &problems{file: filename}
	defer func() {
		if r := recover(); r != nil {
			ps.add(Pos{}, "internal error while reading the file (please report it with the file): %v", r)
			s, err = nil, ps.err()
		}
	}()
	root := parseYAML(data, ps)
	if root == nil {
		return nil, ps.err()
	}
	d := newDecoder(ps)
	d.collectAnchors(root, 0)
	s = &Scenario{File: filename}
	d.decode(root, reflect.ValueOf(s).Elem(), "", Pos{})
	validate(s, ps, d)
	if err := ps.err(); err != nil {
		return nil, err
	}
	s.applyDefaults()
	return s, nil
}

// parseYAML returns the body of the file's single document, or nil after
// recording why there is none.
func parseYAML(data []byte, ps *problems) ast.Node {
	if len(data) > MaxFileSize {
		ps.add(Pos{}, "the file is %d bytes; a scenario may have at most %d", len(data), MaxFileSize)
		return nil
	}
	if at, ok := tooDeep(data); ok {
		ps.add(at, "collections nest more than %d deep", maxNesting)
		return nil
	}
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		syntaxProblem(err, ps)
		return nil
	}
	var docs []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && !isNilNode(doc.Body) {
			docs = append(docs, doc)
		}
	}
	switch {
	case len(docs) == 0:
		ps.add(fileStart, "the file is empty: a scenario needs at least name and cluster")
		return nil
	case len(docs) > 1:
		ps.add(posOf(docs[1].Body), "a scenario file holds one YAML document; remove the ---")
		return nil
	}
	body := docs[0].Body
	if _, ok := resolveForRoot(body).(*ast.MappingNode); !ok {
		ps.add(posOf(body), "a scenario file is a mapping with name, cluster, clients, steps and expect; got %s", describe(body))
		return nil
	}
	return body
}

func resolveForRoot(n ast.Node) ast.Node {
	for {
		switch x := n.(type) {
		case *ast.TagNode:
			n = x.Value
		case *ast.AnchorNode:
			n = x.Value
		case *ast.MappingValueNode:
			return &ast.MappingNode{Values: []*ast.MappingValueNode{x}}
		default:
			return n
		}
	}
}

// syntaxProblem turns a YAML parser error into a positioned problem.
func syntaxProblem(err error, ps *problems) {
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		at := Pos{}
		if tk := yerr.GetToken(); tk != nil && tk.Position != nil {
			at = Pos{Line: tk.Position.Line, Col: tk.Position.Column}
		}
		ps.add(at, "YAML syntax: %s", yerr.GetMessage())
		return
	}
	ps.add(Pos{}, "YAML syntax: %v", err)
}

// tooDeep estimates nesting without parsing: open brackets (outside
// comments) and compact "- - -" or "? ?" indicators at the start of a line.
// It over-counts brackets inside quoted strings, which is harmless at this
// limit.
func tooDeep(data []byte) (Pos, bool) {
	depth, line, col := 0, 1, 0
	lineStart, comment := true, false
	compact := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		col++
		if c == '\n' {
			line, col, lineStart, comment, compact = line+1, 0, true, false, 0
			continue
		}
		if comment {
			continue
		}
		switch {
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			comment = true
		case c == '[' || c == '{':
			depth++
			if depth > maxNesting {
				return Pos{Line: line, Col: col}, true
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
		if lineStart {
			switch {
			case c == ' ' || c == '\t':
			case (c == '-' || c == '?' || c == ':') && i+1 < len(data) && (data[i+1] == ' ' || data[i+1] == '\t'):
				compact++
				if compact > maxNesting {
					return Pos{Line: line, Col: col}, true
				}
			default:
				lineStart = false
			}
		}
	}
	return Pos{}, false
}

// Where formats a position in this scenario's file as file:line:col.
func (s *Scenario) Where(p Pos) string {
	file := s.File
	if file == "" {
		file = s.Name
	}
	if p.IsZero() {
		return file
	}
	return fmt.Sprintf("%s:%d:%d", file, p.Line, p.Col)
}
