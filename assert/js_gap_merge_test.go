package assert

import (
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// Two gaps of one publisher merge when only sequences never acknowledged
// lie between them, and stay apart when one that was read lies between.
func TestJSGapsMergeOnlyAcrossUnreadSequences(t *testing.T) {
	prev := JSGap{Publisher: "p-1", Where: "stream S", First: 5, Last: 5, At: sec(1), LastAt: sec(1), Acked: 1}
	next := JSGap{Publisher: "p-1", Where: "stream S", First: 10, Last: 10, At: sec(2), LastAt: sec(2), Acked: 1}
	// 4 and 11 were read back; 6–9 were never acknowledged.
	have := []sim.Range{rg(1, 4), rg(11, 12)}
	got := addJSGap([]JSGap{prev}, next, have)
	if len(got) != 1 || got[0].First != 5 || got[0].Last != 10 || got[0].Acked != 2 || got[0].LastAt != sec(2) {
		t.Errorf("gaps %+v, want one of 5–10 with 2 acknowledged, last acked at 2s", got)
	}
	read := []sim.Range{rg(1, 4), rg(7, 7), rg(11, 12)}
	if got := addJSGap([]JSGap{prev}, next, read); len(got) != 2 {
		t.Errorf("gaps %+v, want two: seq 7 between them was read", got)
	}
	other := next
	other.Where = "consumer proc"
	if got := addJSGap([]JSGap{prev}, other, have); len(got) != 2 {
		t.Errorf("gaps %+v, want two: the stream's and the consumer's", got)
	}
}
