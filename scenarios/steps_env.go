package scenarios

import (
	"fmt"

	"github.com/natschaos/natschaos/sim"
)

// StepEnv is what a step's Run acts on: the running cluster, its clients,
// the fault layer and the timeline.
type StepEnv struct {
	r     *run
	index int
	step  *Step
}

// Scenario is the scenario running.
func (e *StepEnv) Scenario() *Scenario { return e.r.sc }

// Index is the step's index in Scenario.Steps; events number steps from 1.
func (e *StepEnv) Index() int { return e.index }

// Cluster is the cluster under test.
func (e *StepEnv) Cluster() *sim.Cluster { return e.r.cluster }

// ClusterOf is the cluster that runs the named server: a leaf's own
// one-server cluster, or the scenario's.
func (e *StepEnv) ClusterOf(server string) *sim.Cluster { return e.r.clusterFor(server) }

// Fleet is the clients.
func (e *StepEnv) Fleet() sim.ClientFleet { return e.r.fleet }

// Faults is the fault layer.
func (e *StepEnv) Faults() FaultLayer { return e.r.layer }

// Timeline is the run's record; a step may add events to it.
func (e *StepEnv) Timeline() *sim.Timeline { return e.r.tl }

// Notef sets what the step says of itself on its step_end event (the last
// note wins).
func (e *StepEnv) Notef(format string, args ...any) { e.r.note = fmt.Sprintf(format, args...) }

// Where is p as "file:line:col", for errors.
func (e *StepEnv) Where(p Pos) string { return e.r.where(p) }

// injected records the fault layer id of what the step injected, for heal
// steps and durations.
func (e *StepEnv) injected(id string) { e.r.faultIDs[e.index] = id }
