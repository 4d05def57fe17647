package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
)

// Run a scenario file or a built-in scenario from a Go test: the test
// fails with each failed property's evidence and the command that replays
// the run.
func ExampleRun() {
	_ = func(t *testing.T) {
		scenarios.Run(t, "testdata/failover.yaml")
		scenarios.Run(t, "rolling-upgrade", scenarios.Options{ClientsScale: 0.5})
	}
}

// Execute is the runner underneath Run, for programs that are not tests.
func ExampleExecute() {
	sc, err := scenarios.Load("seed-servers")
	if err != nil {
		panic(err)
	}
	seed := int64(42)
	o := scenarios.Execute(context.Background(), sc, scenarios.Options{Seed: &seed})
	fmt.Println(o.Scenario, o.Verdict, o.Replay)
	// Output: seed-servers pass natschaos run seed-servers --seed 42
}
