package assert

import (
	"time"

	"github.com/natschaos/natschaos/sim"
)

// MeshParams are the parameters of `mesh: {within: 2s}`.
type MeshParams struct {
	// Within is how long after a change the mesh may take to form.
	Within time.Duration `yaml:"within" json:"within"`
}

// Doc says what the property judges, for the scenario schema.
func (MeshParams) Doc() string {
	return "After every membership change, each server routes to each live server within the bound."
}

// DefaultWithin is mesh's and discovery's bound when a file gives none.
const DefaultWithin = 5 * time.Second

// SetDefaults bounds the mesh by DefaultWithin.
func (p *MeshParams) SetDefaults() { p.Within = DefaultWithin }

// Validate rejects a missing bound: "within 0" could never hold.
func (p MeshParams) Validate() error {
	if p.Within <= 0 {
		return paramErrorf("within", "must be > 0, got %v", p.Within)
	}
	return nil
}

func init() { Register("mesh", checkMesh) }

// checkMesh: after every topology change (a server start, exit, add or
// remove; a partition, cutting route fault or freeze starting or ending),
// Mesh must hold at some observed moment within p.Within, and in the state
// at the end of the steady part (a route that drops later with no change
// to explain it fails there). Its subjects are the pairs of live servers:
// a run in which no two ever ran together has no route to judge, and
// fails as vacuous.
func checkMesh(p MeshParams, events []sim.Event) Result {
	cv := convergence{
		within:   p.Within,
		trigger:  func(st *State) Change { return st.Topology },
		relevant: meshRelevant,
		holds:    Mesh,
		subjects: livePairs,
	}
	outcomes, end := cv.run(events)
	return cv.verdict("the mesh", "server pairs", outcomes, end)
}

// livePairs counts the pairs of running servers that are not frozen: the
// routes (or cuts) Mesh judges.
func livePairs(st *State) int {
	var live []string
	for _, s := range st.Running() {
		if !st.Frozen(s) {
			live = append(live, s)
		}
	}
	n := 0
	for i, a := range live {
		for _, b := range live[i+1:] {
			if st.SameCluster(a, b) { // a supercluster routes inside each cluster
				n++
			}
		}
	}
	return n
}

func meshRelevant(ev sim.Event) bool {
	switch ev.Kind {
	case sim.Observe, sim.ServerStart, sim.ServerExit, sim.ServerRemove, sim.FaultStart, sim.FaultEnd:
		return true
	}
	return false
}
