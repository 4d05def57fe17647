package scenarios

import (
	"context"
	"time"
)

func init() {
	RegisterStep[Freeze]("freeze", "The server stops answering but keeps its sockets open.")
}

// Freeze makes a server stop answering while keeping its sockets open.
// `freeze: B` is short for `freeze: {server: B}`.
type Freeze struct {
	Server string `yaml:"server" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Duration, when set, thaws the server after it; else a heal step does.
	Duration time.Duration `yaml:"duration" jsonschema_description:"Absent: until a heal step."`
	Name     string        `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Name for heal."`

	Pos Pos `yaml:"-"`
}

func (*Freeze) shorthandField() string { return "server" }

func (f *Freeze) server() string { return f.Server }

// Validate checks that the server runs, the duration and the name.
func (f *Freeze) Validate(c *StepValidator) {
	v, where := c.v, c.where
	if v.serverRef(&f.Server, where, f.Pos) {
		if ss := c.sc.state[f.Server]; !ss.running {
			v.add(v.at(&f.Server, f.Pos), "%s: server %q is not running (%s)", where, f.Server, v.why(ss))
		}
	}
	v.positive(&f.Duration, where+".duration", f.Pos)
	v.faultName(c.sc, &f.Name, c.index, where, f.Pos)
	c.sc.faults = append(c.sc.faults, c.index)
}

// Run freezes the server; a server run as a process is also suspended.
func (f *Freeze) Run(_ context.Context, env *StepEnv) error {
	id, err := env.r.layer.Freeze(f.Server, f.Duration)
	env.injected(id)
	if err == nil {
		env.r.suspend(id, f.Server)
	}
	return err
}

// Describe is "freeze: B for 3s".
func (f *Freeze) Describe() string { return "freeze: " + f.Server + forDuration(f.Duration) }

// Marshal writes the freeze on one line.
func (f *Freeze) Marshal(*Scenario) any {
	return mapping{}.add("server", f.Server).dur("duration", f.Duration).str("name", f.Name).flow()
}

func (f *Freeze) injects() (forced, bool) {
	return forced{what: "freeze of " + f.Server, dur: f.Duration, routes: true, cuts: true, freezes: true, routeLinks: true}, true
}

func (f *Freeze) clientProxies() bool { return true }

func (f *Freeze) checkExternal(c *StepValidator, _ *External, _ map[string]bool) { c.notOnExternal() }
