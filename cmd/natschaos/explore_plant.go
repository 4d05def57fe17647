//go:build natschaos_plant

package main

import "github.com/natschaos/natschaos/sim"

// Built only with -tags natschaos_plant, by the tests: every subscriber
// silently loses its subscriptions on its second reconnect, a defect the
// explorer must find, shrink, and `natschaos run` must replay.
func init() {
	plantedGroups = func(groups []sim.GroupSpec) {
		for i := range groups {
			if len(groups[i].Subscribe) > 0 {
				groups[i].Defect.ForgetSubsAfterReconnects = 2
			}
		}
	}
}
