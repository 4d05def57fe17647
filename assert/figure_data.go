package assert

import (
	"slices"
	"time"
)

// ReconnectData is the reconnect checker's figure: every measured outage,
// as nearest-rank quantiles.
type ReconnectData struct {
	Reconnects int           `json:"reconnects"`
	P50        time.Duration `json:"p50"`
	P99        time.Duration `json:"p99"`
	Max        time.Duration `json:"max"`
}

// ConvergeData is the mesh or discovery checker's figure: how long the
// predicate took to hold after each change it held after.
type ConvergeData struct {
	Changes int           `json:"changes"`
	Held    int           `json:"held"` // changes it held after in time
	Failed  int           `json:"failed"`
	Slowest time.Duration `json:"slowest"`
	Median  time.Duration `json:"median"`
}

// DuplicatesData is the no_duplicates checker's figure.
type DuplicatesData struct {
	Receipts  int    `json:"receipts"`
	Silent    uint64 `json:"silent"`
	Explained uint64 `json:"explained"` // by the subscriber's own failover
}

func withData(r Result, data any) Result {
	r.Data = data
	return r
}

func convergeData(outcomes []outcome) ConvergeData {
	d := ConvergeData{Changes: len(outcomes)}
	var took []time.Duration
	for _, o := range outcomes {
		switch {
		case o.failed():
			d.Failed++
		case !o.unverified:
			took = append(took, o.held-o.change.T)
		}
	}
	d.Held = len(took)
	if len(took) > 0 {
		slices.Sort(took)
		d.Slowest, d.Median = took[len(took)-1], Quantile(took, 0.5)
	}
	return d
}
