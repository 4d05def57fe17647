package scenarios

import (
	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// watchHarness records the run's fidelity policy and starts sampling the
// runner's own scheduling lag and CPU, until teardown stops it: the
// timeline then tells when the harness, not NATS, may have set a timing.
func (r *run) watchHarness() {
	r.tl.Add(assert.FidelityEvent(r.opts.Fidelity))
	r.stopHarness = sim.WatchHarness(r.tl, sim.HarnessRunner)
}
