package scenarios

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/sim"
)

// settleWithin bounds how long the end of a run waits for clients to be
// connected again before publishers stop: messages buffered by clients
// still reconnecting would otherwise look lost.
const settleWithin = 5 * time.Second

// initialMeshWithin bounds the wait for the servers started at boot to mesh
// before any client connects.
const initialMeshWithin = 10 * time.Second

// quietFor is how long subscribers must receive nothing new before the
// run counts what they got.
const quietFor = 300 * time.Millisecond

// errInterrupted marks a run stopped by its caller (Ctrl-C).
var errInterrupted = errors.New("interrupted")

// run is one execution of a scenario.
type run struct {
	sc   *Scenario
	opts Options
	seed int64
	rng  *mrand.Rand // every random choice of the run comes from here
	tl   *sim.Timeline

	layer    FaultLayer
	external *sim.External // an external cluster's backend, nil otherwise
	cluster  *sim.Cluster
	fleet    sim.ClientFleet
	js       *sim.JetStream // nil without a jetstream section
	leaves   *sim.LeafNodes // nil without a leafnodes section (run_leaf.go)

	liveMu sync.Mutex
	live   *assert.State // the timeline folded as it grows, for waits

	faultIDs map[int]string // step index → fault layer id
	timed    []timedFault   // faults injected with a duration (run_durations.go)
	note     string         // what the step running says of itself, on its StepEnd
	sec      *runSecurity   // generated keys and certificates, nil without security

	// refMu guards cluster, fleet and step, which the progress watcher
	// reads while the steps run.
	refMu sync.Mutex

	suspendMu sync.Mutex
	suspended map[string]string // freeze fault id → process server suspended for it
	step      int
	started   time.Time

	// stopHarness ends the runner's own lag sampler (run_fidelity.go).
	stopHarness func()
}

// Execute runs a validated scenario and returns its outcome. It never
// panics on a bad scenario and always tears everything down: servers,
// clients, proxies, goroutines. With opts.Out set it writes events.jsonl as
// the run goes and report.json at the end, even when interrupted.
func Execute(ctx context.Context, sc *Scenario, opts Options) *Outcome {
	if ctx == nil {
		ctx = context.Background()
	}
	sweepLeftovers()
	r := &run{sc: sc, opts: opts, tl: sim.NewTimeline(), live: assert.NewState(), faultIDs: map[int]string{}, started: time.Now()}
	r.seed = pickSeed(sc, opts)
	r.rng = mrand.New(mrand.NewPCG(uint64(r.seed), 0x6e617473))
	start := sim.Event{Kind: sim.RunStart, Scenario: sc.Name, Seed: r.seed, Detail: versions()}
	if !strings.HasPrefix(sc.File, "builtin:") {
		start.File = sc.File
	}
	if opts.ClientsScale > 0 && opts.ClientsScale != 1 {
		start.ClientsScale = opts.ClientsScale
	}
	o := &Outcome{Scenario: sc.Name, Seed: r.seed, Replay: reports.ReplayCommand(start)}
	if opts.Out != "" {
		o.Out = opts.Out
		if err := os.MkdirAll(opts.Out, 0o755); err != nil {
			return infraOutcome(o, err)
		}
		if err := r.tl.StreamTo(filepath.Join(opts.Out, "events.jsonl")); err != nil {
			return infraOutcome(o, err)
		}
	}
	r.tl.Subscribe(func(ev sim.Event) {
		r.liveMu.Lock()
		r.live.Apply(ev)
		r.liveMu.Unlock()
		if ev.Kind == sim.FaultEnd {
			r.resume(ev.Fault)
		}
	})

	timeout := sc.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	// Binaries are built (or found in the cache) before the scenario's
	// clock starts: a cold build takes about a minute.
	perr := sim.Prepare(ctx, opts.Backends, scenarioReleases(sc)...)
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	r.tl.Add(start)
	expEv, err := assert.ExpectationsEvent(expectations(sc))
	if err != nil {
		return infraOutcome(o, err)
	}
	r.tl.Add(expEv)
	r.watchHarness()
	stopWatch := r.watch(runCtx)
	err = perr
	if err == nil {
		err = r.setup(runCtx)
	}
	if err == nil {
		err = r.runSteps(runCtx)
	}
	switch {
	case ctx.Err() != nil:
		err = errInterrupted
		if cause := context.Cause(ctx); !errors.Is(cause, context.Canceled) {
			// Stopped for a reason of the caller's (a go test deadline).
			err = fmt.Errorf("%w at step %d: %w", errInterrupted, r.step, cause)
		}
	case runCtx.Err() != nil && err == nil || errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("the scenario's timeout of %v ran out at step %d", timeout, r.step)
	}
	r.teardown(err)
	stopWatch()
	if err == nil && r.layer != nil {
		// Dials the layer could not identify (and so could not cut) or an
		// internal failure of the layer make every verdict suspect.
		if lerr := r.layer.Err(); lerr != nil {
			err = fmt.Errorf("fault layer: %w", lerr)
		}
	}
	if err == nil {
		err = r.fleetErr()
	}

	// Judged once, from the timeline alone, as `natschaos report` does.
	o.Elapsed = time.Since(r.started)
	judged := reports.Judge(r.tl.Events(), reports.Extra{Err: err, Interrupted: errors.Is(err, errInterrupted), Replay: o.Replay, Elapsed: o.Elapsed})
	o.Report = judged.Report
	o.Results = judged.Report.Properties
	o.Late = lateNote(r.tl)
	o.Notes = reports.StepNotes(judged.Report.Steps)
	o.Err = judged.Err
	o.Interrupted = judged.Report.Interrupted
	o.Verdict = RunVerdict(judged.Report.Verdict)
	if opts.Out != "" {
		if werr := judged.WriteAll(opts.Out); werr != nil && o.Err == nil {
			infraOutcome(o, werr)
		}
	}
	return o
}

// infraOutcome makes o an error: the run could not be judged, or its
// report could not be written.
func infraOutcome(o *Outcome, err error) *Outcome {
	o.Err = err
	o.Verdict = VerdictError
	if o.Report == nil {
		o.Report = &reports.Report{SchemaVersion: reports.SchemaVersion, Scenario: o.Scenario, Seed: o.Seed, Replay: o.Replay,
			Properties: []assert.Result{}, Elapsed: o.Elapsed.Round(time.Millisecond).String()}
	}
	o.Report.Error, o.Report.Verdict = err.Error(), string(VerdictError)
	return o
}

func pickSeed(sc *Scenario, opts Options) int64 {
	switch {
	case opts.Seed != nil:
		return *opts.Seed
	case sc.Seed != nil:
		return *sc.Seed
	}
	return NewSeed()
}

// NewSeed draws a fresh seed: positive, so it is easy to type back.
func NewSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// watch reports progress and, when ctx ends, aborts whatever step blocks
// on the cluster so that teardown can begin.
func (r *run) watch(ctx context.Context) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				if c := r.clusterRef(); c != nil {
					c.Abort()
				}
				<-done
				return
			case <-t.C:
				r.progress()
				_ = r.tl.Flush()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func (r *run) clusterRef() *sim.Cluster {
	r.refMu.Lock()
	defer r.refMu.Unlock()
	return r.cluster
}

func (r *run) progress() {
	if r.opts.Progress == nil {
		return
	}
	r.refMu.Lock()
	f, step := r.fleet, r.step
	r.refMu.Unlock()
	s := Status{Step: step, Steps: len(r.sc.Steps), Elapsed: time.Since(r.started)}
	if step > 0 && step <= len(r.sc.Steps) {
		s.StepText = r.sc.Steps[step-1].Action.Describe()
	} else {
		s.StepText = "setting up"
	}
	if f != nil {
		s.Clients = f.ConnectedTo()
	}
	r.opts.Progress(s)
}

// setup starts the fault layer, the cluster and the clients.
func (r *run) setup(ctx context.Context) error {
	sec, err := newRunSecurity(r.sc)
	if err != nil {
		return err
	}
	r.sec = sec
	if r.opts.Secrets != nil {
		r.opts.Secrets(sec.secrets())
	}
	layer, network, err := r.newLayer()
	if err != nil {
		return err
	}
	r.layer = layer
	spec := clusterSpec(r.sc, r.opts)
	sec.apply(r.sc, &spec)
	r.leafHub(&spec)
	c, err := sim.NewCluster(r.externalSpec(withJetStream(r.sc, spec)), r.tl, network)
	if err != nil {
		return err
	}
	r.refMu.Lock()
	r.cluster = c
	r.refMu.Unlock()
	if err := c.StartAll(); err != nil {
		return err
	}
	// Clients connect to a formed cluster: while routes are still forming,
	// servers gossip changing URL lists and nats.go orders its pool by the
	// accident of which INFO came when. If the mesh does not form, the
	// scenario's own waits and expectations say so.
	r.waitQuietly(assert.Mesh, initialMeshWithin)
	r.waitQuietly(assert.GatewayMesh, initialMeshWithin) // holds at once for one cluster
	if err := r.startLeaves(c, network); err != nil {
		return err
	}
	groups := groupSpecs(r.sc, r.opts.ClientsScale)
	seedStrategies(r.sc, groups, r.seed)
	sec.applyClients(r.sc, groups)
	groups = append(groups, leafGroups(r.sc, r.opts.ClientsScale)...)
	if r.opts.Groups != nil {
		r.opts.Groups(groups)
	}
	f, err := r.newFleet(c, groups)
	if err != nil {
		return err
	}
	r.refMu.Lock()
	r.fleet = f
	r.refMu.Unlock()
	if err := f.Start(ctx); err != nil {
		return err
	}
	return r.startJS(ctx)
}

// teardown heals, lets clients settle, stops publishing, records what was
// received, and stops everything. It runs whatever happened before, on its
// own bounded clock.
func (r *run) teardown(cause error) {
	if r.layer != nil {
		r.layer.HealAll()
	}
	if r.fleet != nil {
		if cause == nil {
			r.waitQuietly(assert.Connected, settleWithin)
		}
		r.fleet.StopPublishing()
		r.fleet.Quiesce(quietFor, 5*time.Second)
	}
	r.finishJS(cause)
	if r.cluster != nil {
		r.cluster.ObserveNow()
	}
	if r.fleet != nil {
		r.fleet.Close()
	}
	if r.external != nil {
		r.external.Detach() // an external cluster is left running
	}
	r.closeLeaves()
	if r.cluster != nil {
		r.cluster.Close()
	}
	if r.external != nil {
		r.external.Close()
	}
	if r.layer != nil {
		r.layer.Close()
	}
	r.sec.remove()
	r.stopHarness()
	detail := "completed"
	if cause != nil {
		detail = "aborted: " + cause.Error()
	}
	r.tl.Add(sim.Event{Kind: sim.RunEnd, Detail: detail})
	_ = r.tl.Close()
}

// lateNote says how many workers' events arrived after events dated
// later, and by how much at most (see sim.Timeline.AddAt), or "". The
// verdicts use the times they were measured at; the live waits saw them
// that late, which a user tuning a wait's timeout should know.
func lateNote(tl *sim.Timeline) string {
	n, most := tl.Late()
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d worker events arrived after later ones, by up to %s (the waits saw them late; the verdicts use the times they were measured at)", n, most.Round(time.Millisecond))
}

// waitQuietly polls a predicate without recording a verdict.
func (r *run) waitQuietly(pred func(*assert.State) (bool, string), within time.Duration) {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		r.cluster.ObserveNow()
		evalStart := time.Now()
		r.liveMu.Lock()
		ok, _ := pred(r.live)
		r.liveMu.Unlock()
		if ok {
			return
		}
		time.Sleep(pollPause(time.Since(evalStart)))
	}
}

// suspend really stops a frozen server whose backend can (a process gets
// SIGSTOP, on top of the fault layer holding its links) until the freeze
// ends, however it ends: a heal, its duration, or the run's teardown.
func (r *run) suspend(id, server string) {
	if !r.cluster.Suspend(server) {
		return
	}
	r.suspendMu.Lock()
	if r.suspended == nil {
		r.suspended = map[string]string{}
	}
	r.suspended[id] = server
	r.suspendMu.Unlock()
	// A freeze short enough to have ended already recorded its FaultEnd
	// before it was registered here.
	if !slices.Contains(r.layer.Active(), id) {
		r.resume(id)
	}
}

// resume is called for every FaultEnd, under the timeline's lock: it only
// signals a process, it never appends.
func (r *run) resume(id string) {
	r.suspendMu.Lock()
	server, ok := r.suspended[id]
	delete(r.suspended, id)
	r.suspendMu.Unlock()
	if ok {
		r.cluster.Resume(server)
	}
}
