package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// The built-in scenarios: library/<name>.yaml.
//
//go:embed library/*.yaml
var library embed.FS

// BuiltinInfo names and describes a built-in scenario.
type BuiltinInfo struct {
	Name        string
	Description string
}

// List returns the built-in scenarios, sorted by name.
func List() []BuiltinInfo {
	entries, _ := fs.ReadDir(library, "library")
	var out []BuiltinInfo
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok {
			continue
		}
		info := BuiltinInfo{Name: name}
		if s, _, err := Builtin(name); err == nil {
			info.Description = s.Description
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Builtin parses the built-in scenario with that name and returns it with
// its source. Its File is "builtin:<name>".
func Builtin(name string) (*Scenario, []byte, error) {
	if !validName(name) {
		return nil, nil, fmt.Errorf("no built-in scenario %q", name)
	}
	data, err := library.ReadFile(path.Join("library", name+".yaml"))
	if err != nil {
		var names []string
		for _, b := range List() {
			names = append(names, b.Name)
		}
		return nil, nil, fmt.Errorf("no built-in scenario %q%s", name, didYouMean(name, names))
	}
	s, err := Parse("builtin:"+name, data)
	if err != nil {
		return nil, data, err
	}
	return s, data, nil
}
