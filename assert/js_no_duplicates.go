package assert

import (
	"fmt"
	"strings"

	"github.com/natschaos/natschaos/sim"
)

// JSNoDuplicatesParams are the parameters of `js_no_duplicates: {}`.
type JSNoDuplicatesParams struct{}

// Doc says what the property judges, for the scenario schema.
func (JSNoDuplicatesParams) Doc() string {
	return "The stream, read back after the faults heal, holds each message id once."
}

func init() { Register("js_no_duplicates", checkJSNoDuplicates) }

// checkJSNoDuplicates: publishers send every message with a message id
// (retries keep it), so the stream, read back after the faults healed,
// must hold each id once. Redeliveries to consumers are at-least-once by
// design and are not judged here. A stream read back empty, or no stream
// and no JetStream publisher at all, is nothing to judge: it fails as
// vacuous. Publishers whose stream is not read back yet (a check step
// mid-run) are NotEvaluated.
func checkJSNoDuplicates(_ JSNoDuplicatesParams, events []sim.Event) Result {
	f := foldJS(events)
	if len(f.streams) == 0 && len(f.pubs) == 0 {
		return vacuousf("no JetStream publisher and no stream read back: no message to find twice")
	}
	if len(f.streams) == 0 {
		return notEvaluatedf("no stream was read back (no js_stream_read events)")
	}
	var lines []string
	var extra, held uint64
	first := ""
	for _, name := range sortedKeys(f.streams) {
		s := f.streams[name]
		if !s.read {
			return notEvaluatedf("stream %s was not read back completely (no summary js_stream_read)", name)
		}
		for _, pub := range sortedKeys(s.held) {
			held += countIn(s.held[pub], 1, ^uint64(0))
			ev, ok := s.dups[pub]
			if !ok {
				continue
			}
			extra += ev.Duplicates
			var rs []string
			for _, r := range ev.Repeated {
				rs = append(rs, seqs(r.First, r.Last))
			}
			line := fmt.Sprintf("stream %s holds %s seq %s more than once (%d extra copies)", name, pub, joinCap(rs, 6, ", "), ev.Duplicates)
			if first == "" {
				first = line
			}
			lines = append(lines, line)
		}
		if s.err != "" {
			lines = append(lines, fmt.Sprintf("stream %s after the faults healed: %s", name, s.err))
		}
	}
	if first != "" {
		r := failf(0, "%s", first)
		if n := len(lines); n > 1 && extra > 0 {
			r.Evidence += fmt.Sprintf(" (%d extra copies in all)", extra)
		}
		r.Details = capLines(lines, 60)
		return r
	}
	if held == 0 {
		r := vacuousf("%s read back empty: no message to find twice", strings.Join(sortedKeys(f.streams), ", "))
		r.Details = lines
		return r
	}
	r := passf("each of %d messages is held once in %s", held, strings.Join(sortedKeys(f.streams), ", "))
	r.Details = lines
	return r
}
