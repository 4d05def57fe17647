package scenarios

import (
	"fmt"
	"os"
	"sync"

	"github.com/natschaos/natschaos/internal/leftovers"
)

var sweepOnce sync.Once

// sweepLeftovers removes, once per process, the temp folders of runs
// whose process is gone (killed with kill -9, they could not): process
// servers' configurations, secured runs' keys and seeds, JetStream
// stores. It says so on stderr.
func sweepLeftovers() {
	sweepOnce.Do(func() {
		removed, err := leftovers.Sweep()
		for _, r := range removed {
			fmt.Fprintf(os.Stderr, "natschaos: removed %s, left behind by process %d, which is gone\n", r.Dir, r.PID)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "natschaos: removing the leftovers of ended runs: %v\n", err)
		}
	})
}
