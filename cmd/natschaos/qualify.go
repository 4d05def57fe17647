package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/internal/compare"
	"github.com/natschaos/natschaos/qualify"
)

// qualifyPlant, set only by tests, adjusts the options before the
// qualification runs: how a test plants a regression on one side.
var qualifyPlant func(*qualify.Options)

type qualifyFlags struct {
	baseline, candidate    string
	clientBase, clientCand string
	runs                   int
	seed                   int64
	out                    string
	tolerance              []string
	suite                  string
}

func newQualifyCmd() *cobra.Command {
	var f qualifyFlags
	cmd := &cobra.Command{
		Use:   "qualify --baseline RELEASE --candidate RELEASE [SUITE...]",
		Short: "Is the candidate nats-server or nats.go release worse than the baseline?",
		Long: `qualify runs every scenario of a suite on both releases, --runs times each,
interleaved (baseline, candidate, baseline, ...) with the same seeds, and
compares every figure the checkers measure: each property's pass rate,
reconnect p50/p99/max, the herd peak per server, the time until every
client is back, mesh and discovery convergence, final skew, losses by
category, duplicates, JetStream acknowledged losses and unacknowledged
publishes. Per figure it gives both medians, the candidate's shift with a
confidence interval and a Mann-Whitney U test (pass rates: Fisher's exact
test), with Holm's correction over each scenario's figures; a significant
change beyond the figure's tolerance in the worse direction is a
regression. With few runs and many figures nothing can be significant
after the correction: such a scenario is reported "Blind" (at --runs 5,
one with 7 or more figures that vary); --runs 8 sees every scenario.

SUITE is scenario files, folders of them, built-in names, or "jetstream"
(the JetStream built-ins); none means the default suite: every built-in
expected to pass, and the herd and balance built-ins whose figures matter
(herd-single-kill, herd-late-joiner, herd-no-randomize, herd-rolling-drift).
Every server of every scenario starts as the side's release (restart steps
naming a release keep it); with a release on either side, both sides run
as nats-server processes, built once per release through the Go toolchain.

--client-baseline and --client-candidate qualify nats.go releases: both
sides' client fleets run in a worker process built once per release
against it (go build of this natschaos checkout with nats.go moved to the
release, cached beside the server binaries). Server and client releases
can be qualified together or alone; a side without a server release runs
the embedded nats-server.

Writes qualify.md (also printed), qualify.json, qualify.html, junit.xml and
one folder per run (events, reports, scenario.yaml to replay it) to --out.

Exit codes: 0 no significant regression; 1 a significant regression beyond
tolerance; 2 invalid input; 3 a run could not be judged (infrastructure);
130 interrupted.`,
		Example: `  natschaos qualify --baseline v2.15.2 --candidate v2.15.3
  natschaos qualify --baseline v2.15.2 --candidate v2.15.3 herd-single-kill herd-lame-duck --runs 8
  natschaos qualify --baseline v2.15.2 --candidate v2.15.3 jetstream --tolerance reconnect.p99=20%
  natschaos qualify --client-baseline v1.55.0 --client-candidate v1.56.0`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var seed *int64
			if cmd.Flags().Changed("seed") {
				seed = &f.seed
			}
			return runQualify(cmd, args, f, seed)
		},
	}
	cmd.Flags().StringVar(&f.baseline, "baseline", "", "the release in production: v2.15.2, or embedded (required)")
	cmd.Flags().StringVar(&f.candidate, "candidate", "", "the release to qualify (required)")
	cmd.Flags().StringVar(&f.clientBase, "client-baseline", "", "the nats.go release in production: client fleets run in a worker built against it")
	cmd.Flags().StringVar(&f.clientCand, "client-candidate", "", "the nats.go release to qualify")
	cmd.Flags().IntVar(&f.runs, "runs", 5, "runs per side per scenario")
	cmd.Flags().Int64Var(&f.seed, "seed", 0, "seed of every scenario's first run; run i uses seed+i on both sides (default: the file's, else fresh)")
	cmd.Flags().StringVar(&f.out, "out", "", "output folder (default: out/qualify-<baseline>-<candidate>)")
	cmd.Flags().StringArrayVar(&f.tolerance, "tolerance", nil, "FIGURE=20% or FIGURE=50ms or FIGURE=3: a figure's tolerance (repeatable)")
	cmd.Flags().StringVar(&f.suite, "suite", "", `"jetstream": the JetStream built-ins (same as the argument)`)
	return cmd
}

func runQualify(cmd *cobra.Command, args []string, f qualifyFlags, seed *int64) error {
	invalid := func(err error) error { return &exitError{code: exitInvalid, err: err} }
	servers := f.baseline != "" || f.candidate != ""
	clients := f.clientBase != "" || f.clientCand != ""
	switch {
	case !servers && !clients:
		return invalid(errors.New("--baseline and --candidate (nats-server), or --client-baseline and --client-candidate (nats.go), are required"))
	case servers && (f.baseline == "" || f.candidate == ""):
		return invalid(errors.New("--baseline and --candidate go together"))
	case clients && (f.clientBase == "" || f.clientCand == ""):
		return invalid(errors.New("--client-baseline and --client-candidate go together"))
	}
	if f.runs < 1 {
		return invalid(errors.New("--runs must be at least 1"))
	}
	tols := map[string]compare.Tolerance{}
	for _, t := range f.tolerance {
		name, tol, err := qualify.ParseTolerance(t)
		if err != nil {
			return invalid(err)
		}
		tols[name] = tol
	}
	if f.suite != "" {
		if f.suite != qualify.SuiteJetStream {
			return invalid(fmt.Errorf("--suite %q: the only named suite is %q", f.suite, qualify.SuiteJetStream))
		}
		args = append(args, f.suite)
	}
	suite, err := qualify.Resolve(args, clients)
	if err != nil {
		return invalid(err)
	}
	out := f.out
	if out == "" {
		out = "out/qualify-" + strings.Trim(strings.Join([]string{f.baseline, f.candidate, f.clientBase, f.clientCand}, "-"), "-")
	}
	errw := cmd.ErrOrStderr()
	opts := qualify.Options{
		Baseline:  qualify.Side{Server: f.baseline, Client: f.clientBase},
		Candidate: qualify.Side{Server: f.candidate, Client: f.clientCand},
		Suite:     suite, Runs: f.runs, Seed: seed, Out: out, Tolerances: tols,
		Command: qualifyCommand(args, f, seed),
		Progress: func(p qualify.Progress) {
			r := p.Run
			line := fmt.Sprintf("[%d/%d] %s %s run %d (seed %d): %s in %.1fs; elapsed %s, about %s left",
				p.Done, p.Total, r.Scenario, r.Side, r.Run, r.Seed, r.Verdict, r.Seconds, p.Elapsed.Round(time.Second), p.Left.Round(time.Second))
			if r.Err != "" {
				line += " (" + r.Err + ")"
			}
			fmt.Fprintln(errw, line)
		},
	}
	fmt.Fprintf(errw, "qualify %s → %s: %d scenario(s) × %d run(s) × 2 sides\n", opts.Baseline.Label(), opts.Candidate.Label(), len(suite), f.runs)
	if qualifyPlant != nil {
		qualifyPlant(&opts)
	}
	rep, err := qualify.Run(cmd.Context(), opts)
	var inv *qualify.InvalidError
	switch {
	case errors.As(err, &inv):
		return invalid(err)
	case err != nil:
		return &exitError{code: exitInfra, err: err}
	}
	w := cmd.OutOrStdout()
	if err := qualify.WriteMarkdown(w, rep); err != nil {
		return &exitError{code: exitInfra, err: err}
	}
	fmt.Fprintf(w, "\noutput: %s (qualify.md, qualify.json, qualify.html, junit.xml, one folder per run)\n", out)
	switch {
	case rep.Interrupted:
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case rep.Regressions > 0:
		return &exitError{code: exitFail, err: fmt.Errorf("%d significant regression(s)", rep.Regressions)}
	case len(rep.Errors) > 0:
		return &exitError{code: exitInfra, err: fmt.Errorf("%d run(s) could not be judged: %s", len(rep.Errors), rep.Errors[0])}
	}
	return nil
}

// qualifyCommand reproduces the qualification, for its report.
func qualifyCommand(args []string, f qualifyFlags, seed *int64) string {
	parts := []string{"natschaos", "qualify"}
	for _, fl := range [][2]string{{"--baseline", f.baseline}, {"--candidate", f.candidate}, {"--client-baseline", f.clientBase}, {"--client-candidate", f.clientCand}} {
		if fl[1] != "" {
			parts = append(parts, fl[0], fl[1])
		}
	}
	parts = append(parts, args...)
	parts = append(parts, "--runs", fmt.Sprint(f.runs))
	if seed != nil {
		parts = append(parts, "--seed", fmt.Sprint(*seed))
	}
	for _, t := range f.tolerance {
		parts = append(parts, "--tolerance", t)
	}
	return strings.Join(parts, " ")
}
