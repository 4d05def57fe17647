package scenarios

import "context"

func init() {
	RegisterStep[Stop]("stop", "Graceful shutdown.")
}

// Stop is `stop: <server>`. A graceful shutdown.
type Stop struct{ ServerStep }

// Validate checks the server against what the steps before did to it.
func (s *Stop) Validate(c *StepValidator) { c.v.lifecycle(c, &s.Server, "stop") }

// Run stops the server.
func (s *Stop) Run(_ context.Context, env *StepEnv) error {
	return env.ClusterOf(s.Server).Stop(s.Server)
}

// Describe is "stop: <server>".
func (s *Stop) Describe() string { return "stop: " + s.Server }

func (s *Stop) checkExternal(c *StepValidator, x *External, _ map[string]bool) {
	c.needsCommand(x.Commands.Stop, "stop")
}
