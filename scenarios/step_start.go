package scenarios

import "context"

func init() {
	RegisterStep[Start]("start", "Start a declared server that is not running.")
}

// Start is `start: <server>`. Start a declared server that is not running.
type Start struct{ ServerStep }

// Validate checks the server against what the steps before did to it.
func (s *Start) Validate(c *StepValidator) { c.v.lifecycle(c, &s.Server, "start") }

// Run starts the server.
func (s *Start) Run(_ context.Context, env *StepEnv) error {
	return env.ClusterOf(s.Server).Start(s.Server)
}

// Describe is "start: <server>".
func (s *Start) Describe() string { return "start: " + s.Server }

func (s *Start) checkExternal(c *StepValidator, _ *External, _ map[string]bool) { c.notOnExternal() }
