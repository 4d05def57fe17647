package assert

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

func TestServerLists(t *testing.T) {
	ev := []sim.Event{
		{Kind: sim.ClientConnect, Client: "c-0", Server: "A", Known: []string{"A", "B", "C"}},
		{Kind: sim.ClientConnect, Client: "c-1", Server: "B", Known: []string{"A", "B", "C"}},
		{Kind: sim.ClientConnect, Client: "c-2", Server: "B", Known: []string{"A", "B", "C"}},
		{Kind: sim.ClientDiscovered, Client: "c-0", Known: []string{"A", "B"}},
		{Kind: sim.ClientDiscovered, Client: "c-1", Known: []string{"A", "B"}},
		{Kind: sim.ClientDisconnect, Client: "c-2", Server: "B", Err: "EOF"}, // not judged
		{Kind: sim.RunEnd},
	}
	if r := checkServerLists(ServerListsParams{Kept: []string{"A"}, Pruned: []string{"C"}}, ev); r.Verdict != Pass || !strings.Contains(r.Evidence, "all 2 connected clients") {
		t.Errorf("hold: %+v", r)
	}
	r := checkServerLists(ServerListsParams{Kept: []string{"C"}, Pruned: []string{"B"}}, ev)
	if r.Verdict != Fail || !strings.Contains(r.Evidence, "2 of 2 connected clients: c-0 lost C, still lists B (knows A,B)") {
		t.Errorf("fail: %+v", r)
	}
	if r := checkServerLists(ServerListsParams{Pruned: []string{"C"}}, ev[5:]); !r.Vacuous() || r.Verdict != Fail {
		t.Errorf("nobody connected: %+v", r)
	}
	if (ServerListsParams{}).Validate() == nil || (ServerListsParams{Kept: []string{"A"}, Pruned: []string{"A"}}).Validate() == nil {
		t.Error("Validate accepts nonsense")
	}
}
