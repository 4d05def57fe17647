package scenarios

import "time"

// StepValidator is what a step's Validate sees: the scenario, the step's place
// in it and where its values were written.
type StepValidator struct {
	v     *validator
	sc    *stepCheck
	index int
	step  *Step
	where string
}

// Scenario is the scenario being validated.
func (c *StepValidator) Scenario() *Scenario { return c.v.s }

// Index is the step's index in Scenario.Steps.
func (c *StepValidator) Index() int { return c.index }

// Where names the step for messages: "steps[3].kill".
func (c *StepValidator) Where() string { return c.where }

// At is the position of the value of field (a pointer to a field of the
// step's value), else the step's key.
func (c *StepValidator) At(field any) Pos { return c.v.at(field, c.step.Pos) }

// Given reports whether field was written in the file (in a Scenario built
// in Go: whether nonzero).
func (c *StepValidator) Given(field any, nonzero bool) bool { return c.v.given(field, nonzero) }

// Failed reports whether the decoder rejected field's value (and has said why).
func (c *StepValidator) Failed(field any) bool { return c.v.failed(field) }

// Errorf records a problem at at, as "file:line:col: message".
func (c *StepValidator) Errorf(at Pos, format string, args ...any) { c.v.add(at, format, args...) }

// Server checks that field names a declared server; what names it in a
// problem ("steps[3].mystep.server").
func (c *StepValidator) Server(field *string, what string) bool {
	return c.v.serverRef(field, what, c.step.Pos)
}

// Positive checks that a duration, when written, is above zero.
func (c *StepValidator) Positive(field *time.Duration, what string) {
	c.v.positive(field, what, c.step.Pos)
}

func (c *StepValidator) notOnExternal() {
	c.v.add(c.step.Pos, "%s: not possible on an external cluster", c.where)
}

// needsCommand refuses a process step on an external cluster without the
// command that does it.
func (c *StepValidator) needsCommand(command, key string) {
	if command == "" {
		c.v.add(c.step.Pos, "%s: an external cluster runs %s through a command: set cluster.external.commands.%s (e.g. kubectl delete pod {server})", c.where, key, key)
	}
}
