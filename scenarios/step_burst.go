package scenarios

import (
	"context"
	"fmt"
)

func init() {
	RegisterStep[Burst]("burst", "Every publisher of a group sends this many messages at once, on top of its rate.")
}

// Burst makes every publisher of a group send Messages at once, back to
// back, on top of its rate.
type Burst struct {
	Group    string `yaml:"group" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Messages int    `yaml:"messages" jsonschema:"required,minimum=1" jsonschema_description:"Messages each publisher of the group sends at once."`

	Pos Pos `yaml:"-"`
}

// maxBurst bounds a burst: each message is tracked by every subscriber.
const maxBurst = 10_000_000

// Validate checks the count and that the group publishes.
func (b *Burst) Validate(c *StepValidator) {
	v, where := c.v, c.where
	if !v.given(&b.Messages, b.Messages != 0) {
		v.add(b.Pos, "%s.messages is required: how many messages each publisher of the group sends at once", where)
	} else if v.ok(&b.Messages, true) && (b.Messages < 1 || b.Messages > maxBurst) {
		v.add(v.at(&b.Messages, b.Pos), "%s.messages must be from 1 to %d, got %d", where, maxBurst, b.Messages)
	}
	if !v.groupRef(&b.Group, where, b.Pos) {
		return
	}
	for _, g := range v.s.Clients {
		if g.Name == b.Group && g.Publish == nil {
			v.add(v.at(&b.Group, b.Pos), "%s: group %q does not publish; give it publish: {subject, rate}", where, b.Group)
		}
	}
}

// Run sends the burst.
func (b *Burst) Run(_ context.Context, env *StepEnv) error {
	_, err := env.r.fleet.Burst(b.Group, b.Messages)
	return err
}

// Describe is "burst: 1000 messages from each of pubs".
func (b *Burst) Describe() string {
	return fmt.Sprintf("burst: %d messages from each of %s", b.Messages, b.Group)
}

// Marshal writes the burst on one line.
func (b *Burst) Marshal(*Scenario) any {
	return mapping{}.add("group", b.Group).add("messages", b.Messages).flow()
}
