package explore

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/natschaos/natschaos/scenarios"
)

// Options of one exploration.
type Options struct {
	Config
	// Budget: no new schedule starts after it (default 5m). Shrinking a
	// failure found in time runs to its end (bounded by ShrinkTime).
	Budget time.Duration
	// Schedules, when positive, stops after that many schedules.
	Schedules int
	// ReplayOnly replays the saved fail files (testdata/rapid/TestExplore
	// under the working directory) and draws no new schedule.
	ReplayOnly bool
	// Seed is the first schedule's seed (0: a random one); schedule i is
	// drawn from Seed+i, so a seed printed with a failure draws it again.
	Seed uint64
	// Out is the folder failing-<seed>.yaml is written to (default ".").
	Out string
	// FailFiles is the folder rapid's fail file is moved to, such as
	// explore/testdata/rapid, where TestExplore replays it first. Empty
	// leaves it where rapid writes it: testdata/rapid under the working
	// directory. NoFailFile writes none.
	FailFiles  string
	NoFailFile bool
	// ShrinkTime bounds the shrinking of a failure (default 3m), and
	// separately its confirmation.
	ShrinkTime time.Duration
	// Confirm is how many replays the smallest failing schedule gets to
	// fail again before the explorer steps back to a larger one that does
	// (default 2; negative: no confirmation). See confirm.go.
	Confirm int
	// Run is passed to every scenarios.Execute; tests plant defects with
	// its Groups hook.
	Run scenarios.Options
	// Progress receives a line per schedule and per shrinking run;
	// Verbose adds each schedule's steps.
	Progress io.Writer
	Verbose  bool
}

// Result is what an exploration found.
type Result struct {
	Tried       int // schedules drawn and run (shrinking runs not counted)
	Runs        int // scenario runs, shrinking included (cached repeats not counted)
	Elapsed     time.Duration
	Failure     *Failure // nil when every schedule held
	Interrupted bool
}

// Failure is a schedule that broke an invariant, shrunk.
type Failure struct {
	Seed     uint64 // the schedule's seed: --seed replays the search
	Scenario *scenarios.Scenario
	YAML     []byte // the scenario file, as written
	File     string // where it was written: failing-<seed>.yaml
	Replay   string // the command that runs it again
	Outcome  *scenarios.Outcome
	Outputs  string // the failing run's events.jsonl and report.json
	Actions  int    // after shrinking
	Drawn    int    // before shrinking
	Failed   []string
	FailFile string // rapid's fail file, when saved
	// Reproduced is the replay (1 to Options.Confirm) in which the written
	// schedule failed the same way again; 0 when it was not confirmed.
	Reproduced int
	// SteppedBack counts the smaller failing schedules that did not fail
	// again and were passed over for this one.
	SteppedBack int
	// Flaky: no failing schedule, down to the one first drawn, failed
	// again (or rapid could not reproduce the failure as first seen).
	Flaky     bool
	RapidLogs string
}

// Name is the rapid test name of explorations: fail files are saved under
// testdata/rapid/TestExplore/, where the explore package's TestExplore
// replays them first.
const Name = "TestExplore"

// Run explores until the budget, the schedule count or a failure ends it.
// It drives rapid's own engine (rapid.Check, one check per schedule) so
// that shrinking and fail files are rapid's.
func Run(ctx context.Context, o Options) (*Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	o.Config = o.Config.withDefaults()
	if o.Budget <= 0 {
		o.Budget = 5 * time.Minute
	}
	if o.ShrinkTime <= 0 {
		o.ShrinkTime = 3 * time.Minute
	}
	if o.Out == "" {
		o.Out = "."
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	seed := o.Seed
	if seed == 0 {
		seed = uint64(scenarios.NewSeed())
	}
	if o.ReplayOnly {
		o.Schedules = 1
	}
	restore, err := setRapidFlags(o)
	if err != nil {
		return nil, err
	}
	defer restore()

	e := &explorer{ctx: ctx, o: o, memo: map[string]*scenarios.Outcome{}, exec: scenarios.Execute}
	res := &Result{}
	start := time.Now()
	for {
		if ctx.Err() != nil {
			res.Interrupted = true
			break
		}
		if time.Since(start) >= o.Budget || o.Schedules > 0 && res.Tried >= o.Schedules {
			break
		}
		s := seed + uint64(res.Tried)
		h := &harness{}
		e.begin(s)
		if err := flag.Set("rapid.seed", strconv.FormatUint(s, 10)); err != nil {
			return nil, err
		}
		h.run(func() { rapid.Check(h, e.property) })
		res.Tried++
		if ctx.Err() != nil {
			res.Interrupted = true
			if e.fail != nil {
				// Interrupted while shrinking: write what was reached.
				f, err := e.report(s, h)
				res.Failure = f
				res.Runs, res.Elapsed = e.runs, time.Since(start)
				return res, err
			}
			break
		}
		if e.fail != nil {
			e.confirm()
			f, err := e.report(s, h)
			res.Failure = f
			res.Interrupted = ctx.Err() != nil
			res.Runs, res.Elapsed = e.runs, time.Since(start)
			return res, err
		}
		if h.failed {
			// rapid failed without a failing run: an error of the harness.
			return res, fmt.Errorf("explore: rapid: %s", strings.Join(h.errors, "; "))
		}
		fmt.Fprintf(o.Progress, "explore: %d schedules tried in %v, no failure (last: seed %d, %d actions, %v)\n",
			res.Tried, time.Since(start).Round(time.Second), s, e.lastActions, e.lastElapsed.Round(10*time.Millisecond))
	}
	res.Runs, res.Elapsed = e.runs, time.Since(start)
	return res, nil
}

// explorer is the property rapid checks: draw a schedule, run it, fail
// when the run does.
type explorer struct {
	ctx  context.Context
	o    Options
	memo map[string]*scenarios.Outcome // by file text: rapid replays and shrinks revisit schedules
	runs int
	exec func(context.Context, *scenarios.Scenario, scenarios.Options) *scenarios.Outcome // scenarios.Execute; tests fake it

	seed        uint64
	drawn       int        // actions of the first schedule drawn from the seed
	fail        *failing   // the smallest failing schedule so far
	fails       []*failing // every failing schedule rapid accepted, in order (see confirm)
	lastActions int
	lastElapsed time.Duration
}

type failing struct {
	sc   *scenarios.Scenario
	text []byte
	out  *scenarios.Outcome
	// Set by confirm: the replay that failed again, the smaller schedules
	// that did not, and whether none did.
	replays, steppedBack int
	flaky                bool
}

func (e *explorer) begin(seed uint64) { e.seed, e.drawn, e.fail, e.fails = seed, -1, nil, nil }

func (e *explorer) property(t *rapid.T) {
	if e.ctx.Err() != nil {
		t.SkipNow()
	}
	sc, text := Schedule(t, e.o.Config, int64(e.seed))
	actions := Actions(sc)
	if e.drawn < 0 {
		e.drawn = actions
	}
	out, cached := e.memo[string(text)]
	if !cached {
		if e.o.Verbose {
			fmt.Fprintf(e.o.Progress, "explore: seed %d:\n%s\n", e.seed, stepsOf(text))
		}
		out = e.execute(sc)
		if e.ctx.Err() != nil {
			t.SkipNow()
		}
		e.memo[string(text)] = out
		if e.fail != nil {
			fmt.Fprintf(e.o.Progress, "explore: shrinking seed %d: run %d, %d actions: %s (%v)\n",
				e.seed, e.runs, actions, out.Verdict, out.Elapsed.Round(10*time.Millisecond))
		}
	}
	e.lastActions, e.lastElapsed = actions, out.Elapsed
	failed := failedNames(out)
	if out.Verdict != scenarios.VerdictPass {
		e.accept(&failing{sc: sc, text: text, out: out})
	}
	switch out.Verdict {
	case scenarios.VerdictPass:
		return
	case scenarios.VerdictFail:
		t.Logf("%s", out.FailureText(""))
		// The message must not vary between runs of one failure: rapid
		// shrinks only while the failure stays the same.
		t.Fatalf("properties failed: %s", strings.Join(failed, ", "))
	default:
		t.Logf("error: %v", out.Err)
		t.Fatalf("the run could not complete (verdict %s)", out.Verdict)
	}
}

// execute runs a schedule once, uncached. Each run writes its timeline
// and report; a failing run's are kept (see keep), the rest removed.
func (e *explorer) execute(sc *scenarios.Scenario) *scenarios.Outcome {
	opts := e.o.Run
	opts.Seed = nil // the file's seed
	if opts.Out == "" {
		if tmp, err := os.MkdirTemp("", "natschaos-explore-"); err == nil {
			opts.Out = tmp
			defer os.RemoveAll(tmp)
		}
	}
	out := e.exec(e.ctx, sc, opts)
	e.runs++
	if out.Verdict != scenarios.VerdictPass && e.ctx.Err() == nil {
		e.keep(out)
	}
	return out
}

// stepsOf is the actions of a schedule's file text, one a line.
func stepsOf(text []byte) string {
	var out []string
	in := false
	for _, l := range strings.Split(string(text), "\n") {
		switch {
		case l == "steps:":
			in = true
		case in && !strings.HasPrefix(l, " "):
			in = false
		case in && strings.HasPrefix(l, "  - ") && !strings.HasPrefix(l, "  - wait:"):
			out = append(out, l)
		case in && strings.HasPrefix(l, "      "):
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// keep moves a failing run's outputs out of the temporary folder, into
// one folder per run under Out; report keeps the shrunk run's as
// failing-<seed>.out and removes the others.
func (e *explorer) keep(out *scenarios.Outcome) {
	runs := e.runsDir()
	if out.Out == "" || e.o.Run.Out != "" || strings.HasPrefix(out.Out, runs) {
		return // none, the caller's, or already kept (a cached outcome)
	}
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return
	}
	dst := filepath.Join(runs, strconv.Itoa(e.runs))
	if err := os.Rename(out.Out, dst); err == nil {
		out.Out = dst
		return
	}
	// Another file system: copy the two files that matter.
	_ = os.MkdirAll(dst, 0o755)
	for _, f := range []string{"events.jsonl", "report.json"} {
		if b, err := os.ReadFile(filepath.Join(out.Out, f)); err == nil {
			_ = os.WriteFile(filepath.Join(dst, f), b, 0o644)
		}
	}
	out.Out = dst
}

func (e *explorer) runsDir() string {
	return filepath.Join(e.o.Out, fmt.Sprintf(".failing-%d-runs", e.seed))
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// report writes the shrunk schedule: the last failing run rapid made is
// the minimal one (rapid replays it last).
func (e *explorer) report(seed uint64, h *harness) (*Failure, error) {
	f := &Failure{Seed: seed, Scenario: e.fail.sc, Outcome: e.fail.out, Outputs: e.fail.out.Out, Actions: Actions(e.fail.sc), Drawn: e.drawn, RapidLogs: strings.Join(h.logs, "\n")}
	for _, r := range e.fail.out.Failed() {
		f.Failed = append(f.Failed, r.Name)
	}
	f.Reproduced, f.SteppedBack, f.Flaky = e.fail.replays, e.fail.steppedBack, e.fail.flaky
	for _, m := range h.errors {
		if strings.Contains(m, "flaky test") {
			f.Flaky = true
		}
	}
	if err := os.MkdirAll(e.o.Out, 0o755); err != nil {
		return f, err
	}
	f.File = filepath.Join(e.o.Out, fmt.Sprintf("failing-%d.yaml", seed))
	f.Replay = "natschaos run " + f.File
	header := fmt.Sprintf("# Found by: natschaos explore --seed %d --servers %d --clients %d --steps %d\n"+
		"# Shrunk from %d to %d actions. Replay: %s\n# Failed: %s\n# %s\n",
		seed, e.o.Servers, e.o.Clients, e.o.Steps, f.Drawn, f.Actions, f.Replay, strings.Join(f.Failed, ", "), f.Confirmation())
	f.YAML = append([]byte(header), e.fail.text...)
	if runs := e.runsDir(); strings.HasPrefix(f.Outputs, runs) {
		dst := filepath.Join(e.o.Out, fmt.Sprintf("failing-%d.out", seed))
		_ = os.RemoveAll(dst)
		if err := os.Rename(f.Outputs, dst); err == nil {
			f.Outputs = dst
		}
		_ = os.RemoveAll(runs)
	}
	if err := os.WriteFile(f.File, f.YAML, 0o644); err != nil {
		return f, err
	}
	if !e.o.NoFailFile {
		ff, err := moveFailFile(h.started, e.o.FailFiles)
		if err != nil {
			return f, err
		}
		// After a step back it holds the smaller schedule rapid kept,
		// which did not fail again: still rapid's record of the search
		// (the output says so).
		f.FailFile = ff
	}
	return f, nil
}

// moveFailFile finds the fail file rapid saved under the working directory
// since the check began and moves it into dir (when set).
func moveFailFile(since time.Time, dir string) (string, error) {
	src := filepath.Join("testdata", "rapid", Name)
	matches, _ := filepath.Glob(filepath.Join(src, Name+"-*.fail"))
	newest, when := "", time.Time{}
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && !st.ModTime().Before(since.Add(-time.Second)) && st.ModTime().After(when) {
			newest, when = m, st.ModTime()
		}
	}
	if newest == "" || dir == "" {
		return newest, nil
	}
	dst := filepath.Join(dir, Name)
	if a, _ := filepath.Abs(src); a == mustAbs(dst) {
		return newest, nil
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return newest, err
	}
	target := filepath.Join(dst, filepath.Base(newest))
	if err := os.Rename(newest, target); err != nil {
		return newest, err
	}
	// Leave no empty testdata/rapid/TestExplore behind in the working directory.
	for _, d := range []string{src, filepath.Dir(src), "testdata"} {
		_ = os.Remove(d) // only succeeds when empty
	}
	return target, nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

var flagsMu sync.Mutex

// setRapidFlags sets rapid's flags for one check per schedule, and
// returns a function that restores them.
func setRapidFlags(o Options) (func(), error) {
	flagsMu.Lock()
	names := []string{"rapid.checks", "rapid.seed", "rapid.shrinktime", "rapid.nofailfile", "rapid.failfile"}
	saved := map[string]string{}
	for _, n := range names {
		fl := flag.Lookup(n)
		if fl == nil {
			flagsMu.Unlock()
			return nil, fmt.Errorf("explore: rapid flag %s not registered", n)
		}
		saved[n] = fl.Value.String()
	}
	restore := func() {
		for n, v := range saved {
			_ = flag.Set(n, v)
		}
		flagsMu.Unlock()
	}
	checks := 1
	switch {
	case o.ReplayOnly:
		checks = 0 // rapid replays the fail files, then checks nothing new
	case short():
		checks = 5 // rapid divides by 5 under -short
	}
	set := map[string]string{
		"rapid.checks":     strconv.Itoa(checks),
		"rapid.shrinktime": o.ShrinkTime.String(),
		"rapid.nofailfile": strconv.FormatBool(o.NoFailFile),
		"rapid.failfile":   "",
	}
	for n, v := range set {
		if err := flag.Set(n, v); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

// short is testing.Short. rapid calls it, so outside `go test` (the
// command) the testing flags are registered and marked parsed here, with
// no arguments: cobra parses the command's own flags.
func short() bool {
	if flag.Lookup("test.short") == nil {
		testing.Init()
	}
	if !flag.Parsed() {
		_ = flag.CommandLine.Parse(nil)
	}
	return testing.Short()
}

// harness is the rapid.TB explorations run under: the same engine as
// `go test`, outside it.
type harness struct {
	started time.Time
	failed  bool
	errors  []string
	logs    []string
}

type harnessStop struct{}

func (h *harness) run(f func()) {
	h.started = time.Now()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(harnessStop); !ok {
				panic(r)
			}
		}
	}()
	f()
}

func (h *harness) Helper()      {}
func (h *harness) Name() string { return Name }
func (h *harness) Logf(format string, args ...any) {
	h.logs = append(h.logs, fmt.Sprintf(format, args...))
}
func (h *harness) Log(args ...any)                  { h.logs = append(h.logs, fmt.Sprint(args...)) }
func (h *harness) Skipf(format string, args ...any) { panic(harnessStop{}) }
func (h *harness) Skip(args ...any)                 { panic(harnessStop{}) }
func (h *harness) SkipNow()                         { panic(harnessStop{}) }
func (h *harness) Errorf(format string, args ...any) {
	h.failed = true
	h.errors = append(h.errors, fmt.Sprintf(format, args...))
}
func (h *harness) Error(args ...any) {
	h.failed = true
	h.errors = append(h.errors, fmt.Sprint(args...))
}
func (h *harness) Fatalf(format string, args ...any) {
	h.Errorf(format, args...)
	panic(harnessStop{})
}
func (h *harness) Fatal(args ...any) { h.Error(args...); panic(harnessStop{}) }
func (h *harness) FailNow()          { h.failed = true; panic(harnessStop{}) }
func (h *harness) Fail()             { h.failed = true }
func (h *harness) Failed() bool      { return h.failed }

var _ rapid.TB = (*harness)(nil)
