package scenariotest_test

import (
	"testing"

	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
)

// Run a scenario file or a built-in scenario from a Go test: the test
// fails with each failed property's evidence and the command that replays
// the run.
func ExampleRun() {
	_ = func(t *testing.T) {
		scenariotest.Run(t, "testdata/failover.yaml")
		scenariotest.Run(t, "rolling-upgrade", scenarios.Options{ClientsScale: 0.5})
	}
}
