package scenarios

import (
	"fmt"

	"github.com/natschaos/natschaos/sim"
	"github.com/natschaos/natschaos/workers"
)

// newFleet runs the client groups in this process, or in worker processes
// when the options ask for them.
func (r *run) newFleet(c *sim.Cluster, groups []sim.GroupSpec) (sim.ClientFleet, error) {
	if r.leaves != nil {
		return r.newLeafFleet(groups)
	}
	if r.opts.Workers != nil && r.opts.Workers.Workers() > 0 && r.sc.Cluster.Security != nil {
		// Worker processes would need the run's CA and every client's
		// credentials sent over their connection: not done yet.
		return nil, fmt.Errorf("%s: workers cannot run clients of a cluster with security (TLS, users) yet", r.sc.Name)
	}
	if r.opts.Workers == nil || r.opts.Workers.Workers() == 0 {
		return sim.NewFleet(c, r.tl, groups)
	}
	return workers.New(*r.opts.Workers, r.tl, c.Snapshot, groups)
}

// fleetErr is what the fleet itself lost: a worker gone mid-run took
// clients with it that the timeline cannot account for, so no verdict
// can be trusted.
func (r *run) fleetErr() error {
	if e, ok := r.fleet.(interface{ Err() error }); ok {
		if err := e.Err(); err != nil {
			return fmt.Errorf("client fleet: %w", err)
		}
	}
	return nil
}
