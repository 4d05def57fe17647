package scenarios

import (
	"reflect"

	"github.com/goccy/go-yaml/ast"
)

// ServerStep is the value of the steps that take only a server's name
// (start, stop, kill, lame_duck, remove): `kill: A`. Each of those embeds it.
type ServerStep struct {
	Server string
	Pos    Pos
}

func (s *ServerStep) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	s.Pos = at
	d.decode(n, reflect.ValueOf(&s.Server).Elem(), where, at)
}

func (s *ServerStep) server() string { return s.Server }

// Marshal writes the server's name.
func (s *ServerStep) Marshal(*Scenario) any { return s.Server }
