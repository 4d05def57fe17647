package testwait

import (
	"testing"
	"time"
)

// maxPeriod bounds the pause between two polls: cheap conditions are
// polled every millisecond at first, expensive ones (an HTTP request, a
// scan of the timeline) no more often than this once they have waited.
const maxPeriod = 20 * time.Millisecond

// Until polls cond until it holds, and returns how long that took; it
// fails t, naming what, once within has passed.
func Until(t testing.TB, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	if !Within(within, cond) {
		t.Fatalf("%s: not within %v", what, within)
	}
	return time.Since(start)
}

// NoError polls fn until it returns nil; once within has passed it fails
// t with fn's last error.
func NoError(t testing.TB, within time.Duration, what string, fn func() error) {
	t.Helper()
	var err error
	if !Within(within, func() bool { err = fn(); return err == nil }) {
		t.Fatalf("%s: not within %v: %v", what, within, err)
	}
}

// Within polls cond and says whether it held before within passed, for
// a caller that fails with its own diagnostics.
func Within(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for period := time.Millisecond; !cond(); period = min(2*period, maxPeriod) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(period) // a polling period, not synchronisation
	}
	return true
}
