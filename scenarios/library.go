package scenarios

import (
	"fmt"

	"github.com/natschaos/natschaos/scenarios/library"
)

// BuiltinInfo names and describes a built-in scenario.
//
// Deprecated: use library.Info.
type BuiltinInfo = library.Info

// List returns the built-in scenarios, sorted by name.
//
// Deprecated: use library.List.
func List() []BuiltinInfo { return library.List() }

// Builtin parses the built-in scenario with that name and returns it with
// its source. Its File is "builtin:<name>".
func Builtin(name string) (*Scenario, []byte, error) {
	if !validName(name) {
		return nil, nil, fmt.Errorf("no built-in scenario %q", name)
	}
	data, err := library.Read(name)
	if err != nil {
		return nil, nil, fmt.Errorf("no built-in scenario %q%s", name, didYouMean(name, library.Names()))
	}
	s, err := Parse("builtin:"+name, data)
	if err != nil {
		return nil, data, err
	}
	return s, data, nil
}
