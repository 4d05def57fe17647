package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/scenarios"
)

type runFlags struct {
	seed         int64
	seedSet      bool
	out          string
	repeat       int
	clientsScale float64
	verbose      bool
	junit        junitFile
	workers      workerFlags
	fidelity     fidelityFlags
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run FILE|NAME...",
		Short: "Run scenario files or built-in scenarios and print the verdict",
		Long: `run validates every FILE (a scenario file) or NAME (a built-in, see
natschaos list) first, then runs each in turn: it starts the cluster and
the clients, takes the steps, heals every fault, checks the expectations
against the recorded timeline, prints the verdict with what each
property judged, and writes OUT/events.jsonl, report.json, junit.xml,
summary.md and report.html.

Every random choice comes from the seed: --seed, else the file's seed:,
else a fresh one. A failure prints the command that replays it.

Exit codes: 0 every expectation holds; 1 a property failed; 2 invalid
file or flags; 3 infrastructure error (a port, a binary, the scenario's
timeout); 130 interrupted by Ctrl-C, 143 by SIGTERM (both heal the faults,
stop everything and write the partial report).`,
		Example: `  # the docs' rolling upgrade, on the embedded nats-server
  natschaos run rolling-upgrade

  # a file of yours, with a fixed seed and output folder
  natschaos run my-scenario.yaml --seed 42 --out out/

  # ten runs, a new seed each, and one JUnit file for CI
  natschaos run seed-servers --repeat 10 --junit junit.xml

  # a tenth of the declared clients, every server log and event printed
  natschaos run herd-single-kill --clients-scale 0.1 -v`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeScenarios,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.seedSet = cmd.Flags().Changed("seed")
			return runAll(cmd, args, f)
		},
	}
	cmd.Flags().Int64Var(&f.seed, "seed", 0, "seed for every random choice (default: the file's, else a fresh one)")
	cmd.Flags().StringVar(&f.out, "out", "", "output folder (default: out/<scenario>-<seed>)")
	cmd.Flags().IntVar(&f.repeat, "repeat", 1, "run each scenario N times (a new seed each time unless --seed)")
	cmd.Flags().Float64Var(&f.clientsScale, "clients-scale", 1, "multiply every client group's count (at least 1 client stays)")
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "print server logs and every event")
	cmd.Flags().StringVar(&f.junit.path, "junit", "", "write one JUnit XML file covering every run of this invocation")
	f.workers.add(cmd)
	f.fidelity.add(cmd)
	return cmd
}

func runAll(cmd *cobra.Command, args []string, f runFlags) error {
	if f.repeat < 1 {
		return &exitError{code: exitInvalid, err: errors.New("--repeat must be at least 1")}
	}
	if f.clientsScale <= 0 {
		return &exitError{code: exitInvalid, err: errors.New("--clients-scale must be positive")}
	}
	// Validate every file before running any: a typo in the third file
	// should not cost the first two runs.
	var scs []*scenarios.Scenario
	for _, a := range args {
		sc, err := scenarios.Load(a)
		if err != nil {
			return &exitError{code: exitInvalid, err: err}
		}
		printWarnings(cmd.ErrOrStderr(), sc)
		scs = append(scs, sc)
	}
	wcfg, err := f.workers.config(cmd)
	if err != nil {
		return &exitError{code: exitInvalid, err: err}
	}
	fidelity, err := f.fidelity.policy()
	if err != nil {
		return &exitError{code: exitInvalid, err: err}
	}
	worst := exitPass
	for _, sc := range scs {
		for i := 0; i < f.repeat; i++ {
			opts := scenarios.Options{ClientsScale: f.clientsScale, Verbose: f.verbose, Groups: plantedGroups, Workers: wcfg, Fidelity: fidelity}
			// The seed is settled here, not in the runner, so that the
			// default output folder can carry it.
			seed := scenarios.NewSeed()
			switch {
			case f.seedSet:
				seed = f.seed
			case sc.Seed != nil:
				seed = *sc.Seed
			}
			opts.Seed = &seed
			switch {
			case f.out == "":
				opts.Out = filepath.Join("out", fmt.Sprintf("%s-%d", sc.Name, seed))
				if f.repeat > 1 {
					opts.Out += fmt.Sprintf("-%d", i+1)
				}
			case len(scs) > 1 || f.repeat > 1:
				opts.Out = filepath.Join(f.out, fmt.Sprintf("%s-%d", sc.Name, i+1))
			default:
				opts.Out = f.out
			}
			prog := newProgress(cmd.ErrOrStderr(), sc.Name)
			opts.Progress = prog.update
			start := time.Now()
			o := scenarios.Execute(cmd.Context(), sc, opts)
			prog.done()
			printSummary(cmd.OutOrStdout(), o, time.Since(start))
			printExpected(cmd.OutOrStdout(), sc, o)
			if err := f.junit.addOutcome(o); err != nil {
				return &exitError{code: exitInfra, err: err}
			}
			code := exitCode(o)
			if code > worst || code == exitInterrupted {
				worst = code
			}
			if code == exitInterrupted {
				return &exitError{code: code, err: errors.New("interrupted")}
			}
		}
	}
	if worst != exitPass {
		return &exitError{code: worst, err: errors.New("")}
	}
	return nil
}

func exitCode(o *scenarios.Outcome) int {
	switch o.Verdict {
	case scenarios.VerdictPass:
		return exitPass
	case scenarios.VerdictFail:
		return exitFail
	case scenarios.VerdictInvalid:
		return exitInvalid
	}
	if o.Interrupted {
		return exitInterrupted
	}
	return exitInfra
}
