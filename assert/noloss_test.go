package assert

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// lossRun: p-1 on A publishes orders.p-1 at 1000/s from 1s to 10s (seq
// 1–9000, seq n published at about 1s + n ms); s-1 on B subscribes to
// orders.>. Tests add faults and then the receipt.
func lossRun(t *testing.T) *tl {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B").connect("p-1", "A").connect("s-1", "B")
	b.subReady("s-1", "s-1", "orders.>", "")
	b.publish("p-1", "orders.p-1", 1, 10, 1000)
	return b
}

func lossData(t *testing.T, r Result) LossData {
	t.Helper()
	d, ok := r.Data.(LossData)
	if !ok {
		t.Fatalf("no LossData in %+v", r)
	}
	return d
}

func TestNoLossHolds(t *testing.T) {
	b := lossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "no failing loss of 9000 expected messages over 1 pairs")
}

func TestNoLossFailsOnSilentGap(t *testing.T) {
	b := lossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3199), rg(3341, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 3200–3340 (silent, middle) at 4.2s")
	if d := lossData(t, r); d.Silent != 141 || d.Explained != 0 {
		t.Errorf("counts %+v", d)
	}
	if r.At != sec(4.2) {
		t.Errorf("At %v", r.At)
	}
}

// killB: B dies at 5s; s-1 notices at once and is back on A at 5.5s.
func killB(b *tl) {
	b.at(5).kill("B").disconnect("s-1", "B", "EOF")
	b.at(5.5).reconnect("s-1", "A")
}

func TestNoLossExplainedByAKill(t *testing.T) {
	b := lossRun(t)
	killB(b)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3999), rg(4601, 9000))
	evs := b.events()

	r := check(t, "no_loss", NoLossParams{}, evs)
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "lost 0 silent, 0 slow consumer, 601 explained by faults")
	if g := lossData(t, r).Gaps; len(g) != 1 || g[0].Why != "kill B" || g[0].Position != "middle" {
		t.Errorf("gaps %+v", g)
	}

	r = check(t, "no_loss", NoLossParams{Strict: true}, evs)
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 4000–4600 (explained, middle) at 5s")
}

func TestNoLossGapOutlivingTheFaultWindowIsSilent(t *testing.T) {
	b := lossRun(t)
	killB(b)
	// The window is [4.75s, 5.75s], so published by samples up to 4800;
	// 4801–5200 came after recovery plus grace.
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3999), rg(5201, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 4801–5200 (silent, middle) at 5.9s")
	if d := lossData(t, r); d.Explained != 801 || d.Silent != 400 {
		t.Errorf("counts %+v", d)
	}
}

func TestNoLossSlowConsumer(t *testing.T) {
	b := lossRun(t)
	b.at(6).add(sim.Event{Kind: sim.ClientError, Client: "s-1", Subject: "orders.>", Slow: true, Err: "nats: slow consumer, messages dropped"})
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 4999), rg(5101, 9000))
	evs := b.events()

	r := check(t, "no_loss", NoLossParams{}, evs)
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 5000–5100 (slow_consumer, middle) at 6s")
	wantVerdict(t, check(t, "no_loss", NoLossParams{AllowSlowConsumer: true}, evs), Pass)
	// strict fails on every gap: allowing slow consumers contradicts it.
	wantVerdict(t, check(t, "no_loss", NoLossParams{AllowSlowConsumer: true, Strict: true}, evs), NotEvaluated)
}

func TestNoLossSlowConsumerFromReceiptDrops(t *testing.T) {
	b := lossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 4999), rg(5101, 9000))
	b.lastEvent().Dropped = 101
	r := check(t, "no_loss", NoLossParams{AllowSlowConsumer: true}, b.events())
	wantVerdict(t, r, Pass)
	if g := lossData(t, r).Gaps; len(g) != 1 || g[0].Kind != SlowConsumer {
		t.Errorf("gaps %+v", g)
	}
}

func TestNoLossSlowConsumerFromServerCounter(t *testing.T) {
	b := lossRun(t)
	b.at(5.9).observe("B", 1)
	b.at(6.2).observe("B", 1).lastEvent().SlowConsumers = 1
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 4999), rg(5101, 6999), rg(7101, 9000))
	r := check(t, "no_loss", NoLossParams{AllowSlowConsumer: true}, b.events())
	// 5000–5100 fell while B counted a slow consumer; 7000–7100 did not.
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "seq 7000–7100 (silent, middle)")
	if d := lossData(t, r); d.SlowConsumer != 101 || d.Silent != 101 {
		t.Errorf("counts %+v", d)
	}
}

func TestNoLossRefusedPublishesAreNotLoss(t *testing.T) {
	b := lossRun(t)
	b.at(4.2).refused("p-1", 3200, 100, "nats: outbound buffer limit exceeded")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3199), rg(3300, 9000))
	r := check(t, "no_loss", NoLossParams{Strict: true}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "8900 expected messages", "100 publishes refused (counted apart)")
	if d := lossData(t, r); d.Refused != 100 || d.RefusedErrors["nats: outbound buffer limit exceeded"] != 100 {
		t.Errorf("refused %+v", d)
	}
}

func TestNoLossPrefixMiddleSuffix(t *testing.T) {
	b := lossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(101, 4000), rg(4101, 8900))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "seq 1–100 (silent, prefix) at 1.1s", "+2 more failing gaps")
	line := strings.Join(r.Details, "\n")
	for _, want := range []string{"p-1 → s-1: prefix 1–100 silent at 1.1s", "middle 4001–4100 silent at 5.1s", "suffix 8901–9000 silent at 10s"} {
		if !strings.Contains(line, want) {
			t.Errorf("details lack %q:\n%s", want, line)
		}
	}

	b = lossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1")
	r = check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "seq 1–9000 (silent, all)")
}

func TestNoLossPartitionExplainsUntilTheRouteIsSeenAgain(t *testing.T) {
	b := lossRun(t)
	b.at(3).partition("p1", []string{"A"}, []string{"B"})
	b.at(3.1).observe("A", 1).observe("B", 1)
	b.at(4).faultEnd("p1")
	b.at(4.1).observe("A", 1).observe("B", 1)           // not back yet
	b.at(4.3).observe("A", 1, "B").observe("B", 1, "A") // back: window ends at 4.55s
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 1999), rg(3401, 3799), rg(3851, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "seq 3800–3850 (silent, middle)")
	d := lossData(t, r)
	if d.Explained != 1401 || d.Silent != 51 {
		t.Errorf("counts %+v", d)
	}
	if g := d.Gaps[1]; g.Kind != Explained || g.Why != "partition p1 [A] | [B]" {
		t.Errorf("explained gap %+v", g)
	}
}

func TestNoLossExpectsOnlyMatchingSubjectsAfterReady(t *testing.T) {
	b := lossRun(t)
	b.at(0).connect("s-2", "A").subReady("s-2", "s-2", "payments.*", "")
	b.at(5).connect("s-3", "A").subReady("s-3", "s-3", "orders.*", "")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9000))
	// s-3 subscribed at 5s: it expects from the first sequence surely sent
	// after that, 4001, and receives from 4001 on.
	b.receipt("s-3", "orders.*", "p-1", rg(4001, 9000))
	r := check(t, "no_loss", NoLossParams{Strict: true}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "14000 expected messages over 2 pairs")
}

func TestNoLossMemoryDoesNotGrowWithMessages(t *testing.T) {
	run := func(perSec uint64) float64 {
		b := lossRun(t)
		b.evs = b.evs[:0]
		b.at(0).start("A", "B").meshed("A", "B").connect("p-1", "A").connect("s-1", "B")
		b.subReady("s-1", "s-1", "orders.>", "")
		b.publish("p-1", "orders.p-1", 1, 10, perSec)
		b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9*perSec))
		evs := b.events()
		return testing.AllocsPerRun(20, func() { checkNoLoss(NoLossParams{}, evs) })
	}
	small, huge := run(1000), run(1_000_000_000)
	// A million times the messages may not cost more allocations. (Exact
	// equality fails under -race, whose instrumentation allocates a few
	// more or fewer on either side.)
	if huge > small+8 {
		t.Errorf("allocations grow with messages: %v for 9e3, %v for 9e9", small, huge)
	}
}

func TestNoLossQueueGroupMemberFaultExplains(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B").connect("p-1", "A").connect("w-1", "A").connect("w-2", "B")
	b.subReady("w-1", "workers", "orders.>", "workers").subReady("w-2", "workers", "orders.>", "workers")
	b.publish("p-1", "orders.p-1", 1, 10, 1000)
	// The member on B dies with B; what the server had sent it is lost.
	b.at(5).kill("B").disconnect("w-2", "B", "EOF")
	b.at(5.3).reconnect("w-2", "A")
	b.at(11).receipt("workers", "orders.>", "p-1", rg(1, 3950), rg(4100, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	if g := lossData(t, r).Gaps; len(g) != 1 || g[0].Why != "kill B" {
		t.Errorf("gaps %+v", g)
	}
	r = check(t, "no_loss", NoLossParams{Strict: true}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub workers missed p-1 seq 3951–4099 (explained, middle)")
}

// A gap is named by the windows it lies in: here the kill of B, not the
// subscription's propagation window that merged with it.
func TestNoLossGapNamedByItsOwnWindow(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B").connect("p-1", "A").connect("s-1", "B")
	b.publish("p-1", "orders.p-1", 1, 10, 1000)
	b.at(5).subReady("s-1", "s-1", "orders.>", "")
	b.at(5.4).kill("B").disconnect("s-1", "B", "EOF")
	b.at(6).reconnect("s-1", "A")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(3001, 4599), rg(4901, 9000)) // 4600–4900: published 5.6–5.9 s
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	if g := lossData(t, r).Gaps; len(g) != 1 || g[0].Why != "kill B" {
		t.Errorf("gaps %+v, want one, explained by kill B", g)
	}
}
