// Package scenariotest runs natschaos scenarios from go test: Run takes a
// scenario file or a built-in name, RunScenario a scenario built in code.
// A failed expectation fails the test with its evidence and the commands
// that replay the run.
//
//	func TestFailover(t *testing.T) {
//		scenariotest.Run(t, "testdata/failover.yaml")
//	}
//
// It ties a run to the test: the run stops with t.Context() and shortly
// before the binary's deadline (go test -timeout), its outputs go to
// t.ArtifactDir() (kept by go test -artifacts) or $NATSCHAOS_KEEP
// (OutDir), and $NATSCHAOS_SEED pins its seed.
//
// It imports scenarios alone of natschaos; scenarios and the engine
// packages may not import it (their tests may, from an external test
// package).
package scenariotest
