package assert

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// NoLossParams are the parameters of `no_loss: {}`.
type NoLossParams struct {
	// Strict fails on every gap, fault-explained ones included.
	Strict bool `yaml:"strict" json:"strict"`
	// AllowSlowConsumer accepts gaps the client library or the server
	// reported as slow consumer drops.
	AllowSlowConsumer bool `yaml:"allow_slow_consumer" json:"allow_slow_consumer"`
}

// Doc says what the property judges, for the scenario schema.
func (NoLossParams) Doc() string {
	return "No silent or slow-consumer loss; fault-explained gaps allowed."
}

// Validate refuses strict with allow_slow_consumer: strict fails on
// every gap.
func (p NoLossParams) Validate() error {
	if p.Strict && p.AllowSlowConsumer {
		return paramErrorf("allow_slow_consumer", "contradicts strict, which fails on every gap")
	}
	return nil
}

// GapKind sorts a run of missing messages.
type GapKind string

const (
	// Explained: possibly published while the publisher, the subscriber or
	// a route between their servers was inside a fault window.
	Explained GapKind = "explained"
	// SlowConsumer: the subscriber's client or server reported dropping.
	SlowConsumer GapKind = "slow_consumer"
	// Silent: anything else.
	Silent GapKind = "silent"
)

// Gap is a run of sequences one subscriber should have received from one
// publisher and did not. Position is where it lies among what was
// received (Jepsen's queue checker): prefix (before the first received),
// suffix (after the last), middle, or all (nothing received).
type Gap struct {
	Publisher  string  `json:"publisher"`
	Subscriber string  `json:"subscriber"`
	First      uint64  `json:"first"`
	Last       uint64  `json:"last"`
	Kind       GapKind `json:"kind"`
	Position   string  `json:"position"`
	Why        string  `json:"why,omitempty"`
	// At is when its first message was surely published: the time of the
	// first progress sample that covers it; LastAt the same for its last.
	At     time.Duration `json:"at"`
	LastAt time.Duration `json:"last_at,omitempty"`
	// Refused counts publishes the client library refused inside the run
	// (counted apart): gaps of one kind that only refused publishes
	// separate are one gap.
	Refused uint64 `json:"refused,omitempty"`
	// Hop names the gateway the messages crossed ("gateway east→west"),
	// when publisher and subscriber were in different clusters.
	Hop string `json:"hop,omitempty"`
}

// Count is how many messages the gap is, refused publishes excluded.
func (g Gap) Count() uint64 { return g.Last - g.First + 1 - g.Refused }

// when is "4.2s", or "4.2s–4.4s" when its messages were published over a
// span.
func (g Gap) when() string {
	if g.LastAt <= g.At {
		return dur(g.At)
	}
	return dur(g.At) + "–" + dur(g.LastAt)
}

// kindAndPlace is "silent, middle", with the refused publishes inside.
func (g Gap) kindAndPlace() string {
	s := string(g.Kind) + ", " + g.Position
	if g.Hop != "" {
		s += ", across " + g.Hop
	}
	if g.Refused > 0 {
		s += fmt.Sprintf("; %d refused inside, counted apart", g.Refused)
	}
	return s
}

func (g Gap) String() string {
	s := fmt.Sprintf("%s %s %s at %s", g.Position, seqs(g.First, g.Last), g.Kind, g.when())
	if g.Hop != "" {
		s += " across " + g.Hop
	}
	if g.Refused > 0 {
		s += fmt.Sprintf(" (%d refused inside, counted apart)", g.Refused)
	}
	if g.Why != "" {
		s += " (" + g.Why + ")"
	}
	return s
}

// LossData is the message accounting, for reports.
type LossData struct {
	Expected      uint64            `json:"expected"` // refused publishes excluded
	Explained     uint64            `json:"explained"`
	SlowConsumer  uint64            `json:"slow_consumer"`
	Silent        uint64            `json:"silent"`
	Refused       uint64            `json:"refused"`
	RefusedErrors map[string]uint64 `json:"refused_errors,omitempty"`
	Gaps          []Gap             `json:"gaps,omitempty"` // failing ones first, at most maxGapsKept
	// AcrossGateways counts the (publisher, subscriber) pairs in
	// different clusters of a supercluster.
	AcrossGateways int `json:"across_gateways,omitempty"`
}

const maxGapsKept = 200

func init() { Register("no_loss", checkNoLoss) }

// checkNoLoss accounts for every (publisher, sequence) each matching
// subscriber should have received. A subscriber expects a publisher's
// messages when the publisher's subject matches its subscription
// (sim.SubjectMatches, the fleet's own rule), from the
// first sequence surely published after its SubReady (the earliest of a
// queue group's members) to the publisher's PublishEnd, refused publishes
// excepted. Gaps are computed on ranges and classified only when they exist.
//
// With no publisher, no ready subscriber, no (publisher, subscriber) pair
// whose subjects match, or no message expected, it fails as vacuous.
// Receipts are another matter: the fleet writes them when it stops, so a
// check step mid-run (or a fleet that never stopped) has subjects but not
// yet the record of what they received: that is NotEvaluated.
func checkNoLoss(p NoLossParams, events []sim.Event) Result {
	f := foldLoss(events)
	switch {
	case len(f.pubs) == 0:
		return vacuousf("no publisher recorded: no message to account for")
	case len(f.subs) == 0:
		return vacuousf("no subscriber became ready (no sub_ready events): nobody was owed a message")
	case len(f.receipts) == 0:
		return notEvaluatedf("no receipts recorded: the fleet reports what its subscribers received when it stops")
	}
	data := LossData{RefusedErrors: f.refusedErr}
	var notes []string
	var gaps []Gap
	pairs := 0
	pubIdx := make([]int, 0, len(f.pubs))
	for i, pub := range f.pubs {
		pubIdx = append(pubIdx, i)
		data.Refused += countIn(pub.refused, 1, ^uint64(0))
	}
	slices.Sort(pubIdx)
	subIDs := sortedKeys(f.subs)
	for _, pi := range pubIdx {
		pub := f.pubs[pi]
		pk := pub.name()
		end := pub.end
		if !pub.ended && len(pub.samples) > 0 {
			end = pub.samples[len(pub.samples)-1].seq
			notes = append(notes, fmt.Sprintf("%s has no publish_end: expected up to its last progress sample, %d", pk, end))
		}
		if pub.subject == "" {
			notes = append(notes, fmt.Sprintf("%s recorded no subject: matched only to subscribers with a receipt from it", pk))
		}
		for _, sid := range subIDs {
			sub := f.subs[sid]
			rc, hasReceipt := f.receipts[sid][pi]
			if (pub.subject == "" && !hasReceipt) || (pub.subject != "" && !sim.SubjectMatches(sub.subject, pub.subject)) {
				continue
			}
			start := firstAfter(pub.samples, sub.ready)
			subEnd := end
			if gone, ok := f.goneAt(sub); ok {
				// Expected up to what may have been published before it
				// left, plus the grace its leaving window explains.
				subEnd = min(end, lastBy(pub.samples, gone+RecoveryGrace))
			}
			if start > subEnd {
				continue
			}
			pairs++
			if f.hops.hop(pub.client, sub.members...) != "" {
				data.AcrossGateways++
			}
			data.Expected += subEnd - start + 1 - countIn(pub.refused, start, subEnd)
			if !hasReceipt {
				notes = append(notes, fmt.Sprintf("no receipt for %s from %s: counted as nothing received", sid, pk))
			}
			received := normalized(rc.Received)
			var cl *classifier
			forEachGap(start, subEnd, pub.refused, received, func(a, b uint64) {
				if cl == nil { // built only for pairs with gaps
					cl = f.classifier(pub, sub, received, start, subEnd)
				}
				gaps = cl.classify(gaps, a, b)
			})
		}
	}
	for sid, m := range f.receipts {
		for pi := range m {
			if f.subs[sid] == nil || (pi != 0 && f.pubs[pi] == nil) {
				notes = append(notes, fmt.Sprintf("receipt for %s from publisher %d names an unknown subscriber or publisher: ignored", sid, pi))
			}
		}
	}
	sort.Strings(notes)
	if pairs == 0 || data.Expected == 0 {
		r := vacuousf("no message was owed: %d publishers, %d subscribers, %d matching (publisher, subscriber) pairs with a message published after the subscription was ready, %d refused", len(f.pubs), len(f.subs), pairs, data.Refused)
		r.Details = capLines(notes, 60)
		return r
	}
	return lossVerdict(p, data, gaps, pairs, notes)
}

func lossVerdict(p NoLossParams, data LossData, gaps []Gap, pairs int, notes []string) Result {
	fails := func(k GapKind) bool {
		return p.Strict || k == Silent || (k == SlowConsumer && !p.AllowSlowConsumer)
	}
	failing := 0
	for _, g := range gaps {
		switch g.Kind {
		case Explained:
			data.Explained += g.Count()
		case SlowConsumer:
			data.SlowConsumer += g.Count()
		case Silent:
			data.Silent += g.Count()
		}
		if fails(g.Kind) {
			failing++
		}
	}
	sort.SliceStable(gaps, func(i, j int) bool {
		if fi, fj := fails(gaps[i].Kind), fails(gaps[j].Kind); fi != fj {
			return fi
		}
		return gaps[i].At < gaps[j].At
	})
	lost := fmt.Sprintf("lost %d silent, %d slow consumer, %d explained by faults", data.Silent, data.SlowConsumer, data.Explained)
	details := []string{fmt.Sprintf("expected %d messages over %d (publisher, subscriber) pairs; %s; %d publishes refused", data.Expected, pairs, lost, data.Refused)}
	for _, e := range sortedKeys(data.RefusedErrors) {
		details = append(details, fmt.Sprintf("refused %d: %s", data.RefusedErrors[e], orNone(e)))
	}
	details = append(details, gapLines(gaps)...)
	details = append(details, notes...)
	data.Gaps = slices.Clone(gaps[:min(len(gaps), maxGapsKept)])

	var r Result
	if failing > 0 {
		g := gaps[0]
		r = failf(g.At, "sub %s missed %s seq %s (%s) at %s", g.Subscriber, g.Publisher, seqs(g.First, g.Last), g.kindAndPlace(), g.when())
		if failing > 1 {
			r.Evidence += fmt.Sprintf(" (+%d more failing gaps; %s)", failing-1, lost)
		}
	} else {
		r = passf("no failing loss of %d expected messages over %d pairs", data.Expected, pairs)
		if data.AcrossGateways > 0 {
			r.Evidence += fmt.Sprintf(" (%d across gateways)", data.AcrossGateways)
		}
		if len(gaps) > 0 {
			r.Evidence += "; " + lost
		}
		if data.Refused > 0 {
			r.Evidence += fmt.Sprintf("; %d publishes refused (counted apart)", data.Refused)
		}
	}
	r.Details = capLines(details, 60)
	r.Data = data
	return r
}

func (p *publisher) name() string {
	if p.client != "" {
		return p.client
	}
	return fmt.Sprintf("pub %d", p.index)
}

// gapLines prints one line per (publisher, subscriber) with its gaps, in
// the order of their first gap; at most maxLines lines of at most
// gapsPerLine gaps, so a run with a million gaps prints a screenful.
func gapLines(gaps []Gap) []string {
	const maxLines, gapsPerLine = 50, 6
	type line struct {
		shown []string
		more  int
	}
	var order []string
	by := map[string]*line{}
	for _, g := range gaps {
		k := g.Publisher + " → " + g.Subscriber
		l, ok := by[k]
		if !ok {
			if len(order) == maxLines {
				continue
			}
			l = &line{}
			by[k] = l
			order = append(order, k)
		}
		if len(l.shown) < gapsPerLine {
			l.shown = append(l.shown, g.String())
		} else {
			l.more++
		}
	}
	out := make([]string, len(order))
	for i, k := range order {
		out[i] = k + ": " + strings.Join(by[k].shown, "; ")
		if n := by[k].more; n > 0 {
			out[i] += fmt.Sprintf("; (+%d more)", n)
		}
	}
	return out
}

// classifier sorts the gaps of one (publisher, subscriber) pair.
type classifier struct {
	pub                 *publisher
	sub                 *subscriber
	explained, slow     []reasonRange // merged
	explainedBy, slowBy []reasonRange // the same, unmerged: what names a gap (whyOf)
	slowAll             string        // why every unexplained gap is slow consumer, if so
	anyRecv             bool
	firstRecv, lastRecv uint64
	hop                 string // the gateway between them, if any
}

func (f *lossFold) classifier(pub *publisher, sub *subscriber, received []sim.Range, start, end uint64) *classifier {
	c := &classifier{pub: pub, sub: sub, hop: f.hops.hop(pub.client, sub.members...)}
	for _, r := range received {
		if lo, hi := max(r.First, start), min(r.Last, end); lo <= hi {
			if !c.anyRecv {
				c.firstRecv, c.anyRecv = lo, true
			}
			c.lastRecv = hi
		}
	}
	toSeqs := func(ws []window) (out []reasonRange) {
		for _, w := range ws {
			if lo, hi := seqWindow(pub.samples, w.from, w.to); lo <= hi {
				out = append(out, reasonRange{lo, hi, w.why})
			}
		}
		return out
	}
	ws := []window{{sub.ready, sub.ready + RecoveryGrace, "subscription of " + sub.id + " propagating"}}
	ws = append(ws, f.clientWin[pub.client]...)
	for _, m := range sub.members {
		ws = append(ws, f.clientWin[m]...)
		ws = append(ws, f.resubWin[m]...)
	}
	ws = append(ws, f.routeWindows(pub.client, sub.members)...)
	c.explainedBy, c.explained = sortedAndMerged(toSeqs(ws))

	for _, m := range sub.members {
		for _, subj := range f.slowClient[m] {
			if c.slowAll == "" && (subj == "" || subj == sub.subject) {
				c.slowAll = m + " reported a slow consumer"
			}
		}
	}
	for _, rc := range f.receipts[sub.id] {
		if rc.Dropped > 0 && c.slowAll == "" {
			c.slowAll = fmt.Sprintf("%s's client library dropped %d", sub.id, rc.Dropped)
		}
	}
	var slowWs []window
	for _, m := range sub.members {
		for _, sp := range f.spans[m] {
			for _, w := range f.slowServer[sp.server] {
				if from, to := max(w.from, sp.from), min(w.to, sp.to); from <= to {
					slowWs = append(slowWs, window{from, to, w.why})
				}
			}
		}
	}
	c.slowBy, c.slow = sortedAndMerged(toSeqs(slowWs))
	return c
}

// sortedAndMerged returns the ranges sorted, and merged apart.
func sortedAndMerged(rs []reasonRange) (sorted, merged []reasonRange) {
	sortReasons(rs)
	return rs, mergeReasons(slices.Clone(rs))
}

// routeWindows are the route fault windows between the publisher's server
// and a subscriber member's server while each was connected there.
func (f *lossFold) routeWindows(pubClient string, members []string) []window {
	var out []window
	for _, ps := range f.spans[pubClient] {
		for _, m := range members {
			for _, ms := range f.spans[m] {
				if ps.server == ms.server {
					continue
				}
				for _, w := range f.routeWin[pairOf(ps.server, ms.server)] {
					if from, to := max(w.from, ps.from, ms.from), min(w.to, ps.to, ms.to); from <= to {
						out = append(out, window{from, to, w.why})
					}
				}
			}
		}
	}
	return out
}

func (c *classifier) classify(gaps []Gap, a, b uint64) []Gap {
	pos := "middle"
	switch {
	case !c.anyRecv:
		pos = "all"
	case b < c.firstRecv:
		pos = "prefix"
	case a > c.lastRecv:
		pos = "suffix"
	}
	add := func(first, last uint64, k GapKind, why string) {
		g := Gap{
			Publisher: c.pub.name(), Subscriber: c.sub.id, First: first, Last: last,
			Kind: k, Position: pos, Why: why, At: publishedBy(c.pub.samples, first), LastAt: publishedBy(c.pub.samples, last), Hop: c.hop,
		}
		if n := len(gaps); n > 0 {
			// One loss is one range: a gap of the same pair and kind that
			// only refused publishes separate from this one takes it in.
			prev := &gaps[n-1]
			between := first - prev.Last - 1
			if prev.Publisher == g.Publisher && prev.Subscriber == g.Subscriber && prev.Kind == k && first > prev.Last+1 &&
				countIn(c.pub.refused, prev.Last+1, first-1) == between {
				prev.Last, prev.LastAt, prev.Refused = last, g.LastAt, prev.Refused+between
				if why != "" && !strings.Contains(prev.Why, why) {
					prev.Why = strings.TrimPrefix(prev.Why+"; "+why, "; ")
				}
				return
			}
		}
		gaps = append(gaps, g)
	}
	split(a, b, c.explained, func(x, y uint64, _ string) { add(x, y, Explained, whyOf(c.explainedBy, x, y)) }, func(x, y uint64) {
		if c.slowAll != "" {
			add(x, y, SlowConsumer, c.slowAll)
			return
		}
		split(x, y, c.slow, func(x, y uint64, _ string) { add(x, y, SlowConsumer, whyOf(c.slowBy, x, y)) },
			func(x, y uint64) { add(x, y, Silent, "") })
	})
	return gaps
}
