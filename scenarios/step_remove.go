package scenarios

import "context"

func init() {
	RegisterStep[Remove]("remove", "Stop a server if it runs (gracefully) and remove it from the cluster for good.")
}

// Remove is `remove: <server>`. Stop the server if it runs (gracefully) and remove it from the cluster for good.
type Remove struct{ ServerStep }

// Validate checks the server against what the steps before did to it.
func (s *Remove) Validate(c *StepValidator) { c.v.lifecycle(c, &s.Server, "remove") }

// Run removes the server.
func (s *Remove) Run(_ context.Context, env *StepEnv) error {
	return env.ClusterOf(s.Server).Remove(s.Server)
}

// Describe is "remove: <server>".
func (s *Remove) Describe() string { return "remove: " + s.Server }

func (s *Remove) checkExternal(c *StepValidator, _ *External, _ map[string]bool) { c.notOnExternal() }
