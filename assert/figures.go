package assert

import (
	"math"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// HerdFigures are the numbers the thundering-herd lab compares across
// variants of one scenario, all read from one run's timeline.
type HerdFigures struct {
	Window time.Duration `json:"window"`
	// Of says what the peaks count: "reconnections" of clients, or "leaf
	// links" hub servers accepted again, when leaves relinked and no
	// client reconnected (leaf_figures.go).
	Of string `json:"of,omitempty"`
	// Peak is the most reconnections one server accepted in any sliding
	// window; PeakPerServer the same per server.
	Peak          int            `json:"peak"`
	PeakServer    string         `json:"peak_server,omitempty"`
	PeakAt        time.Duration  `json:"peak_at,omitempty"`
	PeakPerServer map[string]int `json:"peak_per_server"`
	// Series is the herd checker's curve: reconnections per server per
	// window of the run's clock.
	Series map[string][]int `json:"series"`
	// Curve is the herd curve aligned on the first fault (else the first
	// disconnection): Curve[i] is the most reconnections one server
	// accepted in [start + i·Window, start + (i+1)·Window). Curves of
	// different runs line up.
	Curve      []int `json:"curve"`
	Reconnects int   `json:"reconnects"`
	// FirstFault is when the first server was stopped, killed, put in lame
	// duck or faulted; FirstDisconnect when the first client lost its
	// server. Both are 0 when there was none.
	FirstFault      time.Duration `json:"first_fault"`
	FirstDisconnect time.Duration `json:"first_disconnect"`
	// AllBack is how long after FirstDisconnect the last client that lost
	// its server was connected again; Stranded counts those that never were.
	AllBack  time.Duration `json:"all_back"`
	Stranded int           `json:"stranded"`
	// FinalSkew is max |count − mean| / mean at the last observation; NaN
	// when the servers were not all observed.
	FinalSkew float64 `json:"final_skew"`
	MaxSkew   float64 `json:"max_skew"`
	// Losses by category, when the scenario publishes.
	Loss *LossData `json:"loss,omitempty"`
}

// Herd computes the lab's figures over a recorded timeline with the
// checkers themselves (herd, balance, no_loss), so the lab and a run's
// verdicts cannot disagree about what happened.
func Herd(events []sim.Event, window time.Duration) HerdFigures {
	f := HerdFigures{Window: window, PeakPerServer: map[string]int{}, FinalSkew: math.NaN()}
	herd := checkHerd(HerdParams{Window: window}, events)
	if d, ok := herd.Data.(HerdData); ok {
		f.Peak, f.PeakServer, f.PeakAt, f.Series = d.Peak, d.PeakServer, d.PeakAt, d.Series
	}
	f.PeakPerServer, f.Reconnects = peaksPerServer(events, window)
	if b, ok := checkBalance(BalanceParams{MaxSkew: math.MaxFloat64}, events).Data.(BalanceData); ok {
		f.FinalSkew, f.MaxSkew = b.Final, b.Max
	}
	if hasPublishers(events) {
		if l, ok := checkNoLoss(NoLossParams{}, events).Data.(LossData); ok {
			l.Gaps = nil // the lab compares totals
			f.Loss = &l
		}
	}
	f.FirstFault, f.FirstDisconnect, f.AllBack, f.Stranded = recovery(events)
	start := f.FirstFault
	if start == 0 {
		start = f.FirstDisconnect
	}
	f.Curve = alignedCurve(events, window, start)
	leafFigures(&f, events, window)
	return f
}

// alignedCurve is HerdFigures.Curve; nil when nobody reconnected.
func alignedCurve(events []sim.Event, window, start time.Duration) []int {
	per := map[string][]int{}
	n := 0
	for _, ev := range events[:TeardownStart(events)] {
		if ev.Kind != sim.ClientReconnect || ev.T < start {
			continue
		}
		i := int((ev.T - start) / window)
		if i >= maxHerdBuckets {
			continue
		}
		s := per[ev.Server]
		for len(s) <= i {
			s = append(s, 0)
		}
		s[i]++
		per[ev.Server] = s
		n = max(n, len(s))
	}
	if n == 0 {
		return nil
	}
	out := make([]int, n)
	for _, s := range per {
		for i, c := range s {
			out[i] = max(out[i], c)
		}
	}
	return out
}

// peaksPerServer is the herd checker's sliding-window peak, per server.
func peaksPerServer(events []sim.Event, window time.Duration) (map[string]int, int) {
	byServer := map[string][]time.Duration{}
	total := 0
	for _, ev := range events[:TeardownStart(events)] {
		if ev.Kind == sim.ClientReconnect {
			byServer[ev.Server] = append(byServer[ev.Server], ev.T)
			total++
		}
	}
	return slidingPeaks(byServer, window), total
}

// slidingPeaks is each server's most arrivals (times in order) in any
// sliding window.
func slidingPeaks(byServer map[string][]time.Duration, window time.Duration) map[string]int {
	out := map[string]int{}
	for s, ts := range byServer {
		j := 0
		for i := range ts {
			for j < len(ts) && ts[j] < ts[i]+window {
				j++
			}
			out[s] = max(out[s], j-i)
		}
	}
	return out
}

func hasPublishers(events []sim.Event) bool {
	for _, ev := range events {
		if ev.Kind == sim.PublishProgress || ev.Kind == sim.PublishEnd {
			return true
		}
	}
	return false
}

// recovery finds the first fault and the first client disconnection before
// teardown, and how long until every client disconnected before teardown
// was connected again.
func recovery(events []sim.Event) (fault, first, allBack time.Duration, stranded int) {
	end := TeardownStart(events)
	down := map[string]bool{}
	seenDown, seenFault := false, false
	var last time.Duration
	for i, ev := range events {
		switch ev.Kind {
		case sim.ServerKill, sim.ServerStop, sim.ServerLameDuck, sim.FaultStart:
			if i < end && !seenFault {
				fault, seenFault = ev.T, true
			}
		case sim.ClientDisconnect:
			if i < end {
				if !seenDown {
					first, seenDown = ev.T, true
				}
				down[ev.Client] = true
			}
		case sim.ClientConnect, sim.ClientReconnect:
			if down[ev.Client] {
				delete(down, ev.Client)
				last = ev.T
			}
		case sim.ClientClosed:
			if down[ev.Client] { // closed while still away: it never came back
				delete(down, ev.Client)
				stranded++
			}
		}
	}
	if seenDown && last > first {
		allBack = last - first
	}
	return fault, first, allBack, stranded + len(down)
}
