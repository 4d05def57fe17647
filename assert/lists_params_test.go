package assert

import "testing"

func TestServerListsParamsValidate(t *testing.T) {
	for _, p := range []ServerListsParams{{Kept: []string{"A"}, Pruned: []string{"B"}}, {Kept: []string{"A"}}, {Pruned: []string{"B"}}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v refused: %v", p, err)
		}
	}
	if (ServerListsParams{}).Validate() == nil {
		t.Error("no server named, yet accepted")
	}
	if got := orNoneList(nil); got != "none" {
		t.Errorf("orNoneList(nil) = %q", got)
	}
	if got := orNoneList([]string{"A", "B"}); got != "A,B" {
		t.Errorf("orNoneList(A, B) = %q", got)
	}
}
