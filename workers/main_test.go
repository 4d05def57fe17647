package workers

import (
	"context"
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// asWorkerEnv turns the test binary into a worker: local workers in tests
// are this binary started again (Config.Command), as `natschaos worker`
// is the natschaos binary started again.
const asWorkerEnv = "NATSCHAOS_TEST_AS_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(asWorkerEnv) == "1" {
		os.Exit(workerMain(os.Args[1:]))
	}
	goleak.VerifyTestMain(m)
}

func workerMain(args []string) int {
	var addr, name string
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "--connect":
			addr = args[i+1]
		case "--name":
			name = args[i+1]
		}
	}
	if err := Run(context.Background(), addr, os.Getenv(TokenEnv), name); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 3
	}
	return 0
}
