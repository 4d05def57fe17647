package library

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// The built-in scenarios: <name>.yaml in this folder.
//
//go:embed *.yaml
var files embed.FS

// Info names and describes a built-in scenario.
type Info struct {
	Name string
	// Description is the file's description key.
	Description string
}

// Names returns the built-in scenarios' names, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// List returns the built-in scenarios with their descriptions, sorted by
// name. A file whose description cannot be read has none.
func List() []Info {
	var out []Info
	for _, name := range Names() {
		info := Info{Name: name}
		if data, err := Read(name); err == nil {
			var head struct {
				Description string `yaml:"description"`
			}
			if yaml.Unmarshal(data, &head) == nil {
				info.Description = head.Description
			}
		}
		out = append(out, info)
	}
	return out
}

// Read returns the source of the built-in scenario with that name. An
// unknown name is an error wrapping fs.ErrNotExist.
func Read(name string) ([]byte, error) {
	// A name is one file of this folder, never a path.
	data, err := files.ReadFile(name + ".yaml")
	if err != nil || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("no built-in scenario %q: %w", name, fs.ErrNotExist)
	}
	return data, nil
}
