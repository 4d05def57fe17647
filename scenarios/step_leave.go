package scenarios

import (
	"context"
	"fmt"
)

func init() {
	RegisterStep[Leave]("leave", "Clients of a group close on purpose, the most recently joined first; nothing more is expected of them.")
}

// Leave is `leave: <clients>`: clients of a group close on purpose, the
// most recently joined first.
type Leave Clients

func (*Leave) shorthandField() string { return "group" }

// Validate checks the group and that as many clients are present.
func (l *Leave) Validate(c *StepValidator) {
	n, ok := c.v.clientsStep((*Clients)(l), c.where)
	if !ok {
		return
	}
	if have := c.sc.present[l.Group]; n > have {
		c.v.add(c.v.at(&l.Count, l.Pos), "%s.count: %d clients of %q cannot leave: %d are present here", c.where, n, l.Group, have)
		return
	}
	c.sc.present[l.Group] -= n
}

// Run closes the clients.
func (l *Leave) Run(_ context.Context, env *StepEnv) error {
	_, err := env.r.fleet.Leave(l.Group, scaledCount(l.Count, env.r.opts.ClientsScale))
	return err
}

// Describe is "leave: 5 of subs".
func (l *Leave) Describe() string { return fmt.Sprintf("leave: %d of %s", max(l.Count, 1), l.Group) }

// Marshal writes the group, with its count when above one.
func (l *Leave) Marshal(*Scenario) any { return (*Clients)(l).marshal() }
