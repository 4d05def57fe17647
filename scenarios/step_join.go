package scenarios

import (
	"context"
	"fmt"
)

func init() {
	RegisterStep[Join]("join", "More clients of a group connect, with the group's servers, options, subscriptions and publishing.")
}

// Clients names some clients of a group: `join: {group: subs, count: 20}`.
// `join: subs` is short for one client.
type Clients struct {
	Group string `yaml:"group" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Count is how many (default 1); --clients-scale scales it as it
	// scales the group.
	Count int `yaml:"count" jsonschema:"minimum=1" jsonschema_description:"How many clients (default 1); --clients-scale scales it."`

	Pos Pos `yaml:"-"`
}

// Join is `join: <clients>`: more clients of a group connect.
type Join Clients

func (*Join) shorthandField() string { return "group" }

// Validate checks the group and counts the clients present after it.
func (j *Join) Validate(c *StepValidator) {
	if n, ok := c.v.clientsStep((*Clients)(j), c.where); ok {
		c.sc.present[j.Group] += n
	}
}

// Run connects the clients.
func (j *Join) Run(ctx context.Context, env *StepEnv) error {
	return env.r.fleet.Join(ctx, j.Group, scaledCount(j.Count, env.r.opts.ClientsScale))
}

// Describe is "join: 20 of subs".
func (j *Join) Describe() string { return fmt.Sprintf("join: %d of %s", max(j.Count, 1), j.Group) }

// Marshal writes the group, with its count when above one.
func (j *Join) Marshal(*Scenario) any { return (*Clients)(j).marshal() }

func (c *Clients) marshal() any {
	if c.Count <= 1 {
		return c.Group
	}
	return mapping{}.add("group", c.Group).add("count", c.Count).flow()
}
