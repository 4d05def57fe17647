package qualify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/explore"
	"github.com/natschaos/natschaos/internal/compare"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/sim"
	"github.com/natschaos/natschaos/workers"
)

// Side is what one side of the qualification runs.
type Side struct {
	// Server is the nats-server release every server of every scenario
	// starts as ("embedded" or empty: the release built into natschaos,
	// in-process). Restart steps that name a release keep it.
	Server string `json:"server"`
	// Client is the nats.go release the side's client fleets run on, in
	// a worker process built against it (ClientBinaries); empty: the
	// release natschaos is built with, in-process unless the other side
	// names one.
	Client string `json:"client,omitempty"`
	// Groups, when set, adjusts the side's client groups before they
	// start: how tests plant a regression the file format cannot express.
	Groups func([]sim.GroupSpec) `json:"-"`
}

// Label is how reports name the side.
func (s Side) Label() string {
	l := s.Server
	if s.embedded() {
		l = "embedded v" + sim.EmbeddedVersion
	}
	if s.Client != "" {
		l += ", nats.go " + s.Client
	}
	return l
}

func (s Side) embedded() bool { return s.Server == "" || s.Server == scenarios.DefaultVersion }

// Options tune a qualification.
type Options struct {
	Baseline, Candidate Side
	// Suite is what Resolve returned.
	Suite []string
	// Runs per side per scenario (default 5).
	Runs int
	// Seed of every scenario's first run; run i has Seed+i on both sides.
	// Nil: the file's seed, else a fresh one.
	Seed *int64
	// Out is the folder: one sub-folder per scenario and run, and the
	// qualify.* files. Required.
	Out string
	// Tolerances override the kinds' defaults, by figure or kind name.
	Tolerances map[string]compare.Tolerance
	// Alpha is the significance level (default compare.DefaultAlpha).
	Alpha float64
	// Progress is told when each run ends.
	Progress func(Progress)
	// Command reproduces the qualification, for the report.
	Command string
	// Clients builds the worker binaries of sides that name a nats.go
	// release; nil means a ClientBinaries on the default cache.
	Clients *ClientBinaries
}

// Progress is where a qualification stands.
type Progress struct {
	Done, Total int
	Elapsed     time.Duration
	Left        time.Duration // estimated from the mean run so far
	Run         RunRecord
}

// RunRecord is one run of one side.
type RunRecord struct {
	Scenario string  `json:"scenario"`
	Side     string  `json:"side"` // "baseline" or "candidate"
	Run      int     `json:"run"`  // 1-based
	Seed     int64   `json:"seed"`
	Verdict  string  `json:"verdict"`
	Out      string  `json:"out"`
	Replay   string  `json:"replay"`
	Err      string  `json:"error,omitempty"`
	Seconds  float64 `json:"seconds"`
	Figures  Figures `json:"figures"`
}

// InvalidError is bad input: nothing ran.
type InvalidError struct{ Err error }

func (e *InvalidError) Error() string { return e.Err.Error() }
func (e *InvalidError) Unwrap() error { return e.Err }

const (
	sideBaseline  = "baseline"
	sideCandidate = "candidate"
)

type planned struct {
	ref    string
	name   string
	window time.Duration
	seed   int64
}

// Run qualifies the candidate against the baseline over the suite. It
// returns the report even when interrupted (Report.Interrupted), with
// what ran compared; an error means nothing could be reported.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Out == "" {
		return nil, &InvalidError{errors.New("qualify: an output folder is required")}
	}
	if len(opts.Suite) == 0 {
		return nil, &InvalidError{errors.New("qualify: the suite is empty")}
	}
	runs := opts.Runs
	if runs <= 0 {
		runs = 5
	}
	for _, s := range []Side{opts.Baseline, opts.Candidate} {
		if _, ok := sim.NormalizeVersion(s.Server); !ok && !s.embedded() {
			return nil, &InvalidError{fmt.Errorf("%q is not a nats-server release (like v2.15.2) nor embedded", s.Server)}
		}
	}
	var plan []planned
	for _, ref := range opts.Suite {
		sc, err := scenarios.Load(ref)
		if err != nil {
			return nil, &InvalidError{err}
		}
		p := planned{ref: ref, name: sc.Name, window: scenarios.DefaultHerdWindow, seed: scenarios.NewSeed()}
		if h, ok := scenarios.ExpectParams[assert.HerdParams](sc.Expect, scenarios.PropHerd); ok && h.Window > 0 {
			p.window = h.Window
		}
		switch {
		case opts.Seed != nil:
			p.seed = *opts.Seed
		case sc.Seed != nil:
			p.seed = *sc.Seed
		}
		plan = append(plan, p)
	}
	var backends []sim.Backend
	if !opts.Baseline.embedded() || !opts.Candidate.embedded() {
		// Both sides as processes: in-process servers would be timed
		// differently from the release they are compared with.
		backends = []sim.Backend{sim.Process{AllVersions: true}}
	}
	fleets, err := workerFleets(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	rep := newReport(opts, runs)
	started := time.Now()
	total, done := len(plan)*runs*2, 0
	for _, p := range plan {
		var records []RunRecord
		for i := range runs {
			for _, side := range []string{sideBaseline, sideCandidate} {
				if ctx.Err() != nil {
					break
				}
				s, w := opts.Baseline, fleets[0]
				if side == sideCandidate {
					s, w = opts.Candidate, fleets[1]
				}
				rec := runOne(ctx, p, s, side, i+1, p.seed+int64(i), opts.Out, backends, w)
				records = append(records, rec)
				done++
				if opts.Progress != nil {
					el := time.Since(started)
					opts.Progress(Progress{Done: done, Total: total, Elapsed: el, Left: el / time.Duration(done) * time.Duration(total-done), Run: rec})
				}
			}
		}
		rep.add(p, records)
		if ctx.Err() != nil {
			rep.Interrupted = true
			break
		}
	}
	rep.Seconds = time.Since(started).Seconds()
	rep.finish()
	return rep, write(opts.Out, rep)
}

// runOne runs one scenario on one side into its own folder, with the
// scenario file it ran written beside the run's reports.
func runOne(ctx context.Context, p planned, s Side, side string, run int, seed int64, out string, backends []sim.Backend, w *workers.Config) RunRecord {
	rec := RunRecord{Scenario: p.name, Side: side, Run: run, Seed: seed,
		Out: filepath.Join(out, slug(p.name), fmt.Sprintf("%s-%d", side, run))}
	sc, err := scenarios.Load(p.ref) // a fresh copy: sides must not share edits
	if err != nil {
		rec.Err, rec.Verdict = err.Error(), string(scenarios.VerdictError)
		return rec
	}
	if !s.embedded() {
		for i := range sc.Cluster.Servers {
			sc.Cluster.Servers[i].Version = s.Server
		}
	}
	o := scenarios.Execute(ctx, sc, scenarios.Options{Seed: &seed, Out: rec.Out, Groups: s.Groups, Backends: backends, Workers: w})
	rec.Verdict, rec.Seconds = string(o.Verdict), o.Elapsed.Seconds()
	if o.Err != nil {
		rec.Err = o.Err.Error()
	}
	rec.Replay = o.Replay
	if y, err := explore.Marshal(sc); err == nil {
		file := filepath.Join(rec.Out, "scenario.yaml")
		if os.WriteFile(file, y, 0o644) == nil {
			rec.Replay = fmt.Sprintf("natschaos run %s --seed %d", file, seed)
		}
	}
	events, err := sim.ReadEventsFile(filepath.Join(rec.Out, "events.jsonl"))
	if err != nil {
		if rec.Err == "" {
			rec.Err = err.Error()
		}
		return rec
	}
	rec.Figures = Extract(events, o.Results, p.window)
	return rec
}

// workerFleets is each side's worker configuration: nil for both when
// neither names a nats.go release; else both run their fleets in a worker
// process (one side's in-process fleet would be timed differently), the
// side without a release on the one natschaos is built with.
func workerFleets(ctx context.Context, opts Options) ([2]*workers.Config, error) {
	var out [2]*workers.Config
	if opts.Baseline.Client == "" && opts.Candidate.Client == "" {
		return out, nil
	}
	bins := opts.Clients
	if bins == nil {
		bins = &ClientBinaries{}
	}
	var versions [2]string
	for i, s := range []Side{opts.Baseline, opts.Candidate} {
		v := s.Client
		if v == "" {
			if v = EmbeddedClientVersion(); v == "" {
				return out, &InvalidError{errors.New("qualify: name both sides' nats.go releases (this binary does not know its own)")}
			}
		}
		if _, ok := sim.NormalizeVersion(v); !ok {
			return out, &InvalidError{fmt.Errorf("%q is not a nats.go release (like v1.55.0)", v)}
		}
		versions[i] = v
	}
	for i, v := range versions { // checked both before building either
		bin, err := bins.Path(ctx, v)
		if err != nil {
			return out, err
		}
		out[i] = &workers.Config{Local: 1, Command: []string{bin, "worker"}}
	}
	return out, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.=-]+`)

func slug(name string) string { return unsafeChars.ReplaceAllString(name, "-") }
