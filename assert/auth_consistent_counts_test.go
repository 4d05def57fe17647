package assert

import (
	"strings"
	"testing"
)

// The counts auth_consistent judges by: clients accepted (each once, on
// its first server), one failure named without a "more" tail, and no
// mention of rejections of never-accepted clients when there are none.
func TestAuthConsistentCounts(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A").connect("c-2", "B")
	b.at(1).disconnect("c-1", "A", "EOF").reconnect("c-1", "B").add(probed("c-2", "B", "refused"))
	r := checkAuthConsistent(AuthConsistentParams{}, b.events())
	wantVerdict(t, r, Pass)
	if n := countOf(t, r.Evidence, "clients accepted"); n != 2 {
		t.Errorf("%d clients accepted, want 2 (c-1 counted once): %s", n, r.Evidence)
	}
	if strings.Contains(r.Evidence, "never accepted") {
		t.Errorf("no client was rejected before acceptance, yet: %s", r.Evidence)
	}

	b.at(2).add(rejected("c-2", "A", "nats: authorization violation"))
	r = checkAuthConsistent(AuthConsistentParams{}, b.events())
	wantVerdict(t, r, Fail)
	if strings.Contains(r.Evidence, "more)") {
		t.Errorf("one failure, yet the evidence announces more: %s", r.Evidence)
	}
}
