package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/sim"
	"github.com/natschaos/natschaos/workers"
)

// RunVerdict is a run's overall verdict, as report.json spells it.
type RunVerdict string

const (
	VerdictPass    RunVerdict = "pass"    // every expectation holds (warnings allowed)
	VerdictFail    RunVerdict = "fail"    // a property failed: exit 1
	VerdictInvalid RunVerdict = "invalid" // the file or flags are wrong: exit 2
	VerdictError   RunVerdict = "error"   // infrastructure, timeout or interruption: exit 3 (130 when interrupted)
)

// Options tune one run; the zero value runs the scenario as written.
type Options struct {
	// Seed replaces the file's seed; nil keeps it (or picks a fresh one).
	Seed *int64
	// Out is the output folder; empty writes nothing to disk.
	Out string
	// ClientsScale multiplies every client group's count (0 means 1).
	ClientsScale float64
	Verbose      bool
	// Progress, when set, is called a few times a second and at each step.
	Progress func(Status)
	// Groups, when set, may adjust the engine's client groups before they
	// start: how tests plant defects (sim.GroupSpec.Defect) the file format
	// cannot express.
	Groups func([]sim.GroupSpec)
	// JetStream, when set, may adjust the engine's JetStream spec before
	// it starts: how tests plant JetStream defects
	// (sim.JSPublisherSpec.Defect).
	JetStream func(*sim.JetStreamSpec)
	// Backends run the servers (sim.ClusterSpec.Backends); nil means
	// embedded for its own release and a nats-server process for any
	// other. []sim.Backend{sim.Process{AllVersions: true}} runs every
	// server as a process, the embedded release included.
	Backends []sim.Backend
	// Secrets, when set, is given every password, token and nkey seed the
	// run generated, before any server starts: how the secrets test knows
	// what to look for in the outputs.
	Secrets func([]string)
	// Workers, when set, runs the client groups in worker processes
	// (package workers) instead of this one.
	Workers *workers.Config
	// Fidelity is how the run judges the harness's own lag: the zero
	// value warns when it passes assert.DefaultLagBound in a fault
	// window; Strict makes such a run an error.
	Fidelity assert.FidelityPolicy
}

// Status is the live state of a run, for progress displays.
type Status struct {
	Step     int // 1-based; 0 while setting up
	Steps    int
	StepText string
	Elapsed  time.Duration
	Clients  map[string]int // clients connected per server, as the clients see it
}

// Outcome is what one run concluded.
type Outcome struct {
	Scenario string
	Seed     int64
	Verdict  RunVerdict
	Results  []assert.Result
	// Err is the infrastructure error, timeout or interruption, if any.
	Err         error
	Interrupted bool
	Out         string
	// Replay is the exact command that runs the same scenario again.
	Replay string
	// Late, when not empty, says that some workers' events arrived late
	// and how far their times may be off (see sim.Timeline.Late).
	Late string
	// Notes say where what ran differs from what the steps say at a
	// glance, one per step concerned: a wait that held at once only
	// because a fault was in force, the wait after the steps for declared
	// durations (reports.StepNotes).
	Notes   []string
	Elapsed time.Duration
	// Report is what report.json holds: Verdict, Results and Err come
	// from it. Never nil once Execute returns.
	Report *reports.Report
}

// FailureText lists the failed results, one a line with their details
// below, each line after indent, and the run's error if it had one: what
// a test prints for a run that should have passed.
func (o *Outcome) FailureText(indent string) string {
	var b strings.Builder
	for _, r := range o.Failed() {
		fmt.Fprintf(&b, "%s%s: %s\n", indent, r.Name, r.Evidence)
		for _, d := range r.Details {
			fmt.Fprintf(&b, "%s  %s\n", indent, d)
		}
	}
	if o.Err != nil {
		fmt.Fprintf(&b, "%serror: %v\n", indent, o.Err)
	}
	return b.String()
}

// Failed lists the results that fail the run.
func (o *Outcome) Failed() []assert.Result {
	var out []assert.Result
	for _, r := range o.Results {
		if r.Verdict == assert.Fail {
			out = append(out, r)
		}
	}
	return out
}
