package assert

import "testing"

// crossLossRun: p-1 on E1 (east) publishes orders.p-1 at 1000/s from 1s
// to 10s; s-1 on W1 (west) subscribes: every message crosses the gateway.
func crossLossRun(t *testing.T) *tl {
	b := newTL(t)
	b.at(0).startIn("east", "E1").startIn("west", "W1").observe("E1", 1).observe("W1", 1)
	b.gwOut("E1", "east", "west", "W1").gwOut("W1", "west", "east", "E1")
	b.connect("p-1", "E1").connect("s-1", "W1")
	b.subReady("s-1", "s-1", "orders.>", "")
	b.publish("p-1", "orders.p-1", 1, 10, 1000)
	return b
}

func TestNoLossNamesTheGatewayOfASilentGap(t *testing.T) {
	b := crossLossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3199), rg(3341, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 3200–3340 (silent, middle, across gateway east→west) at 4.2s")
}

func TestNoLossCountsPairsAcrossGateways(t *testing.T) {
	b := crossLossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "no failing loss of 9000 expected messages over 1 pairs (1 across gateways)")
}

// A gateway fault explains the loss across it until the servers report
// the gateways back; a gap after that is silent.
func TestNoLossGatewayFaultExplainsUntilGatewaysAreBack(t *testing.T) {
	b := crossLossRun(t)
	b.at(4).faultStart("f1", "down", "gateway:east-west", true, "E1", "W1")
	b.at(4.05).observe("E1", 1).observe("W1", 1).gwGone("E1", "east", "west", "W1").gwGone("W1", "west", "east", "E1")
	b.at(4.5).faultEnd("f1")
	b.at(5.5).observe("E1", 1).observe("W1", 1).gwOut("E1", "east", "west", "W1").gwOut("W1", "west", "east", "E1")
	b.at(5.55).observe("E1", 1).observe("W1", 1)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 3199), rg(4301, 7199), rg(7301, 9000))
	r := check(t, "no_loss", NoLossParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 missed p-1 seq 7200–7300 (silent, middle, across gateway east→west) at 8.2s")
	if d := lossData(t, r); d.Explained != 1101 || d.Silent != 101 {
		t.Errorf("explained %d silent %d, want 1101 (the gateway fault) and 101", d.Explained, d.Silent)
	}
}

func TestNoDuplicatesNamesTheGateway(t *testing.T) {
	b := crossLossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9000))
	b.lastEvent().Duplicates = 3
	r := check(t, "no_duplicates", NoDuplicatesParams{}, b.events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "sub s-1 got 3 duplicates from p-1 across gateway east→west")

	b = crossLossRun(t)
	b.at(11).receipt("s-1", "orders.>", "p-1", rg(1, 9000))
	r = check(t, "no_duplicates", NoDuplicatesParams{}, b.events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "(1 across gateways)")
}
