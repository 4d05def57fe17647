// Package explore draws random fault schedules with rapid, runs each as a
// scenario, and when an invariant breaks shrinks the schedule and writes it
// out as a scenario file that `natschaos run` replays.
//
// It owns the schedule generator and the scenario file writer (Marshal).
// It imports scenarios and no engine package (sim, faults, workers): it
// describes runs and lets scenarios execute them. qualify and cmd import
// it.
package explore
