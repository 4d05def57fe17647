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
	for _, r := range o.Results {
		for _, line := range r.Fidelity {
			fmt.Fprintf(w, "  fidelity of %s: %s\n", r.Name, line)
		}
	}
	if o.Final != "" {
		fmt.Fprintf(w, "  clients per server at the end: %s\n", o.Final)
	}
	for _, n := range o.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if o.Late != "" {
		fmt.Fprintf(w, "  timeline: %s\n", o.Late)
	}
	if o.Out != "" {
		fmt.Fprintf(w, "  output: %s\n", o.Out)
	}
	fmt.Fprintf(w, "  replay: %s\n", o.Replay)
}

// printExpected says whether a scenario that states the verdict it is
// meant to reach (expected_verdict: it shows a known behaviour) reached
// it. The exit code stays the verdict's, as the contract says; `natschaos
// lab --check-expected` is the command that exits on expectations.
func printExpected(w io.Writer, sc *scenarios.Scenario, o *scenarios.Outcome) {
	if sc.ExpectedVerdict == "" || o.Err != nil {
		return
	}
	if o.AsExpected(sc) {
		fmt.Fprintf(w, "  as expected: this scenario shows a known behaviour and is meant to %s\n", sc.ExpectedVerdict)
		return
	}
	fmt.Fprintf(w, "  NOT as expected: this scenario is meant to %s; the behaviour it shows did not happen\n", sc.ExpectedVerdict)
}
