package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/sim"
)

// Options tune a lab: one scenario run across variants.
type Options struct {
	Axes []scenarios.Axis
	// Window is the herd window the figures count in (default: the
	// scenario's herd window, else scenarios.DefaultHerdWindow).
	Window time.Duration
	// Runs per variant (default 1). Every variant's n-th run has the same
	// seed, so variants differ by their settings alone.
	Runs int
	Seed *int64
	// Out is the folder: one sub-folder per run, and lab.json, lab.md and
	// lab.html. Required: figures are read back from each run's
	// events.jsonl.
	Out string
	// Progress is told when each run ends.
	Progress func(run reports.LabRun)
	Command  string // the command line, for the report
}

// InvalidError is a lab's bad input: the scenario or a variant of it
// is invalid. Nothing ran.
type InvalidError struct{ Err error }

func (e *InvalidError) Error() string { return e.Err.Error() }
func (e *InvalidError) Unwrap() error { return e.Err }

// Run runs every variant of the scenario fileOrName and compares them.
// An invalid scenario or a variant it cannot take is an *InvalidError,
// returned before anything runs.
func Run(ctx context.Context, fileOrName string, opts Options) (*reports.Comparison, error) {
	if opts.Out == "" {
		return nil, &InvalidError{fmt.Errorf("lab: an output folder is required")}
	}
	base, err := scenarios.Load(fileOrName)
	if err != nil {
		return nil, &InvalidError{err}
	}
	window := opts.Window
	if window <= 0 {
		window = scenarios.DefaultHerdWindow
		if h, ok := scenarios.ExpectParams[assert.HerdParams](base.Expect, scenarios.PropHerd); ok && h.Window > 0 {
			window = h.Window
		}
	}
	runs := max(opts.Runs, 1)
	variants := scenarios.Variants(opts.Axes)
	type prepared struct {
		v     scenarios.Variant
		sc    *scenarios.Scenario
		scale float64
	}
	var todo []prepared
	for _, v := range variants {
		sc, err := scenarios.Load(fileOrName) // a fresh copy for each variant
		if err != nil {
			return nil, &InvalidError{err}
		}
		scale, err := v.Apply(sc)
		if err != nil {
			return nil, &InvalidError{err}
		}
		todo = append(todo, prepared{v, sc, scale})
	}
	// Run n of every variant has the same seed: the first is the flag's,
	// else the file's, else a fresh one; the next ones follow it.
	first := scenarios.NewSeed()
	switch {
	case opts.Seed != nil:
		first = *opts.Seed
	case base.Seed != nil:
		first = *base.Seed
	}
	seeds := make([]int64, runs)
	for i := range seeds {
		seeds[i] = first + int64(i)
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	var all []reports.LabRun
	for _, p := range todo {
		for i, seed := range seeds {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			out := filepath.Join(opts.Out, fmt.Sprintf("%s-%d", slug(p.v.Name), i+1))
			o := scenarios.Execute(ctx, p.sc, scenarios.Options{Seed: &seed, Out: out, ClientsScale: p.scale})
			r := reports.LabRun{Variant: p.v.Name, Run: i + 1, Seed: o.Seed, Verdict: string(o.Verdict), Expected: string(p.sc.Expected()), Out: out}
			for _, s := range p.v.Settings {
				r.Settings = append(r.Settings, s.Key+"="+s.Value)
			}
			if o.Err != nil {
				r.Err = o.Err.Error()
			}
			if o.Interrupted {
				return nil, o.Err
			}
			events, err := sim.ReadEventsFile(filepath.Join(out, "events.jsonl"))
			if err != nil {
				return nil, err
			}
			r.Figures = assert.Herd(events, window)
			all = append(all, r)
			if opts.Progress != nil {
				opts.Progress(r)
			}
		}
	}
	c := reports.Compare(base.Name, opts.Command, window, all)
	return c, writeLab(opts.Out, c)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.=-]+`)

// slug makes a variant's name a folder name.
func slug(name string) string {
	s := unsafeChars.ReplaceAllString(strings.ReplaceAll(name, ",", "_"), "-")
	if len(s) > 100 {
		s = s[:100]
	}
	return s
}

func writeLab(dir string, c *reports.Comparison) error {
	for name, write := range map[string]func(*os.File) error{
		"lab.json": func(f *os.File) error { return reports.WriteComparisonJSON(f, c) },
		"lab.md":   func(f *os.File) error { return reports.WriteComparisonMarkdown(f, c) },
		"lab.html": func(f *os.File) error { return reports.WriteComparisonHTML(f, c) },
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		werr := write(f)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("%s: %w", name, werr)
		}
	}
	return nil
}
