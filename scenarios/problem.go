package scenarios

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a scenario file. Line and Col count from 1; a zero
// Pos means "unknown" (a Scenario built in Go rather than parsed).
type Pos struct {
	Line int
	Col  int
}

// IsZero reports whether the position is unknown.
func (p Pos) IsZero() bool { return p.Line == 0 }

func (p Pos) String() string {
	if p.IsZero() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// before orders positions, unknown ones last.
func (p Pos) before(q Pos) bool {
	switch {
	case p.IsZero() != q.IsZero():
		return !p.IsZero()
	case p.Line != q.Line:
		return p.Line < q.Line
	default:
		return p.Col < q.Col
	}
}

// Problem is one thing wrong with a scenario file.
type Problem struct {
	File string
	Line int
	Col  int
	Msg  string
}

// Pos returns the problem's position.
func (p Problem) Pos() Pos { return Pos{Line: p.Line, Col: p.Col} }

// String formats the problem as "file:line:col: message", the form editors
// and CI logs link to.
func (p Problem) String() string {
	file := p.File
	if file == "" {
		file = "<scenario>"
	}
	if p.Line == 0 {
		return file + ": " + p.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", file, p.Line, p.Col, p.Msg)
}

// ValidationError holds every problem found in a scenario file, sorted by
// position. Its Error method prints one problem a line.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// maxProblems bounds the report: past it the file is hopeless and a longer
// list helps nobody (and an alias bomb could make it huge).
const maxProblems = 100

// problems collects problems for one file.
type problems struct {
	file    string
	list    []Problem
	dropped int
}

func (ps *problems) add(at Pos, format string, args ...any) {
	if len(ps.list) >= maxProblems {
		ps.dropped++
		return
	}
	ps.list = append(ps.list, Problem{File: ps.file, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf(format, args...)})
}

// err returns nil when nothing was found, else a *ValidationError sorted by
// position with exact duplicates removed.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := append([]Problem(nil), ps.list...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Pos().before(list[j].Pos()) })
	seen := make(map[Problem]bool, len(list))
	out := list[:0]
	for _, p := range list {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if ps.dropped > 0 {
		out = append(out, Problem{File: ps.file, Msg: fmt.Sprintf("%d more problems not shown", ps.dropped)})
	}
	return &ValidationError{Problems: out}
}
