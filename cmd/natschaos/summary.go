package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/natschaos/natschaos/scenarios"
)

// printSummary is the quickest read of a run: one line per expectation,
// then where the outputs are and how to replay it.
func printSummary(w io.Writer, o *scenarios.Outcome, took time.Duration) {
	fmt.Fprintf(w, "\n%s  seed %d  %s  (%s)\n", o.Scenario, o.Seed, strings.ToUpper(string(o.Verdict)), took.Round(time.Millisecond))
	if o.Err != nil {
		fmt.Fprintf(w, "  error: %v\n", o.Err)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range o.Results {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", strings.ToUpper(string(r.Verdict)), r.Name, r.Evidence)
	}
	tw.Flush()
	if o.Final != "" {
		fmt.Fprintf(w, "  clients per server at the end: %s\n", o.Final)
	}
	if o.Out != "" {
		fmt.Fprintf(w, "  output: %s\n", o.Out)
	}
	fmt.Fprintf(w, "  replay: %s\n", o.Replay)
}
