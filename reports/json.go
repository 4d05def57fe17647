package reports

import (
	"encoding/json"
	"os"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// SchemaVersion is report.json's format version; it changes only when a
// field changes meaning or goes away.
const SchemaVersion = 1

// Report is report.json: the run's verdict, every expectation's verdict and
// evidence, and how to replay it.
type Report struct {
	SchemaVersion int             `json:"schema_version"`
	Scenario      string          `json:"scenario"`
	Seed          int64           `json:"seed"`
	Verdict       string          `json:"verdict"`
	Properties    []assert.Result `json:"properties"`
	Error         string          `json:"error,omitempty"`
	Interrupted   bool            `json:"interrupted,omitempty"`
	Replay        string          `json:"replay"`
	Elapsed       string          `json:"elapsed"`
	Versions      json.RawMessage `json:"versions,omitempty"`
	Steps         []Step          `json:"steps"`
	// FinalClients is each running server's own client count at the end.
	FinalClients map[string]int `json:"final_clients,omitempty"`
}

// Step is one step as it ran.
type Step struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
	Start string `json:"start"`
	End   string `json:"end,omitempty"`
	Err   string `json:"error,omitempty"`
	// Note is what the step says of itself when it did not do just what
	// it declares: a wait that held at once only because a fault was in
	// force, or the wait after the steps for declared durations.
	Note string `json:"note,omitempty"`
}

// StepsOf reads the steps back from the timeline. A step numbered after
// the scenario's last is the run's own wait for declared durations.
func StepsOf(events []sim.Event) []Step {
	var out []Step
	byIndex := map[int]int{}
	for _, ev := range events {
		switch ev.Kind {
		case sim.StepStart:
			byIndex[ev.Step] = len(out)
			out = append(out, Step{Index: ev.Step, Text: ev.Detail, Start: ev.T.Round(time.Millisecond).String()})
		case sim.StepEnd:
			if i, ok := byIndex[ev.Step]; ok {
				out[i].End = ev.T.Round(time.Millisecond).String()
				out[i].Err = ev.Err
				out[i].Note = ev.Detail
			}
		}
	}
	return out
}

// FinalClients is each server's client count in its last observation, for
// the servers still running when the run ended. The end is the one the
// checkers use (assert.TeardownStart): what teardown does after it (clients
// closing, servers shut down) is not the distribution the run ended with.
func FinalClients(events []sim.Event) map[string]int {
	out := map[string]int{}
	for _, ev := range events[:assert.TeardownStart(events)] {
		switch ev.Kind {
		case sim.Observe:
			out[ev.Server] = ev.Clients
		case sim.ServerExit, sim.ServerRemove:
			delete(out, ev.Server)
		}
	}
	return out
}

// WriteJSON writes the report, indented, to path.
func WriteJSON(path string, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, func(f *os.File) error {
		_, err := f.Write(append(b, '\n'))
		return err
	})
}
