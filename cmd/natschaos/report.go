package main

import (
	"fmt"
	"io"
	"path/filepath"

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
	reports.WriteTerminal(w, r, reports.Terminal{Wrote: []string{
		filepath.Join(dir, reports.JSONFile), reports.JUnitFile, reports.SummaryFile, reports.HTMLFile}})
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

// addOutcome is the one call `natschaos run` makes after each run: the
// report the run was judged into.
func (j *junitFile) addOutcome(o *scenarios.Outcome) error {
	return j.add(o.Report)
}
