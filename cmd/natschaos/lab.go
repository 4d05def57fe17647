package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/lab"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/scenarios"
)

type labFlags struct {
	vary          []string
	window        time.Duration
	runs          int
	seed          int64
	out           string
	checkExpected bool
}

func newLabCmd() *cobra.Command {
	var f labFlags
	cmd := &cobra.Command{
		Use:   "lab FILE|NAME --vary KEY=V1,V2... [--vary ...]",
		Short: "Run one scenario across variants and compare the herds",
		Long: `lab runs one scenario once per combination of the --vary axes and
compares the runs: the peak of reconnections one server accepts per window,
the time until every client is back, the final skew, and losses by
category, all computed from each run's events.jsonl. It writes lab.md,
lab.json and lab.html (one chart overlaying the herd curves) to --out.

Axes (--vary KEY=V1,V2,...; repeat the flag for more axes):
  clients=N,...                total clients, every group scaled alike
  fault=kill,stop,lame_duck    every kill, stop and lame_duck step becomes this
  strategy=none,<kind>,...     every group's strategy: backoff_full_jitter,
                               jittered_failover, lame_duck_move, rebalance
  strategy.<parameter>=...     e.g. strategy.max_delay=1s,5s (base, cap, max_delay)
  option.<client option>=...   e.g. option.reconnect_jitter=0s,1s
  server.<server option>=...   e.g. server.lame_duck_duration=3s,10s
  leaf.<leafnodes key>=...     e.g. leaf.reconnect_spread=1s,4s (with leaves and
                               no client reconnecting, peaks count leaf links)

The first axis is the one compared: each variant is set against the one
with the same other settings and the first axis at its first value (the
baseline), and the report says by how much the peak, skew and recovery
changed: averages per variant, and with --runs 4 or more
the Mann-Whitney U test natschaos qualify uses says which of the peak,
all-back time, final skew and silent losses changed significantly.

Exit codes: 0 every run completed (with --check-expected: and reached the
scenario's expected_verdict); 1 --check-expected and a run did not; 2
invalid file, axis or variant; 3 infrastructure error; 130 interrupted.`,
		Example: `  natschaos lab herd-single-kill --vary strategy=none,jittered_failover
  natschaos lab herd-single-kill --vary fault=kill,stop,lame_duck --vary server.lame_duck_duration=3s --vary server.lame_duck_grace_period=500ms
  natschaos lab herd-late-joiner --vary strategy=none,rebalance --runs 3 --check-expected`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeOneScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			var seed *int64
			if cmd.Flags().Changed("seed") {
				seed = &f.seed
			}
			return runLab(cmd, args[0], f, seed)
		},
	}
	cmd.Flags().StringArrayVar(&f.vary, "vary", nil, "an axis: KEY=V1,V2,... (repeatable; the first axis is compared)")
	cmd.Flags().DurationVar(&f.window, "window", 0, "herd window (default: the scenario's herd window, else 100ms)")
	cmd.Flags().IntVar(&f.runs, "runs", 1, "runs per variant; run n of every variant shares its seed")
	cmd.Flags().Int64Var(&f.seed, "seed", 0, "seed of the first run of every variant (default: the file's, else a fresh one)")
	cmd.Flags().StringVar(&f.out, "out", "", "output folder (default: out/lab-<scenario>)")
	cmd.Flags().BoolVar(&f.checkExpected, "check-expected", false, "exit 1 unless every run reaches the scenario's expected_verdict")
	return cmd
}

func runLab(cmd *cobra.Command, file string, f labFlags, seed *int64) error {
	if f.runs < 1 {
		return &exitError{code: exitInvalid, err: errors.New("--runs must be at least 1")}
	}
	if f.window < 0 {
		return &exitError{code: exitInvalid, err: errors.New("--window must be positive")}
	}
	var axes []scenarios.Axis
	seen := map[string]bool{}
	for _, v := range f.vary {
		a, err := scenarios.ParseAxis(v)
		if err != nil {
			return &exitError{code: exitInvalid, err: err}
		}
		if seen[a.Key] {
			return &exitError{code: exitInvalid, err: fmt.Errorf("--vary %s is given twice; list every value in one flag", a.Key)}
		}
		seen[a.Key] = true
		axes = append(axes, a)
	}
	out := f.out
	if out == "" {
		name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		out = filepath.Join("out", "lab-"+name)
	}
	w := cmd.OutOrStdout()
	opts := lab.Options{Axes: axes, Window: f.window, Runs: f.runs, Seed: seed, Out: out,
		Command: labCommand(file, f, seed),
		Progress: func(r reports.LabRun) {
			fmt.Fprintf(cmd.ErrOrStderr(), "  %s run %d (seed %d): %s, peak %d\n", r.Variant, r.Run, r.Seed, r.Verdict, r.Figures.Peak)
		}}
	c, err := lab.Run(cmd.Context(), file, opts)
	var inv *lab.InvalidError
	switch {
	case errors.As(err, &inv):
		return &exitError{code: exitInvalid, err: err}
	case err != nil && cmd.Context().Err() != nil:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case err != nil:
		return &exitError{code: exitInfra, err: err}
	}
	if err := reports.WriteComparisonMarkdown(w, c); err != nil {
		return &exitError{code: exitInfra, err: err}
	}
	fmt.Fprintf(w, "\noutput: %s (lab.html, lab.json, lab.md)\n", out)
	for _, r := range c.Runs {
		if r.Err != "" {
			return &exitError{code: exitInfra, err: fmt.Errorf("%s run %d: %s", r.Variant, r.Run, r.Err)}
		}
	}
	if f.checkExpected {
		for _, r := range c.Runs {
			if r.Verdict != r.Expected {
				return &exitError{code: exitFail, err: fmt.Errorf("%s run %d: verdict %s, the scenario expects %s", r.Variant, r.Run, r.Verdict, r.Expected)}
			}
		}
	}
	return nil
}

// labCommand is the command that reproduces the lab, for its report.
func labCommand(file string, f labFlags, seed *int64) string {
	parts := []string{"natschaos", "lab", file}
	for _, v := range f.vary {
		parts = append(parts, "--vary", v)
	}
	if f.window > 0 {
		parts = append(parts, "--window", f.window.String())
	}
	if f.runs > 1 {
		parts = append(parts, "--runs", fmt.Sprint(f.runs))
	}
	if seed != nil {
		parts = append(parts, "--seed", fmt.Sprint(*seed))
	}
	return strings.Join(parts, " ")
}
