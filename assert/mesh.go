package assert

import (
	"errors"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// MeshParams are the parameters of `mesh: {within: 2s}`.
type MeshParams struct {
	// Within is how long after a change the mesh may take to form.
	Within time.Duration `yaml:"within" json:"within"`
}

// Validate rejects a missing bound: "within 0" could never hold.
func (p MeshParams) Validate() error {
	if p.Within <= 0 {
		return errors.New("within must be > 0")
	}
	return nil
}

func init() { Register("mesh", checkMesh) }

// checkMesh: after every topology change (a server start, exit, add or
// remove; a partition, cutting route fault or freeze starting or ending),
// Mesh must hold at some observed moment within p.Within.
func checkMesh(p MeshParams, events []sim.Event) Result {
	cv := convergence{
		within:   p.Within,
		trigger:  func(st *State) Change { return st.Topology },
		relevant: meshRelevant,
		holds:    Mesh,
	}
	return cv.verdict("the mesh", cv.run(events))
}

func meshRelevant(ev sim.Event) bool {
	switch ev.Kind {
	case sim.Observe, sim.ServerStart, sim.ServerExit, sim.ServerRemove, sim.FaultStart, sim.FaultEnd:
		return true
	}
	return false
}
