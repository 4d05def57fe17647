package reports

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Terminal is what a terminal summary says besides the report: what the
// caller knows about this invocation.
type Terminal struct {
	Took  time.Duration // wall time of the command; zero shows the report's elapsed time
	Late  string        // the timeline's note on events that arrived late
	Out   string        // the output folder, when the run wrote one
	Wrote []string      // the files written, when the command lists them
}

// WriteTerminal is the quickest read of a run: one line per property, what
// the run noted, then where the outputs are and how to replay it. `natschaos
// run` and `natschaos report` both print it.
func WriteTerminal(w io.Writer, r *Report, t Terminal) {
	took := r.Elapsed
	if t.Took > 0 {
		took = t.Took.Round(time.Millisecond).String()
	}
	fmt.Fprintf(w, "\n%s  seed %d  %s  (%s)\n", r.Scenario, r.Seed, strings.ToUpper(r.Verdict), took)
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", r.Error)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, p := range r.Properties {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", strings.ToUpper(string(p.Verdict)), p.Name, p.Evidence)
	}
	tw.Flush()
	for _, p := range r.Properties {
		for _, line := range p.Fidelity {
			fmt.Fprintf(w, "  fidelity of %s: %s\n", p.Name, line)
		}
	}
	if final := CountsText(r.FinalClients, "="); final != "" {
		fmt.Fprintf(w, "  clients per server at the end: %s\n", final)
	}
	for _, n := range StepNotes(r.Steps) {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if t.Late != "" {
		fmt.Fprintf(w, "  timeline: %s\n", t.Late)
	}
	if t.Out != "" {
		fmt.Fprintf(w, "  output: %s\n", t.Out)
	}
	if len(t.Wrote) > 0 {
		fmt.Fprintf(w, "  wrote: %s\n", strings.Join(t.Wrote, " "))
	}
	if r.Replay != "" {
		fmt.Fprintf(w, "  replay: %s\n", r.Replay)
	}
}

// CountsText is a count per server, by name, as "A=2 B=150" (sep "=").
func CountsText(counts map[string]int, sep string) string {
	var names []string
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, n+sep+strconv.Itoa(counts[n]))
	}
	return strings.Join(parts, " ")
}
