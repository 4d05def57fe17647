package assert

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// interestRun: pub on A publishes 100/s from 0 to 6s; sub on L0 is
// ready at 0.5s; the leaf link is reset from 2s to 2.5s. The receipt
// says what sub got.
func interestRun(t *testing.T, received ...sim.Range) *tl {
	b := newTL(t)
	b.at(0).start("A").leafStart("L0", "A").connect("pub", "A").connect("sub", "L0")
	b.at(0.5).subReady("sub", "sub", "s", "")
	b.at(2).faultStart("f1", "reset_peer", "leaf:L0-A", true, "A", "L0")
	b.at(2.5).faultEnd("f1")
	b.publish("pub", "s", 0, 6, 100)
	b.at(6.5).receipt("sub", "s", "pub", received...)
	return b
}

func TestInterestHoldsWhenFlowResumes(t *testing.T) {
	r := check(t, "interest", InterestParams{Within: time.Second}, interestRun(t, rg(60, 200), rg(260, 600)).events())
	wantVerdict(t, r, Pass)
	wantEvidence(t, r, "messages flowed again within 1s after 1 heals on 1 pairs (1 heal×pair judged, 0 not)", "sub (on L0) from pub (on A)")
}

// #3515: the leaf's subscription is not restored after the reset:
// nothing published after the heal arrives.
func TestInterestFailsWhenInterestIsLost(t *testing.T) {
	r := check(t, "interest", InterestParams{Within: time.Second}, interestRun(t, rg(60, 200)).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "after the end of f1 on leaf:L0-A at 2.5s, sub (on L0) from pub (on A) received none of", "never again")
}

func TestInterestFailsWhenFlowResumesLate(t *testing.T) {
	r := check(t, "interest", InterestParams{Within: time.Second}, interestRun(t, rg(60, 200), rg(450, 600)).events())
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "first again with #450")
}

func TestInterestVacuousWithoutHealOrPairs(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A").connect("pub", "A").connect("sub", "A").subReady("sub", "sub", "s", "")
	b.publish("pub", "s", 0, 3, 100)
	b.at(3.5).receipt("sub", "s", "pub", rg(1, 300))
	r := check(t, "interest", InterestParams{Within: time.Second}, b.events())
	if !r.Vacuous() {
		t.Fatalf("no heal: want vacuous, got %s %q", r.Verdict, r.Evidence)
	}
	r = check(t, "interest", InterestParams{Within: time.Second}, interestRun(t).events())
	if !r.Vacuous() {
		t.Fatalf("no pair exchanged messages: want vacuous, got %s %q", r.Verdict, r.Evidence)
	}
}
