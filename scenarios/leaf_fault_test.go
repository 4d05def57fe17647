package scenarios

import (
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// leafFaultSrc: two leaves dialling hub server A; L0's link to A goes
// down for 2s.
const leafFaultSrc = `name: leaf-fault
seed: 1
cluster:
  servers: [A, B]
leafnodes:
  names: [L0, L1]
  hubs: [A]
  no_advertise: true
  reconnect: 200ms
steps:
  - sleep: 2s
  - fault: {target: leaf:L0-A, kind: down, duration: 2s}
  - sleep: 4s
`

// A fault on leaf:<leaf>-<hub> validates, reaches the layer, and the
// timeline shows that leaf's link cut and back while the other leaf's
// link stays.
func TestLeafFaultTargetRuns(t *testing.T) {
	sc, err := Parse("leaf-fault.yaml", []byte(leafFaultSrc))
	if err != nil {
		t.Fatal(err)
	}
	f := sc.Steps[1].Action.(*Fault)
	if want := (Link{Kind: LinkLeaf, Server: "L0", Peer: "A"}); f.Link != want {
		t.Fatalf("link %+v, want %+v", f.Link, want)
	}
	if testing.Short() {
		t.Skip("runs real servers")
	}
	_, events := runWithEvents(t, sc)
	faulted := false
	downs, ups := map[string]int{}, map[string]int{}
	for _, ev := range events {
		faulted = faulted || ev.Kind == sim.FaultStart
		if !faulted || ev.Detail != sim.LeafSideLeaf {
			continue
		}
		switch ev.Kind {
		case sim.LeafDown:
			downs[ev.Server]++
		case sim.LeafUp:
			ups[ev.Server]++
		}
	}
	if !faulted {
		t.Fatalf("no fault on the timeline")
	}
	if downs["L0"] == 0 || ups["L0"] == 0 {
		t.Errorf("L0 after the fault: %d downs, %d ups; want its link cut and back", downs["L0"], ups["L0"])
	}
	if downs["L1"] != 0 {
		t.Errorf("L1's link went down %d times; the fault names only L0-A", downs["L1"])
	}
}

// Leaf targets that name no leaf link, or a leaf under leaf TLS, are
// refused at their position; a partition does not take leaves.
func TestLeafFaultTargetInvalid(t *testing.T) {
	head := "name: t\ncluster:\n  servers: [A, B]\nleafnodes: {names: [L0, L1]}\nsteps:\n"
	for _, tc := range []struct{ step, want string }{
		{"  - fault: {target: leaf:L9-A, kind: down}", `6:21: steps[0].fault.target "leaf:L9-A": want leaf:<leaf>-<hub>, leaf:<leaf> or leaf:<hub>, with a leaf of [L0 L1] and a hub server of [A B]`},
		{"  - fault: {target: leaf:L0-Q, kind: down}", `6:21: steps[0].fault.target "leaf:L0-Q": want leaf:<leaf>-<hub>`},
		{"  - fault: {target: leaf:L0-L1, kind: down}", `6:21: steps[0].fault.target "leaf:L0-L1": want leaf:<leaf>-<hub>`},
		{"  - fault: {target: leaf:Q, kind: down}", `6:21: steps[0].fault.target "leaf:Q"`},
		{"  - partition: {groups: [[A, L0], [B]]}", `6:30: steps[0].partition.groups[0][1]: "L0" is a leaf: a partition cuts routes and gateways, not leaf links`},
	} {
		_, err := Parse("t.yaml", []byte(head+tc.step+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %q", tc.step, err, tc.want)
		}
	}
	noLeaves := "name: t\ncluster:\n  servers: [A, B]\nsteps:\n  - fault: {target: leaf:A, kind: down}\n"
	if _, err := Parse("t.yaml", []byte(noLeaves)); err == nil || !strings.Contains(err.Error(), "5:21: steps[0].fault.target \"leaf:A\": leaf links join the leaves of a leafnodes: section, and there is none") {
		t.Errorf("leaf target without leaves: %v", err)
	}
	tlsHead := "name: t\ncluster:\n  security:\n    tls: {clients: true}\n  servers: [A, B]\nleafnodes: {names: [L0], tls: true}\nsteps:\n"
	for _, target := range []string{"leaf:L0", "leaf:L0-A"} {
		_, err := Parse("t.yaml", []byte(tlsHead+"  - fault: {target: "+target+", kind: down}\n"))
		want := `8:21: steps[0].fault.target "` + target + `" names a leaf, but leafnodes.tls is on`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s under leaf TLS: got %v, want %q", target, err, want)
		}
	}
	if _, err := Parse("t.yaml", []byte(tlsHead+"  - fault: {target: leaf:A, kind: down}\n")); err != nil {
		t.Errorf("leaf:A under leaf TLS: %v", err)
	}
	for _, target := range []string{"leaf:L0", "leaf:A", "leaf:L1-B"} {
		src := head + "  - fault: {target: " + target + ", kind: down}\n  - partition: {groups: [[A], [B]]}\n"
		if _, err := Parse("t.yaml", []byte(src)); err != nil {
			t.Errorf("%s: %v", target, err)
		}
	}
}
