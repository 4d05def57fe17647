package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/natschaos/natschaos/scenarios/library"
)

// Load reads a scenario file, or a built-in scenario when no file of that
// name exists and the name is a built-in one. Errors are located
// (file:line:col) and meant for people.
func Load(fileOrName string) (*Scenario, error) {
	data, err := os.ReadFile(fileOrName)
	switch {
	case err == nil:
		return Parse(fileOrName, data)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if sc, _, berr := Builtin(fileOrName); berr == nil {
		return sc, nil
	}
	if strings.ContainsAny(fileOrName, "/.") {
		return nil, fmt.Errorf("%s: no such file", fileOrName)
	}
	return nil, fmt.Errorf("%s: no such file or built-in scenario (built-in: %s)", fileOrName, strings.Join(library.Names(), ", "))
}
