package assert

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// jsTL builds a JetStream timeline: writer w-0 on stream S with the given
// outcomes, the stream's read back, and durable d's deliveries.
func jsTL(outcomes []sim.Event, held, delivered []sim.Range, dup *sim.Event) []sim.Event {
	evs := []sim.Event{{Kind: sim.JSConsumerReady, Sub: "d", Stream: "S", Client: "d-0"}}
	end := uint64(0)
	for _, o := range outcomes {
		o.Kind, o.Client, o.Stream = sim.JSPublish, "w-0", "S"
		evs = append(evs, o)
		end = max(end, o.Seq+o.Count-1)
	}
	evs = append(evs, sim.Event{Kind: sim.JSPublishEnd, Client: "w-0", Stream: "S", Seq: end})
	read := sim.Event{Kind: sim.JSStreamRead, Stream: "S", Client: "w-0", Received: held}
	if dup != nil {
		read.Duplicates, read.Repeated = dup.Duplicates, dup.Repeated
	}
	evs = append(evs, read, sim.Event{Kind: sim.JSStreamRead, Stream: "S", Count: 1})
	if delivered != nil {
		evs = append(evs, sim.Event{Kind: sim.JSDelivery, Sub: "d", Stream: "S", Client: "w-0", Received: delivered})
	}
	for i := range evs {
		evs[i].T = sec(float64(i))
	}
	return evs
}

func ack(first, count uint64) sim.Event {
	return sim.Event{Seq: first, Count: count, Detail: sim.JSAck}
}

func TestJSNoLossHoldsWithUnackedApart(t *testing.T) {
	outs := []sim.Event{ack(1, 50), {Seq: 51, Count: 5, Detail: sim.JSTimeout, Err: "context deadline exceeded"}, {Seq: 56, Count: 2, Detail: sim.JSError}, ack(58, 43)}
	// 51–53 stored although their acks timed out: not loss, not failure.
	evs := jsTL(outs, []sim.Range{rg(1, 53), rg(58, 100)}, []sim.Range{rg(1, 53), rg(58, 100)}, nil)
	r := checkJSNoLoss(JSNoLossParams{}, evs)
	if r.Verdict != Pass {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
	for _, want := range []string{"all 93 acknowledged", "7 unacknowledged (2 error, 5 timeout; 3 of them stored anyway)"} {
		if !strings.Contains(r.Evidence, want) {
			t.Errorf("evidence %q lacks %q", r.Evidence, want)
		}
	}
}

func TestJSNoLossFailsPerWriterWithPositions(t *testing.T) {
	outs := []sim.Event{ack(1, 100)}
	evs := jsTL(outs, []sim.Range{rg(3, 40), rg(45, 90)}, []sim.Range{rg(1, 100)}, nil)
	r := checkJSNoLoss(JSNoLossParams{}, evs)
	if r.Verdict != Fail {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
	if want := "w-0: acknowledged seq 1–2 missing from stream S (prefix)"; !strings.HasPrefix(r.Evidence, want) {
		t.Errorf("evidence %q, want prefix %q", r.Evidence, want)
	}
	d := r.Data.(JSLossData)
	var got []string
	for _, g := range d.Gaps {
		got = append(got, g.Where+" "+seqs(g.First, g.Last)+" "+g.Position)
	}
	want := []string{"stream S 1–2 prefix", "stream S 41–44 middle", "stream S 91–100 suffix"}
	if strings.Join(got, "|") != strings.Join(want, "|") || d.LostStored != 16 {
		t.Errorf("gaps %v (lost %d), want %v (16)", got, d.LostStored, want)
	}
}

func TestJSNoLossFailsOnUndelivered(t *testing.T) {
	evs := jsTL([]sim.Event{ack(1, 10)}, []sim.Range{rg(1, 10)}, []sim.Range{rg(1, 7)}, nil)
	r := checkJSNoLoss(JSNoLossParams{}, evs)
	if r.Verdict != Fail || !strings.Contains(r.Evidence, "seq 8–10 never delivered to consumer d (suffix)") {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
	// A durable that received nothing at all misses everything.
	evs = jsTL([]sim.Event{ack(1, 10)}, []sim.Range{rg(1, 10)}, nil, nil)
	if r := checkJSNoLoss(JSNoLossParams{}, evs); r.Verdict != Fail || !strings.Contains(r.Evidence, "(all)") {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
}

func TestJSNoLossNotEvaluatedWithoutReadBack(t *testing.T) {
	evs := []sim.Event{{Kind: sim.JSPublish, Client: "w-0", Stream: "S", Seq: 1, Count: 3, Detail: sim.JSAck}}
	if r := checkJSNoLoss(JSNoLossParams{}, evs); r.Verdict != NotEvaluated {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
}

func TestJSNoDuplicates(t *testing.T) {
	evs := jsTL([]sim.Event{ack(1, 10)}, []sim.Range{rg(1, 10)}, []sim.Range{rg(1, 10)}, nil)
	if r := checkJSNoDuplicates(JSNoDuplicatesParams{}, evs); r.Verdict != Pass {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
	evs = jsTL([]sim.Event{ack(1, 10)}, []sim.Range{rg(1, 10)}, []sim.Range{rg(1, 10)}, &sim.Event{Duplicates: 3, Repeated: []sim.Range{rg(4, 5), rg(9, 9)}})
	r := checkJSNoDuplicates(JSNoDuplicatesParams{}, evs)
	if r.Verdict != Fail || r.Evidence != "stream S holds w-0 seq 4–5, 9 more than once (3 extra copies)" {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
}

func TestJSNoLossSaysWhenTheStreamWasUnreadable(t *testing.T) {
	evs := jsTL([]sim.Event{ack(1, 10)}, nil, []sim.Range{rg(1, 10)}, nil)
	for i := range evs {
		if evs[i].Kind == sim.JSStreamRead && evs[i].Client == "" {
			evs[i].Err = "stream S: not healthy within 30s: no leader"
		}
	}
	r := checkJSNoLoss(JSNoLossParams{}, evs)
	if r.Verdict != Fail || !strings.Contains(r.Evidence, "missing from stream S (all)") || !strings.Contains(r.Evidence, "no leader") {
		t.Fatalf("%s: %s", r.Verdict, r.Evidence)
	}
}
