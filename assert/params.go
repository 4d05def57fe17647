package assert

import (
	"errors"
	"fmt"
)

// A property's parameter struct is what a scenario file writes under
// `expect.<name>`: its yaml tags are the keys, a `jsonschema:"required"`
// tag marks a key the file must write, an optional `Validate() error`
// method checks the values and an optional `SetDefaults()` method (on the
// pointer) fills the values a file may leave out, and an optional
// `Doc() string` says in one line what the property judges (the scenario
// schema shows it). NewParams applies the defaults, so the runner, its
// waits and the checker all see the same values.

// ParamError is a problem with one parameter, named by its yaml key, so a
// scenario's reader can point at the value.
type ParamError struct {
	Param string // the yaml key
	Msg   string // follows the key: "must be > 0, got 0s"
}

func (e *ParamError) Error() string { return e.Param + " " + e.Msg }

// paramErrorf is a ParamError for key.
func paramErrorf(key, format string, args ...any) error {
	return &ParamError{Param: key, Msg: fmt.Sprintf(format, args...)}
}

// ParamErrors lists the problems in err, a Validate result: ParamErrors
// where they name a parameter, other errors as they are.
func ParamErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, ParamErrors(e)...)
		}
		return out
	}
	var pe *ParamError
	if errors.As(err, &pe) {
		return []error{pe}
	}
	return []error{err}
}

// defaulter fills a parameter struct's defaults.
type defaulter interface{ SetDefaults() }
