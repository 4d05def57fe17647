package scenarios

import "context"

func init() {
	RegisterStep[Kill]("kill", "Abrupt: the process dies, sockets close.")
}

// Kill is `kill: <server>`. Abrupt: the process dies, sockets close.
type Kill struct{ ServerStep }

// Validate checks the server against what the steps before did to it.
func (s *Kill) Validate(c *StepValidator) { c.v.lifecycle(c, &s.Server, "kill") }

// Run kills the server.
func (s *Kill) Run(_ context.Context, env *StepEnv) error {
	return env.ClusterOf(s.Server).Kill(s.Server)
}

// Describe is "kill: <server>".
func (s *Kill) Describe() string { return "kill: " + s.Server }

func (s *Kill) checkExternal(c *StepValidator, x *External, _ map[string]bool) {
	c.needsCommand(x.Commands.Kill, "kill")
}
