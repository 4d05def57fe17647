package assert

import (
	"slices"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func TestRegistryKnowsTheContractsProperties(t *testing.T) {
	// The contract's eight, plus those added after it: server_lists
	// (docs/HERD.md), the js_ properties and auth_consistent (README),
	// interest, the leaf_ properties and gateway_mesh (docs/TOPOLOGIES.md).
	want := []string{"auth_consistent", "balance", "discovery", "gateway_mesh", "herd", "interest", "js_no_duplicates", "js_no_loss", "leaf_discovery", "leaf_herd", "leaf_reconnect", "mesh", "no_duplicates", "no_loss", "ordered", "reconnect", "server_lists"}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	p, ok := NewParams("reconnect")
	if _, isPtr := p.(*ReconnectParams); !ok || !isPtr {
		t.Errorf("NewParams(reconnect) = %T, want *ReconnectParams", p)
	}
	if _, ok := NewParams("nope"); ok {
		t.Error("NewParams of an unknown property")
	}
}

func TestEvaluateOrderWarnAndParams(t *testing.T) {
	b := newTL(t)
	b.at(0).start("A", "B").connect("c-1", "A")
	b.at(1).disconnect("c-1", "A", "EOF")
	evs := b.events()
	rs := Evaluate([]Expectation{
		{Name: "reconnect", Warn: true},                                         // never reconnected: a warning
		{Name: "mesh", Params: &MeshParams{Within: time.Second}},                // a pointer works too
		{Name: "mesh", Params: BalanceParams{}},                                 // the wrong struct
		{Name: "herd", Params: HerdParams{Window: 0}},                           // fails Validate
		{Name: "no_such_thing"},                                                 // unknown
		{Name: "reconnect", Params: ReconnectParams{MaxPerClient: intp(1)}},     // the same, failing
		{Name: "discovery", Params: DiscoveryParams{Within: time.Second}},       // c-1 left before its bound: nothing judged
		{Name: "balance", Params: BalanceParams{MaxSkew: 1}, Warn: true},        // cannot be evaluated: warn does not hide that
		{Name: "no_duplicates", Params: (*NoDuplicatesParams)(nil), Warn: true}, // a nil pointer is the zero value
	}, evs)
	want := []struct {
		name string
		v    Verdict
	}{
		{"reconnect", Warn}, {"mesh", Fail}, {"mesh", NotEvaluated}, {"herd", NotEvaluated},
		{"no_such_thing", NotEvaluated}, {"reconnect", Fail}, {"discovery", Fail}, {"balance", NotEvaluated},
		{"no_duplicates", NotEvaluated},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results for %d expectations", len(rs), len(want))
	}
	for i, w := range want {
		if rs[i].Name != w.name || rs[i].Verdict != w.v {
			t.Errorf("result %d: %s %s (%s), want %s %s", i, rs[i].Name, rs[i].Verdict, rs[i].Evidence, w.name, w.v)
		}
	}
}

func TestEvaluateSurvivesAPanickingChecker(t *testing.T) {
	Register("test_panics", func(struct{}, []sim.Event) Result { panic("boom") })
	defer func() {
		regMu.Lock()
		delete(registry, "test_panics")
		regMu.Unlock()
	}()
	r := Evaluate([]Expectation{{Name: "test_panics"}}, nil)[0]
	wantVerdict(t, r, NotEvaluated)
	wantEvidence(t, r, "internal error in the test_panics checker: boom")
}
