package compare

import (
	"bytes"
	"encoding/json"
	"math"
)

// MarshalJSON writes null for the values JSON cannot carry: an interval
// too wide to bound, the median of nothing.
func (r Result) MarshalJSON() ([]byte, error) {
	fin := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		Outcome     Outcome   `json:"outcome"`
		Baseline    []float64 `json:"baseline"`
		Candidate   []float64 `json:"candidate"`
		BaseMedian  *float64  `json:"base_median"`
		CandMedian  *float64  `json:"cand_median"`
		Delta       *float64  `json:"delta"`
		Lo          *float64  `json:"lo"`
		Hi          *float64  `json:"hi"`
		Confidence  float64   `json:"confidence"`
		P           float64   `json:"p"`
		PHolm       *float64  `json:"p_holm,omitempty"`
		Family      int       `json:"family,omitempty"`
		Alpha       float64   `json:"alpha"`
		Significant bool      `json:"significant"`
		Alone       Outcome   `json:"outcome_alone,omitempty"`
		Worse       string    `json:"worse"`
		Tolerance   Tolerance `json:"tolerance"`
		Note        string    `json:"note,omitempty"`
	}{r.Outcome, r.Baseline, r.Candidate, fin(r.BaseMedian), fin(r.CandMedian), fin(r.Delta),
		fin(r.Lo), fin(r.Hi), r.Confidence, r.P, r.pHolm(), r.Family, r.Alpha, r.Significant, r.Alone, r.Worse.String(), r.Tolerance, r.Note})
}

// pHolm is PHolm when a correction set it.
func (r Result) pHolm() *float64 {
	if r.Family == 0 {
		return nil
	}
	return &r.PHolm
}

// MarshalWith writes head's fields (a struct) followed by the result's, as
// one JSON object: for the types that embed a Result and name it.
func (r Result) MarshalWith(head any) ([]byte, error) {
	h, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	b, err := r.MarshalJSON()
	if err != nil {
		return nil, err
	}
	h = bytes.TrimSuffix(h, []byte("}"))
	if len(h) > 1 {
		h = append(h, ',')
	}
	return append(h, b[1:]...), nil
}
