//go:build !linux

package sim

import "time"

// processCPU and machineCPU are measured on Linux only; elsewhere a
// HarnessSample carries lag without CPU figures.
func processCPU() (time.Duration, bool) { return 0, false }
func machineCPU() (time.Duration, bool) { return 0, false }
