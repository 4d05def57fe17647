package assert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// Real histories recorded by record_test.go (go test -tags record): three
// embedded servers, 6 plain subscribers, a queue group of 3, 3 publishers.
// They pin the checkers to what the cluster and fleet really write.

func readHistory(t *testing.T, name string) []sim.Event {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := sim.ReadEvents(f)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

var historyExpectations = []Expectation{
	{Name: "mesh", Params: MeshParams{Within: 2 * time.Second}},
	{Name: "discovery", Params: DiscoveryParams{Within: 2 * time.Second}},
	{Name: "balance", Params: BalanceParams{MaxSkew: 0.5}},
	{Name: "reconnect", Params: ReconnectParams{Max: time.Second, P99: time.Second, MaxPerClient: intp(1)}},
	{Name: "no_loss"},
	{Name: "no_duplicates"},
	{Name: "ordered"},
	{Name: "herd", Params: HerdParams{Window: 100 * time.Millisecond, MaxPerServer: 50}},
}

func TestHistoryKillRestart(t *testing.T) {
	rs := Evaluate(historyExpectations, readHistory(t, "kill_restart"))
	for _, r := range rs {
		switch r.Name {
		case "balance":
			// Nothing moves clients back to a restarted server: a real
			// finding, and the reason `balance` exists.
			wantVerdict(t, r, Fail)
			wantEvidence(t, r, "A 0,")
		default:
			wantVerdict(t, r, Pass)
		}
	}
	wantEvidence(t, rs[0], "after each of 5 changes")
}

func TestHistoryLameDuck(t *testing.T) {
	evs := readHistory(t, "lame_duck")
	for _, r := range Evaluate(historyExpectations, evs) {
		if r.Name == "balance" {
			wantVerdict(t, r, Fail)
			wantEvidence(t, r, "B 0,")
			continue
		}
		wantVerdict(t, r, Pass)
	}
	// Clients sent away during lame duck lost a few in-flight messages:
	// explained by the lame duck window, so only strict fails.
	r := check(t, "no_loss", NoLossParams{Strict: true}, evs)
	wantVerdict(t, r, Fail)
	wantEvidence(t, r, "(explained, middle)")
	for _, g := range lossData(t, r).Gaps {
		if g.Kind != Explained || !strings.Contains(g.Why, "lame_duck B") {
			t.Errorf("gap %s: want explained by lame_duck B", g)
		}
	}
}
