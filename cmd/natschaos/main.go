// Command natschaos runs scenario files against NATS clusters and reports
// whether reconnection behaved.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes, as the scenario contract fixes them.
const (
	exitPass        = 0
	exitFail        = 1
	exitInvalid     = 2
	exitInfra       = 3
	exitInterrupted = 130
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	signals := notifyStop()
	root := newRoot()
	err := root.ExecuteContext(signals.ctx)
	signals.stop()
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(os.Stderr, "natschaos:", ee.err)
		}
		code := ee.code
		if code == exitInterrupted {
			code = signals.interruptedCode()
		}
		os.Exit(code)
	}
	// Cobra's own errors: unknown commands and flags.
	fmt.Fprintln(os.Stderr, "natschaos:", err)
	os.Exit(exitInvalid)
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "natschaos",
		Short: "Chaos and simulation tests for NATS reconnection behaviour",
		Long: `natschaos runs scenario files: it starts a NATS cluster and fleets of
nats.go clients, injects faults, and checks what the clients and servers did.

Exit codes: 0 every expectation holds; 1 a property failed; 2 invalid file
or flags; 3 infrastructure error (a port, a binary, the scenario's timeout),
or with --fidelity strict, timings the harness's own lag may have set;
130 interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM).`,
		Version:       selfVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("natschaos {{.Version}}\n")
	root.AddCommand(newRunCmd(), newValidateCmd(), newListCmd(), newSchemaCmd(), newVersionCmd(), newReportCmd())
	root.AddCommand(newExploreCmd())
	root.AddCommand(newLabCmd())
	root.AddCommand(newQualifyCmd())
	root.AddCommand(newWorkerCmd())
	return root
}
