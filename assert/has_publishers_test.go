package assert

import (
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// A timeline has publishers when it records a publish sample of either
// kind, and only then.
func TestHasPublishers(t *testing.T) {
	for _, c := range []struct {
		kinds []sim.Kind
		want  bool
	}{
		{[]sim.Kind{sim.ServerStart, sim.ClientConnect}, false},
		{[]sim.Kind{sim.ServerStart, sim.PublishProgress}, true},
		{[]sim.Kind{sim.ServerStart, sim.PublishEnd}, true},
	} {
		var evs []sim.Event
		for _, k := range c.kinds {
			evs = append(evs, sim.Event{Kind: k})
		}
		if got := hasPublishers(evs); got != c.want {
			t.Errorf("%v: %v, want %v", c.kinds, got, c.want)
		}
	}
}
