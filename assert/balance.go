package assert

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// BalanceParams are the parameters of `balance: {max_skew: 0.25}`.
type BalanceParams struct {
	// MaxSkew bounds max |count − mean| / mean over the servers taking
	// clients, at the end of the run. 0 demands equal counts.
	MaxSkew float64 `yaml:"max_skew" json:"max_skew" jsonschema:"minimum=0"`
}

// Doc says what the property judges, for the scenario schema.
func (BalanceParams) Doc() string {
	return "When the run ends, no live server is more than max_skew off the mean client count."
}

// DefaultMaxSkew is balance's bound when a file gives none.
const DefaultMaxSkew = 0.25

// SetDefaults bounds the skew by DefaultMaxSkew.
func (p *BalanceParams) SetDefaults() { p.MaxSkew = DefaultMaxSkew }

// Validate rejects a negative or infinite bound.
func (p BalanceParams) Validate() error {
	if !(p.MaxSkew >= 0) || math.IsInf(p.MaxSkew, 0) {
		return paramErrorf("max_skew", "must be a fraction ≥ 0 like 0.25, got %v", p.MaxSkew)
	}
	return nil
}

// BalanceData is the skew over the run, for reports.
type BalanceData struct {
	Final   float64       `json:"final"`
	Max     float64       `json:"max"`
	MaxAt   time.Duration `json:"max_at"`
	Samples []SkewSample  `json:"samples"` // at most driftPoints, the worst of each stretch
}

// SkewSample is the skew computed after one observation.
type SkewSample struct {
	T    time.Duration `json:"t"`
	Skew float64       `json:"skew"`
}

const driftPoints = 200

func init() { Register("balance", checkBalance) }

// checkBalance judges the last observations before teardown (the end
// state: what a person asks of "about evenly"), and reports the drift:
// the skew after every observation over the run. No server taking
// clients, or no client on them, is nothing to judge: it fails as
// vacuous. A server not observed since it started is a missing record,
// not a missing subject: NotEvaluated.
func checkBalance(p BalanceParams, events []sim.Event) Result {
	st := NewState()
	var samples []SkewSample
	var data BalanceData
	lastSample := 0
	for _, ev := range events[:TeardownStart(events)] {
		st.Apply(ev)
		if ev.Kind != sim.Observe || !roundComplete(st, lastSample) {
			continue
		}
		if r, missing := skewOf(st); missing == "" {
			lastSample = st.Seq
			samples = append(samples, SkewSample{ev.T, r.Skew})
			if r.Skew > data.Max {
				data.Max, data.MaxAt = r.Skew, ev.T
			}
		}
	}
	final, missing := skewOf(st)
	switch {
	case missing == noServerTakesClients:
		return vacuousf("at %s, the last observation: %s", dur(st.T), missing)
	case missing != "":
		return notEvaluatedf("at %s, the last observation: %s", dur(st.T), missing)
	case len(final.Counts) > 0 && final.Mean == 0:
		return vacuousf("at %s, the last observation: no client on %s", dur(st.T), list(sortedKeys(final.Counts)))
	}
	data.Final = final.Skew
	data.Samples = downsample(samples, driftPoints)
	ok, why := Balanced(st, p.MaxSkew)
	r := passf("at %s, the last observation: %s", dur(st.T), why)
	if !ok {
		r = failf(st.T, "at %s, the last observation: %s", dur(st.T), why)
	}
	r.Data = data
	r.Details = []string{
		fmt.Sprintf("max skew seen %.2f at %s, final %.2f, over %d observations", data.Max, dur(data.MaxAt), data.Final, len(samples)),
		"drift: " + driftLine(downsample(samples, 10)),
	}
	return r
}

// roundComplete says whether every server skewOf counts has been
// observed since the last sample: the cluster observes the servers one
// after the other, and a skew computed halfway mixes new counts with old.
func roundComplete(st *State, since int) bool {
	for _, n := range st.Running() {
		sv := st.Servers[n]
		if sv.LameDuck || st.Frozen(n) {
			continue
		}
		if sv.Obs == nil || sv.Obs.Seq <= since {
			return false
		}
	}
	return true
}

// downsample keeps at most n samples: the worst of each of n equal
// stretches of time, so a short spike still shows.
func downsample(s []SkewSample, n int) []SkewSample {
	if len(s) <= n {
		return s
	}
	first, span := s[0].T, s[len(s)-1].T-s[0].T+1
	out := make([]SkewSample, 0, n)
	last := -1
	for _, x := range s {
		b := int(int64(x.T-first) * int64(n) / int64(span))
		if b != last {
			out = append(out, x)
			last = b
		} else if x.Skew > out[len(out)-1].Skew {
			out[len(out)-1] = x
		}
	}
	return out
}

func driftLine(s []SkewSample) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = fmt.Sprintf("%s %.2f", dur(x.T), x.Skew)
	}
	return strings.Join(parts, " · ")
}
