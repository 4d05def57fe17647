package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/scenarios"
)

func newReportCmd() *cobra.Command {
	var junit junitFile
	cmd := &cobra.Command{
		Use:   "report DIR...",
		Short: "Render report.json, junit.xml, summary.md and report.html again from DIR/events.jsonl",
		Long: `report reads DIR/events.jsonl — the timeline a run writes as it goes —
judges it exactly as the run did, and writes report.json, junit.xml,
summary.md and report.html into DIR. It works on a run that crashed or was
interrupted too. It exits 0 once everything is written, whatever the
verdicts; 2 when DIR holds no readable timeline; 3 when a file cannot be
written.`,
		Example: `  natschaos report out/rolling-upgrade
  natschaos report out/* --junit results.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, dir := range args {
				run, err := reports.Load(dir)
				if err != nil {
					return &exitError{code: exitInvalid, err: err} // no timeline there, or not one
				}
				if err := run.WriteAll(dir); err != nil {
					return &exitError{code: exitInfra, err: err}
				}
				printReport(cmd.OutOrStdout(), dir, run.Report)
				if err := junit.add(run.Report); err != nil {
					return &exitError{code: exitInfra, err: err}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&junit.path, "junit", "", "also write one JUnit file covering every DIR")
	return cmd
}

// printReport is the terminal summary of a re-rendered run.
func printReport(w io.Writer, dir string, r *reports.Report) {
	fmt.Fprintf(w, "\n%s  seed %d  %s  (%s)\n", r.Scenario, r.Seed, strings.ToUpper(r.Verdict), r.Elapsed)
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", r.Error)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, p := range r.Properties {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", strings.ToUpper(string(p.Verdict)), p.Name, p.Evidence)
	}
	tw.Flush()
	fmt.Fprintf(w, "  wrote: %s\n", strings.Join([]string{
		filepath.Join(dir, reports.JSONFile), reports.JUnitFile, reports.SummaryFile, reports.HTMLFile}, " "))
	if r.Replay != "" {
		fmt.Fprintf(w, "  replay: %s\n", r.Replay)
	}
}

// junitFile is the --junit FILE of one invocation: every run's suite in one
// file, rewritten after each run so that an interrupted invocation still
// leaves a valid file covering the runs it finished.
type junitFile struct {
	path string
	runs []*reports.Report
}

func (j *junitFile) add(r *reports.Report) error {
	if j.path == "" {
		return nil
	}
	j.runs = append(j.runs, r)
	if err := reports.WriteJUnitFile(j.path, j.runs...); err != nil {
		return fmt.Errorf("--junit: %w", err)
	}
	return nil
}

// addOutcome is the one call `natschaos run` makes after each run. The
// outcome's results are assert.Judge's over the run's timeline, the same
// verdicts report.json holds.
func (j *junitFile) addOutcome(o *scenarios.Outcome) error {
	if j.path == "" {
		return nil
	}
	r := &reports.Report{
		SchemaVersion: reports.SchemaVersion,
		Scenario:      o.Scenario,
		Seed:          o.Seed,
		Verdict:       string(o.Verdict),
		Properties:    o.Results,
		Interrupted:   o.Interrupted,
		Replay:        o.Replay,
		Elapsed:       o.Elapsed.Round(time.Millisecond).String(),
		FinalClients:  parseFinal(o.Final),
	}
	if o.Err != nil {
		r.Error = o.Err.Error()
	}
	return j.add(r)
}

// parseFinal reads Outcome.Final ("A=2 B=150") back into counts.
func parseFinal(s string) map[string]int {
	out := map[string]int{}
	for _, f := range strings.Fields(s) {
		name, n, ok := strings.Cut(f, "=")
		if v, err := strconv.Atoi(n); ok && err == nil {
			out[name] = v
		}
	}
	return out
}
