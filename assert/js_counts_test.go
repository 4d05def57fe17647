package assert

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// One gap is reported alone, with no count of more.
func TestJSNoLossOneGapReportsNoMore(t *testing.T) {
	evs := jsTL([]sim.Event{ack(1, 10)}, []sim.Range{rg(1, 10)}, []sim.Range{rg(1, 7)}, nil)
	r := checkJSNoLoss(JSNoLossParams{}, evs)
	wantVerdict(t, r, Fail)
	if d := r.Data.(JSLossData); len(d.Gaps) != 1 || d.Undelivered != 3 {
		t.Fatalf("data %+v, want one gap of 3 undelivered", d)
	}
	if strings.Contains(r.Evidence, "more gaps") {
		t.Errorf("one gap, yet: %q", r.Evidence)
	}
}

// Duplicates in a stream that was also unreadable after the heal: the
// evidence sums the extra copies over every line.
func TestJSNoDuplicatesSumsExtraCopiesOverSeveralLines(t *testing.T) {
	evs := jsTL([]sim.Event{ack(1, 10)}, []sim.Range{rg(1, 10)}, []sim.Range{rg(1, 10)}, &sim.Event{Duplicates: 3, Repeated: []sim.Range{rg(4, 5), rg(9, 9)}})
	for i := range evs {
		if evs[i].Kind == sim.JSStreamRead && evs[i].Client == "" {
			evs[i].Err = "stream S: not healthy within 30s: no leader"
		}
	}
	r := checkJSNoDuplicates(JSNoDuplicatesParams{}, evs)
	wantVerdict(t, r, Fail)
	if len(r.Details) != 2 {
		t.Fatalf("details %q, want the duplicates and the unreadable stream", r.Details)
	}
	wantEvidence(t, r, "(3 extra copies in all)")
}
