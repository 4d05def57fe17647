package reports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// The files of an output folder.
const (
	EventsFile  = "events.jsonl"
	JSONFile    = "report.json"
	JUnitFile   = "junit.xml"
	SummaryFile = "summary.md"
	HTMLFile    = "report.html"
)

// Judged is one run as the reports see it: its timeline and the Report
// judged from it.
type Judged struct {
	Report *Report
	Events []sim.Event
	// Err is what made the verdict error: Extra.Err, how the timeline
	// says the run ended, a judge that failed, or the harness's lag.
	Err error
}

// Extra is what a caller knows that the timeline may not: the runner passes
// it, `natschaos report` leaves it zero. Every field is optional.
type Extra struct {
	// Err stopped the run. The timeline records it on RunEnd too; Err is
	// for failures after RunEnd was written (a failed judge or write).
	Err         error
	Interrupted bool
	// Replay overrides the command reconstructed from RunStart.
	Replay string
	// Elapsed overrides the time of the last event.
	Elapsed time.Duration
}

// Judge judges the timeline with assert.Judge and assembles the Report. It is
// where every run is judged: the runner calls it once at the end, and
// `natschaos report` calls it on a saved timeline, so a re-render cannot
// disagree with the run.
func Judge(events []sim.Event, extra Extra) *Judged {
	props, jerr := assert.Judge(events)
	if props == nil {
		props = []assert.Result{}
	}
	start, _ := find(events, sim.RunStart)
	rep := &Report{
		SchemaVersion: SchemaVersion,
		Scenario:      start.Scenario,
		Seed:          start.Seed,
		Properties:    props,
		Replay:        extra.Replay,
		Steps:         StepsOf(events),
		FinalClients:  FinalClients(events),
	}
	if rep.Replay == "" {
		rep.Replay = ReplayCommand(start)
	}
	if v := strings.TrimSpace(start.Detail); strings.HasPrefix(v, "{") {
		rep.Versions = []byte(v) // RunStart's Detail is the versions as JSON
	}
	elapsed := extra.Elapsed
	if elapsed == 0 && len(events) > 0 {
		elapsed = events[len(events)-1].T
	}
	rep.Elapsed = elapsed.Round(time.Millisecond).String()

	why, interrupted := endOf(events)
	rep.Interrupted = extra.Interrupted || interrupted
	run := &Judged{Report: rep, Events: events}
	switch {
	case extra.Err != nil:
		run.Err = extra.Err
	case why != "":
		run.Err = errors.New(why)
	case jerr != nil:
		run.Err = jerr
	default:
		run.Err = assert.FidelityError(events, props)
	}
	if run.Err != nil {
		rep.Error = run.Err.Error()
	}
	rep.Verdict = verdictOf(rep)
	return run
}

// verdictOf is a run's verdict: an error outranks any property, then any
// failed property fails the run (warnings do not).
func verdictOf(r *Report) string {
	if r.Error != "" {
		return "error"
	}
	for _, p := range r.Properties {
		if p.Verdict == assert.Fail {
			return "fail"
		}
	}
	return "pass"
}

// endOf reads how the run ended from RunEnd. A timeline without one was
// cut short: the process crashed, was killed, or is still running.
func endOf(events []sim.Event) (why string, interrupted bool) {
	end, ok := find(events, sim.RunEnd)
	if !ok {
		return "the timeline has no run_end: the run crashed, was killed, or is still going", false
	}
	detail := end.Detail
	switch {
	case detail == "completed" || detail == "":
		return "", false
	case detail == "interrupted":
		return "interrupted", true
	case strings.HasPrefix(detail, "aborted: "):
		why = strings.TrimPrefix(detail, "aborted: ")
		// "interrupted at step N: why" when the caller gave a reason.
		return why, why == "interrupted" || strings.HasPrefix(why, "interrupted at ")
	}
	return detail, false
}

func find(events []sim.Event, kind sim.Kind) (sim.Event, bool) {
	for _, ev := range events {
		if ev.Kind == kind {
			return ev, true
		}
	}
	return sim.Event{}, false
}

// Load reads DIR/events.jsonl and judges it. A timeline cut short by a
// crash (no run_end, a torn last line) still loads.
func Load(dir string) (*Judged, error) {
	events, err := sim.ReadEventsFile(filepath.Join(dir, EventsFile))
	var open *fs.PathError
	switch {
	case errors.As(err, &open):
		return nil, err // names the file already
	case err != nil:
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, EventsFile), err)
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("%s: no events", filepath.Join(dir, EventsFile))
	}
	return Judge(events, Extra{}), nil
}

// WriteAll writes report.json, junit.xml, summary.md and report.html into
// dir. Each file is written whatever happens to the others: report.json
// must not be lost to a chart that failed.
func (r *Judged) WriteAll(dir string) error {
	return errors.Join(
		WriteJSON(filepath.Join(dir, JSONFile), r.Report),
		WriteJUnitFile(filepath.Join(dir, JUnitFile), r.Report),
		writeFile(filepath.Join(dir, SummaryFile), func(f *os.File) error { return WriteSummaryMarkdown(f, r.Report) }),
		writeFile(filepath.Join(dir, HTMLFile), func(f *os.File) error { return WriteHTML(f, r) }),
	)
}

// writeFile replaces path only once its content is complete, so a reader
// (a CI step, a browser) never sees half a report.
func writeFile(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
