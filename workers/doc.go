// Package workers spreads a run's client groups over `natschaos worker`
// processes that connect back to the runner, prove the run's token, and
// stream their events into the run's one timeline.
//
// The runner side is Fleet (a sim.ClientFleet); the worker side is Run.
// Every event a worker records is re-stamped by the runner on receipt (see
// Run for why), so checkers and reports read one timeline as before.
package workers
