package assert

import "github.com/natschaos/natschaos/sim"

// TeardownStart is the index of the first event of the run's teardown, or
// len(events). Checkers that judge the system "during the run" (mesh,
// discovery, balance, reconnect, herd) stop there: when the runner stops
// the fleet and the cluster, servers exit and clients close on purpose, and
// that is not a membership change to converge after or a disconnection to
// recover from.
//
// Teardown begins at the first of: RunEnd; the first Receipt or FleetClose
// (the fleet writes them when it stops, before closing its clients); and, when the timeline has steps, the first
// event after the last StepEnd that stops a server (stop, kill, lame duck,
// exit, remove) or closes a client (ClientClosed, or a ClientDisconnect
// without an error, which is what a client's own Close reports). Without
// steps (hand-made timelines) only the first two apply.
func TeardownStart(events []sim.Event) int {
	lastStep := -1
	for i, ev := range events {
		if ev.Kind == sim.StepEnd {
			lastStep = i
		}
	}
	for i, ev := range events {
		switch ev.Kind {
		case sim.RunEnd, sim.Receipt, sim.FleetClose:
			return i
		}
		if lastStep < 0 || i < lastStep {
			continue
		}
		switch ev.Kind {
		case sim.ServerStop, sim.ServerKill, sim.ServerLameDuck, sim.ServerExit, sim.ServerRemove, sim.ClientClosed:
			return i
		case sim.ClientDisconnect:
			if ev.Err == "" {
				return i
			}
		}
	}
	return len(events)
}
