package assert

import (
	"fmt"
	"sort"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// InterestParams are the parameters of `interest: {within: 3s}`.
type InterestParams struct {
	// Within bounds how long after a heal messages may take to flow
	// again between a publisher and a subscriber that exchanged some.
	Within time.Duration `yaml:"within" json:"within"`
}

// Validate requires a bound.
func (p InterestParams) Validate() error {
	if p.Within <= 0 {
		return paramErrorf("within", "must be > 0, got %v", p.Within)
	}
	return nil
}

func init() { Register("interest", checkInterest) }

// heal is a moment after which every interest must be back.
type heal struct {
	t    time.Duration
	what string
}

// healsOf lists the heals before teardown: every fault's end, and every
// restart of a server or a leaf.
func healsOf(events []sim.Event) []heal {
	end := TeardownStart(events)
	var out []heal
	target := map[string]string{}
	for _, ev := range events[:end] {
		switch {
		case ev.Kind == sim.FaultStart:
			target[ev.Fault] = ev.Target
		case ev.Kind == sim.FaultEnd:
			out = append(out, heal{ev.T, fmt.Sprintf("end of %s on %s", ev.Fault, target[ev.Fault])})
		case ev.Kind == sim.ServerStart && ev.Detail == "restart":
			out = append(out, heal{ev.T, "restart of " + ev.Server})
		case ev.Kind == sim.LeafStart && ev.Detail == "restart":
			out = append(out, heal{ev.T, "restart of leaf " + ev.Server})
		}
	}
	return out
}

// checkInterest judges that subscription interest comes back after every
// heal: for every (subscriber, publisher) pair that exchanged messages at
// all, a message the publisher sent within the bound after the heal must
// have reached the subscriber. A pair whose subscriber was not ready yet,
// or whose publisher stopped before the bound was over, is not judged for
// that heal. Each side is named with the server its client was on, so a
// leaf hop shows (sub on L0, pub on A). With no heal, or no pair judged,
// it fails as vacuous.
func checkInterest(p InterestParams, events []sim.Event) Result {
	heals := healsOf(events)
	samples := publishSamplesOf(events)
	names := publisherNames(events)
	ready := map[string]time.Duration{}
	where := map[string][]placed{} // client -> the servers it was on, over time
	for _, ev := range events {
		switch ev.Kind {
		case sim.SubReady:
			if _, ok := ready[ev.Sub]; !ok {
				ready[ev.Sub] = ev.T
			}
		case sim.ClientConnect, sim.ClientReconnect:
			where[ev.Client] = append(where[ev.Client], placed{ev.T, ev.Server})
		}
	}
	var problems []problem
	var judged, pairs, skipped int
	var slowest time.Duration
	var slowLine string
	for _, r := range receiptsOf(events) {
		if r.Pub == 0 || countIn(normalized(r.Received), 1, ^uint64(0)) == 0 {
			continue
		}
		pairs++
		got := normalized(r.Received)
		s := samples[r.Pub]
		rd, isReady := ready[r.Sub]
		for _, h := range heals {
			if !isReady || rd > h.t || len(s) == 0 || s[len(s)-1].t < h.t+p.Within {
				skipped++
				continue
			}
			judged++
			lo, hi := firstAfter(s, h.t), lastBy(s, h.t+p.Within)
			pub := pubName(names, r.Pub)
			who := fmt.Sprintf("%s (on %s) from %s (on %s)", r.Sub, placeAt(where[r.Client], h.t), pub, placeAt(where[pub], h.t))
			if lo > hi || countIn(got, lo, hi) == 0 {
				again := "never again"
				if seq, ok := firstReceivedFrom(got, lo); ok {
					again = fmt.Sprintf("first again with #%d, sent by %s", seq, dur(publishedBy(s, seq)))
				}
				problems = append(problems, problem{h.t, fmt.Sprintf("after the %s at %s, %s received none of #%d-#%d sent within %s: %s", h.what, dur(h.t), who, lo, hi, dur(p.Within), again)})
				continue
			}
			seq, _ := firstReceivedFrom(got, lo)
			if d := publishedBy(s, seq) - h.t; d > slowest {
				slowest, slowLine = d, fmt.Sprintf("%s after the %s", who, h.what)
			}
		}
	}
	if len(problems) == 0 {
		switch {
		case len(heals) == 0:
			return vacuousf("no fault ended and no server restarted before the teardown: no heal to judge interest after")
		case judged == 0:
			return vacuousf("%d heals, %d pairs that exchanged messages, none judged (%d subscriber not ready or publisher stopped)", len(heals), pairs, skipped)
		}
		ev := fmt.Sprintf("messages flowed again within %s after %d heals on %d pairs (%d heal×pair judged, %d not)", dur(p.Within), len(heals), pairs, judged, skipped)
		if slowLine != "" {
			ev += fmt.Sprintf("; slowest %s: %s", dur(slowest), slowLine)
		}
		return passf("%s", ev)
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].at < problems[j].at })
	return problemsResult(problems, fmt.Sprintf("%d heals, %d pairs, %d heal×pair judged, %d failed", len(heals), pairs, judged, len(problems)))
}

// placed is a client's server from a moment on.
type placed struct {
	t      time.Duration
	server string
}

// placeAt is the server the client was last on at t ("?" if none yet).
func placeAt(ps []placed, t time.Duration) string {
	out := "?"
	for _, p := range ps {
		if p.t > t {
			break
		}
		out = p.server
	}
	return out
}

// firstReceivedFrom is the first received sequence ≥ lo.
func firstReceivedFrom(rs []sim.Range, lo uint64) (uint64, bool) {
	for _, r := range rs {
		if r.Last >= lo {
			return max(r.First, lo), true
		}
	}
	return 0, false
}
