package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/explore"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/sim"
)

// plantedGroups plants a client defect in every run; only a test build
// (-tags natschaos_plant, explore_plant.go) sets it.
var plantedGroups func([]sim.GroupSpec)

type exploreFlags struct {
	budget     time.Duration
	seed       uint64
	servers    int
	clients    int
	steps      int
	schedules  int
	out        string
	failFiles  string
	shrinkTime time.Duration
	confirm    int
	verbose    bool
}

func newExploreCmd() *cobra.Command {
	var f exploreFlags
	cmd := &cobra.Command{
		Use:   "explore",
		Short: "Run random fault schedules; shrink the first that fails into a scenario file",
		Long: `explore draws random fault schedules with rapid (kill, stop, lame duck,
restart, start and remove servers; partitions and heals; client-link and
route faults; freezes; clients joining and leaving; publishing bursts), runs each as a scenario whose waits and expectations are
the invariants (mesh, discovery, every client connected, no loss, no
duplicates), and on the first failure shrinks the schedule and writes it as
failing-<seed>.yaml, which "natschaos run" replays. Before writing it,
explore replays the shrunk schedule (--confirm times): a schedule that
failed once by chance and passes again is passed over for the larger one
that failed before it. Progress goes to stderr.

The rapid fail file of the failure is saved too (in explore/testdata/rapid
when run from the repository root): "go test ./explore" replays it first.

Exit codes: 0 no failure within the budget; 1 a schedule failed; 2 invalid
flags; 3 the explorer itself failed; 130 interrupted.`,
		Example: `  natschaos explore --budget 5m
  natschaos explore --seed 42 --servers 3 --clients 100 --steps 10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runExplore(cmd, f) },
	}
	fl := cmd.Flags()
	fl.DurationVar(&f.budget, "budget", 5*time.Minute, "start no new schedule after this")
	fl.Uint64Var(&f.seed, "seed", 0, "first schedule's seed; schedule i uses seed+i (default: a fresh one)")
	fl.IntVar(&f.servers, "servers", 3, "servers in the cluster (2 to 26)")
	fl.IntVar(&f.clients, "clients", 100, "clients: one in 33 publishes, the rest subscribe to >")
	fl.IntVar(&f.steps, "steps", 10, "actions per schedule")
	fl.IntVar(&f.schedules, "schedules", 0, "stop after this many schedules (default: the budget decides)")
	fl.StringVar(&f.out, "out", ".", "folder for failing-<seed>.yaml")
	fl.StringVar(&f.failFiles, "failfiles", "", "folder for rapid's fail file (default explore/testdata/rapid when it exists, else testdata/rapid)")
	fl.DurationVar(&f.shrinkTime, "shrink-time", 3*time.Minute, "bound on shrinking a failure")
	fl.IntVar(&f.confirm, "confirm", 2, "replays the shrunk schedule gets to fail again before a larger one is written (0: none)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print each schedule's actions")
	return cmd
}

func runExplore(cmd *cobra.Command, f exploreFlags) error {
	switch {
	case f.servers < 2 || f.servers > 26:
		return &exitError{code: exitInvalid, err: errors.New("--servers must be between 2 and 26")}
	case f.clients < 2:
		return &exitError{code: exitInvalid, err: errors.New("--clients must be at least 2")}
	case f.steps < 1:
		return &exitError{code: exitInvalid, err: errors.New("--steps must be at least 1")}
	case f.budget <= 0:
		return &exitError{code: exitInvalid, err: errors.New("--budget must be positive")}
	case f.confirm < 0:
		return &exitError{code: exitInvalid, err: errors.New("--confirm must be 0 or more")}
	}
	confirm := f.confirm
	if confirm == 0 {
		confirm = -1 // explore.Options: negative is none, 0 the default
	}
	if f.failFiles == "" {
		if st, err := os.Stat(filepath.Join("explore", "testdata")); err == nil && st.IsDir() {
			f.failFiles = filepath.Join("explore", "testdata", "rapid")
		}
	}
	stderr := cmd.ErrOrStderr()
	res, err := explore.Run(cmd.Context(), explore.Options{
		Config:     explore.Config{Servers: f.servers, Clients: f.clients, Steps: f.steps},
		Budget:     f.budget,
		Schedules:  f.schedules,
		Seed:       f.seed,
		Out:        f.out,
		FailFiles:  f.failFiles,
		ShrinkTime: f.shrinkTime,
		Confirm:    confirm,
		Progress:   stderr,
		Verbose:    f.verbose,
		Run:        scenarios.Options{Groups: plantedGroups},
	})
	if err != nil {
		return &exitError{code: exitInfra, err: err}
	}
	perMin := 0.0
	if m := res.Elapsed.Minutes(); m > 0 {
		perMin = float64(res.Tried) / m
	}
	out := cmd.OutOrStdout()
	if fl := res.Failure; fl != nil {
		if res.Interrupted {
			fmt.Fprintln(out, "interrupted while shrinking: the file holds the smallest failing schedule reached")
		}
		fmt.Fprintf(out, "FAIL after %d schedules (%v): %v\n", res.Tried, res.Elapsed.Round(time.Second), fl.Failed)
		fmt.Fprintf(out, "shrunk from %d to %d actions: %s\n", fl.Drawn, fl.Actions, fl.File)
		fmt.Fprintln(out, fl.Confirmation())
		for _, r := range fl.Outcome.Failed() {
			fmt.Fprintf(out, "  %s: %s\n", r.Name, r.Evidence)
		}
		if fl.Outputs != "" {
			fmt.Fprintf(out, "the failing run's timeline and report: %s\n", fl.Outputs)
		}
		if fl.FailFile != "" {
			fmt.Fprintf(out, "rapid fail file: %s (replayed first by go test ./explore -run %s)\n", fl.FailFile, explore.Name)
			if fl.SteppedBack > 0 {
				fmt.Fprintf(out, "  it holds the smallest schedule rapid kept, which did not fail again; %s is the one that did\n", fl.File)
			}
		}
		fmt.Fprintf(out, "replay: %s\n", fl.Replay)
		fmt.Fprintf(out, "search again: natschaos explore --seed %d --servers %d --clients %d --steps %d\n", fl.Seed, f.servers, f.clients, f.steps)
		return &exitError{code: exitFail, err: errors.New("")}
	}
	if res.Interrupted {
		fmt.Fprintf(out, "interrupted after %d schedules (%v), no failure so far\n", res.Tried, res.Elapsed.Round(time.Second))
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	}
	fmt.Fprintf(out, "PASS: %d schedules of %d steps in %v (%.1f per minute), no failure\n", res.Tried, f.steps, res.Elapsed.Round(time.Second), perMin)
	return nil
}
