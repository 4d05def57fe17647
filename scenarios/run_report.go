package scenarios

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/reports"
	"github.com/natschaos/natschaos/sim"
)

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

// writeReport writes report.json, junit.xml, summary.md and report.html,
// all rendered from the timeline as `natschaos report DIR` would.
func writeReport(dir string, o *Outcome, events []sim.Event) error {
	_, err := reports.WriteAll(dir, events, reports.Extra{Err: o.Err, Interrupted: o.Interrupted, Replay: o.Replay, Elapsed: o.Elapsed})
	return err
}
