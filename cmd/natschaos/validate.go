package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/scenarios"
)

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "validate FILE|NAME...",
		Short:             "Check scenario files without running them",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeScenarios,
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, a := range args {
				sc, err := scenarios.Load(a)
				if err != nil {
					bad++
					fmt.Fprintln(cmd.ErrOrStderr(), err)
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (%s, %d servers, %d client groups, %d steps)\n",
					a, sc.Name, len(sc.Cluster.Servers), len(sc.Clients), len(sc.Steps))
				printWarnings(cmd.OutOrStdout(), sc)
			}
			if bad > 0 {
				return &exitError{code: exitInvalid, err: fmt.Errorf("%d of %d invalid", bad, len(args))}
			}
			return nil
		},
	}
}

// printWarnings lists what validation found valid but likely not meant,
// one "file:line:col: warning: ..." a line. They never change the exit code.
func printWarnings(w io.Writer, sc *scenarios.Scenario) {
	for _, p := range sc.Warnings {
		fmt.Fprintln(w, p)
	}
}
