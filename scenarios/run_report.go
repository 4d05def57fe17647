package scenarios

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/sim"
)

// evaluate runs the checkers over the recorded timeline. A run that ended
// in an infrastructure error or interruption still gets its expectations
// evaluated over what was recorded: partial evidence beats none.
func (r *run) evaluate(cause error) []assert.Result {
	return assert.Evaluate(expectations(r.sc), r.tl.Events())
}

func verdictOf(o *Outcome) Verdict {
	if o.Err != nil {
		return VerdictError
	}
	for _, res := range o.Results {
		if res.Verdict == assert.Fail {
			return VerdictFail
		}
	}
	return VerdictPass
}

// finalDistribution is the servers' own client counts at the end, as text.
func finalDistribution(events []sim.Event) string {
	m := reports.FinalClients(events)
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s=%d", n, m[n]))
	}
	return strings.Join(parts, " ")
}

// replayCommand is the exact command that runs the same scenario again.
func replayCommand(sc *Scenario, seed int64, opts Options) string {
	target := sc.File
	if target == "" || strings.HasPrefix(target, "builtin:") {
		target = sc.Name
	}
	cmd := fmt.Sprintf("natschaos run %s --seed %d", target, seed)
	if opts.ClientsScale > 0 && opts.ClientsScale != 1 {
		cmd += fmt.Sprintf(" --clients-scale %g", opts.ClientsScale)
	}
	return cmd
}

// versions names what ran, for the timeline and the report.
func versions() string {
	v := map[string]string{"nats-server (embedded)": "v" + sim.EmbeddedVersion}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/nats-io/nats.go" {
				v["nats.go"] = d.Version
			}
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func writeReport(dir string, o *Outcome, events []sim.Event) error {
	rep := &reports.Report{
		SchemaVersion: reports.SchemaVersion,
		Scenario:      o.Scenario,
		Seed:          o.Seed,
		Verdict:       string(o.Verdict),
		Properties:    o.Results,
		Interrupted:   o.Interrupted,
		Replay:        o.Replay,
		Elapsed:       o.Elapsed.Round(time.Millisecond).String(),
		Versions:      json.RawMessage(versions()),
		Steps:         reports.StepsOf(events),
		FinalClients:  reports.FinalClients(events),
	}
	if rep.Properties == nil {
		rep.Properties = []assert.Result{}
	}
	if o.Err != nil {
		rep.Error = o.Err.Error()
	}
	return reports.WriteJSON(filepath.Join(dir, "report.json"), rep)
}
