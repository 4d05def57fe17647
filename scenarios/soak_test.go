package scenarios

import "os"

// soakEnv, set (make soak), makes the tests that run real clusters over
// and over run their full count; otherwise each runs once, which covers
// the same code (make test).
const soakEnv = "NATSCHAOS_SOAK"

// soakRuns is n under make soak, else 1.
func soakRuns(n int) int {
	if os.Getenv(soakEnv) != "" {
		return n
	}
	return 1
}

// SoakRuns is soakRuns for this package's external tests.
var SoakRuns = soakRuns
