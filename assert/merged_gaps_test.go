package assert

import (
	"slices"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// Adjacent ranges are one: 1–5 and 6–10 are 1–10.
func TestNormalizedMergesAdjacentRanges(t *testing.T) {
	for _, c := range []struct{ in, want []sim.Range }{
		{[]sim.Range{rg(1, 5), rg(6, 10)}, []sim.Range{rg(1, 10)}},
		{[]sim.Range{rg(6, 10), rg(1, 5)}, []sim.Range{rg(1, 10)}},
		{[]sim.Range{rg(1, 5), rg(7, 10)}, []sim.Range{rg(1, 5), rg(7, 10)}},
		{[]sim.Range{rg(1, 5), rg(3, 4), rg(5, 9)}, []sim.Range{rg(1, 9)}},
	} {
		if got := normalized(c.in); !slices.Equal(got, c.want) {
			t.Errorf("normalized(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// The case: an R1 stream whose server dies loses each writer's
// prefix, acknowledged in runs of 5 with a timed-out run among them. One
// range per writer and stream (or durable), with its ack-time span.
func TestJSNoLossReportsOneRangePerWriter(t *testing.T) {
	var outs []sim.Event
	for seq := uint64(1); seq <= 200; seq += 5 {
		if seq == 51 {
			outs = append(outs, sim.Event{Seq: seq, Count: 5, Detail: sim.JSTimeout})
			continue
		}
		outs = append(outs, ack(seq, 5))
	}
	evs := jsTL(outs, []sim.Range{rg(102, 200)}, []sim.Range{rg(102, 200)}, nil)
	r := checkJSNoLoss(JSNoLossParams{}, evs)
	wantVerdict(t, r, Fail)
	// Acks are recorded a second apart (jsTL): seq 1 at 1s, seq 101 at 21s.
	wantEvidence(t, r, "w-0: seq 1–101 (96 acknowledged) missing from stream S (prefix), acked 1s–21s (+1 more gaps;")
	d := r.Data.(JSLossData)
	if len(d.Gaps) != 2 || d.LostStored != 96 || d.Undelivered != 96 {
		t.Fatalf("gaps %+v, lost %d, undelivered %d", d.Gaps, d.LostStored, d.Undelivered)
	}
	if g := d.Gaps[1]; g.Where != "consumer d" || g.First != 1 || g.Last != 101 || g.Count() != 96 {
		t.Errorf("durable gap %+v", g)
	}
	// A timed-out run that the stream holds anyway parts the loss: what
	// lies between was not lost.
	evs = jsTL(outs, []sim.Range{rg(51, 55), rg(102, 200)}, []sim.Range{rg(1, 200)}, nil)
	r = checkJSNoLoss(JSNoLossParams{}, evs)
	wantEvidence(t, r, "w-0: acknowledged seq 1–50 missing from stream S (prefix), acked 1s–10s (+1 more gaps;")
	if !strings.Contains(strings.Join(r.Details, "\n"), "acknowledged seq 56–101 (middle), acked 12s–21s") {
		t.Errorf("details %q", r.Details)
	}
}

// Core no_loss: gaps of one pair and kind that only refused publishes
// separate are one gap, with its publish-time span.
func TestNoLossMergesGapsAcrossRefusedPublishes(t *testing.T) {
	b := lossRun(t)
	b.at(4.2).refused("p-1", 3300, 100, "nats: outbound buffer limit exceeded")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3199), rg(3500, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 3200–3499 (silent, middle; 100 refused inside, counted apart) at 4.2s–4.5s")
	d := lossData(t, r)
	if len(d.Gaps) != 1 || d.Silent != 200 || d.Gaps[0].Count() != 200 {
		t.Errorf("gaps %+v, silent %d", d.Gaps, d.Silent)
	}
}
