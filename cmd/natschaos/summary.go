package main

import (
	"fmt"
	"io"
	"time"

	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/scenarios"
)

// printSummary is the quickest read of a run (reports.WriteTerminal).
func printSummary(w io.Writer, o *scenarios.Outcome, took time.Duration) {
	reports.WriteTerminal(w, o.Report, reports.Terminal{Took: took, Late: o.Late, Out: o.Out})
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
