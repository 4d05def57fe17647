package assert

import (
	"strings"
	"testing"
)

// A missing route with no partition and every server running is said as
// just that: no bypass, nothing "not running".
func TestMeshPredicateNamesOnlyWhatApplies(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B", "C").meshed("A", "B", "C")
	b.at(0.2).observe("C", 0, "A")
	ok, why := Mesh(Fold(b.events()))
	wantOK(t, ok, why, false, "C routes to [A] but expected [A B]")
	if strings.Contains(why, "bypass") || strings.Contains(why, "not running") {
		t.Errorf("why names what does not apply: %s", why)
	}
}
