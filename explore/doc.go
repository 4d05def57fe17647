// Package explore draws random fault schedules with rapid, runs each as a
// scenario, and when an invariant breaks shrinks the schedule and writes it
// out as a scenario file that `natschaos run` replays.
package explore
