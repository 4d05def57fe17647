package qualify

import (
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/natschaos/natschaos/internal/ports"
)

// TestMain checks that no goroutine is left behind, and no port reserved,
// after the qualifications the tests run.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) { os.Exit(ports.ExitCode(code)) }))
}
