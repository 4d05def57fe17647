package assert

import (
	"errors"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// DiscoveryParams are the parameters of `discovery: {within: 2s}`.
type DiscoveryParams struct {
	// Within is how long after a membership change clients may take to
	// learn the servers.
	Within time.Duration `yaml:"within" json:"within"`
}

// Validate rejects a missing bound.
func (p DiscoveryParams) Validate() error {
	if p.Within <= 0 {
		return errors.New("within must be > 0")
	}
	return nil
}

func init() { Register("discovery", checkDiscovery) }

// checkDiscovery: within p.Within of every membership change, Discovered
// holds at some moment (every connected client knows every running server
// it could reach).
func checkDiscovery(p DiscoveryParams, events []sim.Event) Result {
	cv := convergence{
		within:   p.Within,
		trigger:  func(st *State) Change { return st.Membership },
		relevant: discoveryRelevant,
		failing:  discovered,
	}
	return cv.verdict("discovery", cv.run(events))
}

func discoveryRelevant(ev sim.Event) bool {
	switch ev.Kind {
	case sim.ClientConnect, sim.ClientReconnect, sim.ClientDiscovered, sim.ClientDisconnect, sim.ClientClosed, sim.ClientLeave,
		sim.ServerStart, sim.ServerLameDuck, sim.ServerExit, sim.ServerRemove, sim.FaultStart, sim.FaultEnd:
		return true
	}
	return false
}
