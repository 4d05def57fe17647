package scenarios

import (
	"context"
	"fmt"
)

func init() {
	RegisterStep[Restart]("restart", "Stop (waiting for a lame duck server to exit) and start again, maybe as another version.")
}

// Restart stops a server and starts it again. `restart: A` is short for
// `restart: {server: A}`.
type Restart struct {
	Server string `yaml:"server" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Version, when set, restarts as that release: an upgrade or downgrade.
	Version string `yaml:"version" jsonschema:"pattern=^(embedded|v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?)$"`

	Pos Pos `yaml:"-"`
}

func (*Restart) shorthandField() string { return "server" }

func (r *Restart) server() string { return r.Server }

// Validate checks the server and the version.
func (r *Restart) Validate(c *StepValidator) {
	v, where := c.v, c.where
	if v.serverRef(&r.Server, where, r.Pos) && !v.removed(c.sc, r.Server, v.at(&r.Server, r.Pos), where) {
		*c.sc.state[r.Server] = serverState{running: true, how: "restarted", since: c.step.Pos}
	}
	v.version(&r.Version, where+".version", r.Pos)
}

// Run restarts the server, as the declared version if any.
func (r *Restart) Run(_ context.Context, env *StepEnv) error {
	return env.ClusterOf(r.Server).Restart(r.Server, engineVersion(r.Version))
}

// Describe is "restart: A" or "restart: A as v2.10.0".
func (r *Restart) Describe() string {
	if r.Version != "" {
		return fmt.Sprintf("restart: %s as %s", r.Server, r.Version)
	}
	return "restart: " + r.Server
}

// Marshal writes the server alone, or with its version.
func (r *Restart) Marshal(*Scenario) any {
	if r.Version == "" {
		return r.Server
	}
	return mapping{}.add("server", r.Server).add("version", r.Version).flow()
}

func (r *Restart) checkExternal(c *StepValidator, x *External, _ map[string]bool) {
	if r.Version != "" {
		c.v.add(c.step.Pos, "%s: an external server cannot be restarted as another version", c.where)
	}
	if x.Commands.Restart == "" && x.Commands.Kill == "" && x.Commands.Stop == "" {
		c.v.add(c.step.Pos, "%s: an external cluster restarts through commands: set cluster.external.commands.stop (or kill) and restart", c.where)
	}
}
