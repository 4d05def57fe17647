package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/sim"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the versions of natschaos, the embedded nats-server and nats.go",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "natschaos %s\n", selfVersion())
		},
	}
}

// selfVersion is what `natschaos --version` and `natschaos version` print
// after "natschaos ": the module's version and the embedded server's and
// client's.
func selfVersion() string {
	self, client := "devel", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			self = v
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/nats-io/nats.go" {
				client = d.Version
			}
		}
	}
	return fmt.Sprintf("%s\nnats-server (embedded) v%s\nnats.go %s", self, sim.EmbeddedVersion, client)
}
