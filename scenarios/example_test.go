package scenarios_test

import (
	"context"
	"fmt"

	"github.com/natschaos/natschaos/scenarios"
)

// Execute runs a scenario, for programs that are not tests
// (scenariotest.Run is the one for go tests).
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
