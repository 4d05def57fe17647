package scenarios

import "context"

func init() {
	RegisterStep[LameDuck]("lame_duck", "Enter lame duck mode and return at once; the server exits when it ends.")
}

// LameDuck is `lame_duck: <server>`. Enter lame duck mode and return at once; the server exits when lame duck ends.
type LameDuck struct{ ServerStep }

// Validate checks the server against what the steps before did to it.
func (s *LameDuck) Validate(c *StepValidator) { c.v.lifecycle(c, &s.Server, "lame_duck") }

// Run puts the server in lame duck mode.
func (s *LameDuck) Run(_ context.Context, env *StepEnv) error {
	return env.ClusterOf(s.Server).LameDuck(s.Server)
}

// Describe is "lame_duck: <server>".
func (s *LameDuck) Describe() string { return "lame_duck: " + s.Server }

func (s *LameDuck) checkExternal(c *StepValidator, x *External, _ map[string]bool) {
	c.needsCommand(x.Commands.LameDuck, "lame_duck")
}
