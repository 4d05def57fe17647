package assert

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// JSNoLossParams are the parameters of `js_no_loss: {}` (none yet).
type JSNoLossParams struct{}

// Doc says what the property judges, for the scenario schema.
func (JSNoLossParams) Doc() string {
	return "Every acknowledged publish is in its stream after the faults heal and delivered to every durable; unacknowledged ones reported apart."
}

// JSGap is a run of one publisher's sequences missing from a stream, or
// never delivered to one durable consumer: acknowledged ones, and the
// unacknowledged ones between them when nothing in between was held, so
// one loss reads as one range. Position is where it lies among what that
// stream (or consumer) holds of the publisher's acknowledged range:
// prefix, middle, suffix, or all.
type JSGap struct {
	Publisher string `json:"publisher"`
	// Where is "stream ORDERS" or "consumer proc".
	Where    string        `json:"where"`
	First    uint64        `json:"first"`
	Last     uint64        `json:"last"`
	Position string        `json:"position"`
	At       time.Duration `json:"at"`      // when its first sequence's ack was recorded
	LastAt   time.Duration `json:"last_at"` // when its last sequence's ack was recorded
	// Acked is how many of First–Last were acknowledged: the loss.
	Acked uint64 `json:"acked"`
}

// Count is how many acknowledged messages the gap is.
func (g JSGap) Count() uint64 { return g.Acked }

// whatMissing is "acknowledged seq 1–101", or "seq 1–101 (97 acknowledged)"
// when unacknowledged sequences lie inside.
func (g JSGap) whatMissing() string {
	if g.Acked == g.Last-g.First+1 {
		return "acknowledged seq " + seqs(g.First, g.Last)
	}
	return fmt.Sprintf("seq %s (%d acknowledged)", seqs(g.First, g.Last), g.Acked)
}

// acked is when its acks were recorded: "acked 2.23s–4.13s" or "acked at 2s".
func (g JSGap) acked() string {
	if g.LastAt == g.At {
		return "acked at " + dur(g.At)
	}
	return "acked " + dur(g.At) + "–" + dur(g.LastAt)
}

// addJSGap appends g, or extends the previous gap of the same publisher
// and stream or durable when nothing of have lies between the two (only
// sequences never acknowledged do).
func addJSGap(gaps []JSGap, g JSGap, have []sim.Range) []JSGap {
	if n := len(gaps); n > 0 {
		prev := &gaps[n-1]
		if prev.Publisher == g.Publisher && prev.Where == g.Where && g.First > prev.Last+1 && countIn(have, prev.Last+1, g.First-1) == 0 {
			prev.Last, prev.LastAt, prev.Acked = g.Last, g.LastAt, prev.Acked+g.Acked
			return gaps
		}
	}
	return append(gaps, g)
}

func (g JSGap) missingFrom() string {
	if c, ok := strings.CutPrefix(g.Where, "consumer "); ok {
		return "never delivered to consumer " + c
	}
	return "missing from " + g.Where
}

func (g JSGap) String() string {
	return fmt.Sprintf("%s %s (%s), %s", g.Where, g.whatMissing(), g.Position, g.acked())
}

// JSLossData is js_no_loss's accounting, for reports.
type JSLossData struct {
	Acked uint64 `json:"acked"`
	// Unacknowledged publishes (error or timeout after every retry) are
	// counted apart and never as loss; StoredAnyway of them are in the
	// stream all the same.
	Errors       uint64  `json:"errors"`
	Timeouts     uint64  `json:"timeouts"`
	StoredAnyway uint64  `json:"stored_anyway"`
	LostStored   uint64  `json:"lost_stored"`    // acked, not in the stream
	Undelivered  uint64  `json:"undelivered"`    // acked, not delivered to some durable (per durable)
	Gaps         []JSGap `json:"gaps,omitempty"` // stream gaps first, at most maxGapsKept
}

func init() { Register("js_no_loss", checkJSNoLoss) }

// checkJSNoLoss: every acknowledged publish is in its stream as read back
// after the faults healed, and was delivered to every durable consumer of
// that stream at least once. Unacknowledged publishes are reported apart.
// No JetStream publisher, or no publish acknowledged, is nothing to judge:
// it fails as vacuous. A stream not read back yet (a check step mid-run:
// the read-back comes after the faults heal) is NotEvaluated.
func checkJSNoLoss(_ JSNoLossParams, events []sim.Event) Result {
	f := foldJS(events)
	if len(f.pubs) == 0 {
		return vacuousf("no JetStream publisher recorded (no js_publish events): no acknowledged write to account for")
	}
	var data JSLossData
	var gaps []JSGap
	var notes []string
	for _, name := range sortedKeys(f.pubs) {
		p := f.pubs[name]
		data.Acked += countIn(p.acked, 1, ^uint64(0))
		data.Errors += countIn(p.errored, 1, ^uint64(0))
		data.Timeouts += countIn(p.timedOut, 1, ^uint64(0))
		if !p.ended {
			notes = append(notes, fmt.Sprintf("%s has no js_publish_end: judged on what it recorded", name))
		}
		s := f.streams[p.stream]
		if s == nil || !s.read {
			return notEvaluatedf("stream %s was not read back (no js_stream_read): cannot tell what it holds", p.stream)
		}
		held := s.held[name]
		for _, un := range [][]sim.Range{p.errored, p.timedOut} {
			for _, r := range un {
				data.StoredAnyway += countIn(held, r.First, r.Last)
			}
		}
		gap := func(where string, a, b uint64, pos string) JSGap {
			return JSGap{Publisher: name, Where: where, First: a, Last: b, Position: pos, At: p.ackedAt(a), LastAt: p.ackedAt(b), Acked: b - a + 1}
		}
		missing(p.acked, held, func(a, b uint64, pos string) {
			data.LostStored += b - a + 1
			gaps = addJSGap(gaps, gap("stream "+p.stream, a, b, pos), held)
		})
		for _, durable := range sortedKeys(f.cons) {
			if f.cons[durable] != p.stream {
				continue
			}
			delivered := f.deliv[durable][name]
			missing(p.acked, delivered, func(a, b uint64, pos string) {
				data.Undelivered += b - a + 1
				gaps = addJSGap(gaps, gap("consumer "+durable, a, b, pos), delivered)
			})
		}
	}
	for _, name := range sortedKeys(f.streams) {
		if s := f.streams[name]; s.err != "" {
			notes = append(notes, fmt.Sprintf("stream %s after the faults healed: %s", name, s.err))
		}
	}
	sort.SliceStable(gaps, func(i, j int) bool {
		si, sj := strings.HasPrefix(gaps[i].Where, "stream"), strings.HasPrefix(gaps[j].Where, "stream")
		if si != sj {
			return si
		}
		return gaps[i].At < gaps[j].At
	})
	unacked := fmt.Sprintf("%d unacknowledged (%d error, %d timeout; %d of them stored anyway) counted apart",
		data.Errors+data.Timeouts, data.Errors, data.Timeouts, data.StoredAnyway)
	lost := fmt.Sprintf("%d acknowledged missing from the stream, %d deliveries missing", data.LostStored, data.Undelivered)
	details := []string{fmt.Sprintf("%d acknowledged publishes from %d publishers; %s; %s", data.Acked, len(f.pubs), lost, unacked)}
	details = append(details, jsGapLines(gaps)...)
	slices.Sort(notes)
	details = append(details, notes...)
	data.Gaps = slices.Clone(gaps[:min(len(gaps), maxGapsKept)])

	var r Result
	if len(gaps) > 0 {
		g := gaps[0]
		r = failf(g.At, "%s: %s %s (%s), %s", g.Publisher, g.whatMissing(), g.missingFrom(), g.Position, g.acked())
		if len(gaps) > 1 {
			r.Evidence += fmt.Sprintf(" (+%d more gaps; %s)", len(gaps)-1, lost)
		}
		// A stream that could not be read whole after the heal shows as
		// loss too; say so in the same line.
		if s := f.streams[f.pubs[g.Publisher].stream]; s != nil && s.err != "" {
			r.Evidence += "; the stream after the faults healed: " + s.err
		}
	} else {
		durables := len(f.cons)
		r = passf("all %d acknowledged publishes of %d publishers are in their streams and were delivered to %d durable consumers; %s", data.Acked, len(f.pubs), durables, unacked)
		if data.Acked == 0 {
			r = vacuousf("no publish was acknowledged: nothing to account for; %s", unacked)
		}
	}
	r.Details = capLines(details, 60)
	r.Data = data
	return r
}

// jsGapLines prints one line per (publisher, stream or consumer), at most
// 50 lines of at most 6 gaps.
func jsGapLines(gaps []JSGap) []string {
	const maxLines, perLine = 50, 6
	var order []string
	by := map[string][]string{}
	more := map[string]int{}
	for _, g := range gaps {
		k := g.Publisher + " → " + g.Where
		if _, ok := by[k]; !ok {
			if len(order) == maxLines {
				continue
			}
			order = append(order, k)
		}
		if len(by[k]) < perLine {
			by[k] = append(by[k], fmt.Sprintf("%s (%s), %s", g.whatMissing(), g.Position, g.acked()))
		} else {
			more[k]++
		}
	}
	out := make([]string, len(order))
	for i, k := range order {
		out[i] = k + ": " + strings.Join(by[k], "; ")
		if n := more[k]; n > 0 {
			out[i] += fmt.Sprintf("; (+%d more)", n)
		}
	}
	return out
}
