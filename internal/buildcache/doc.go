// Package buildcache keeps binaries built with the Go toolchain in a
// cache folder, one entry per release: nats-server releases (sim), the
// natschaos worker built against a nats.go release (qualify) and the
// toxiproxy server (faults).
//
// A build goes to a temporary folder next to its entry and is renamed
// into place when complete, under a lock file, so two processes building
// the same entry at once build it once and neither ever sees half a
// binary. It knows nothing of what it builds: the caller's Run does.
// It imports only the standard library.
package buildcache
