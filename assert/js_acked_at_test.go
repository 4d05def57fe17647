package assert

import (
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// ackedAt dates a sequence by the acked run holding it, both ends included.
func TestJSAckedAtIncludesTheRunsEnds(t *testing.T) {
	p := &jsPub{ackAt: []jsRangeAt{{sim.Range{First: 1, Last: 10}, sec(1)}, {sim.Range{First: 11, Last: 20}, sec(2)}}}
	for seq, want := range map[uint64]float64{1: 1, 10: 1, 11: 2, 20: 2, 21: 0} {
		if got := p.ackedAt(seq); got != sec(want) {
			t.Errorf("ackedAt(%d) = %v, want %vs", seq, got, want)
		}
	}
}
