package assert

import (
	"strings"
	"testing"
)

// A subscriber ready just before a publisher's last message is owed that
// one message: the pair is judged, not skipped.
func TestNoLossOwesTheOneMessageAfterALateSubscription(t *testing.T) {
	for _, c := range []struct {
		name     string
		received []uint64
		want     Verdict
	}{
		{"received", []uint64{5, 5}, Pass},
		{"missing", nil, Fail},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newTL(t)
			b.at(0).start("A").connect("p-1", "A").connect("s-1", "A")
			b.at(1).progress("p-1", "orders", 0)
			b.at(1.5).subReady("s-1", "s-1", "orders", "")
			b.at(2).progress("p-1", "orders", 4) // seq 5 comes after the subscription
			b.at(3).pubEnd("p-1", "orders", 5)
			if c.received != nil {
				b.at(4).receipt("s-1", "orders", "p-1", rg(c.received[0], c.received[1]))
			} else {
				b.at(4).receipt("s-1", "orders", "p-1")
			}
			r := check(t, "no_loss", NoLossParams{}, b.events())
			wantVerdict(t, r, c.want)
			if d := lossData(t, r); d.Expected != 1 {
				t.Errorf("expected %d messages, want 1", d.Expected)
			}
		})
	}
}

// A receipt naming a publisher the timeline never recorded is noted and
// ignored; receipts of known pairs are not noted.
func TestNoLossNotesOnlyReceiptsOfUnknownPublishers(t *testing.T) {
	const note = "names an unknown subscriber or publisher"
	b := lossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	if d := strings.Join(r.Details, "\n"); strings.Contains(d, note) {
		t.Errorf("a known pair noted: %q", r.Details)
	}
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9000))
	b.lastEvent().Pub = 7
	r = check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	if d := strings.Join(r.Details, "\n"); !strings.Contains(d, "receipt for s-1 from publisher 7 "+note) {
		t.Errorf("the unknown publisher is not noted: %q", r.Details)
	}
}

// Messages lost just after a subscription became ready are explained by
// its propagation; the explanation covers the grace after it, not before.
func TestNoLossExplainsLossJustAfterTheSubscription(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").meshed("A", "B").connect("p-1", "A").connect("s-1", "B")
	b.publish("p-1", "orders.p-1", 1, 10, 1000)
	b.at(5).subReady("s-1", "s-1", "orders.>", "")
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(4011, 9000)) // 4001–4010 lost
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	if d := lossData(t, r); d.Explained != 10 || d.Silent != 0 {
		t.Errorf("explained %d, silent %d; want 10 explained", d.Explained, d.Silent)
	}
}
