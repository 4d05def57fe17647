// Package workers spreads a run's client groups over `natschaos worker`
// processes that connect back to the runner, prove the run's token, and
// stream their events into the run's one timeline.
//
// The runner side is Fleet (a sim.ClientFleet); the worker side is Run.
// Every event a worker records keeps its time on the run's clock, which
// the worker synchronises when it joins, as long as the timeline's times
// never decrease (see Run), so checkers and reports read one timeline as
// before.
//
// It imports sim and no other natschaos package; scenarios chooses it
// through Options.Workers.
package workers
