package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/scenarios/library"
)

func TestBuiltinsParse(t *testing.T) {
	list := library.List()
	if len(list) < 2 {
		t.Fatalf("library.List() = %v", list)
	}
	for _, b := range list {
		s, data, err := Builtin(b.Name)
		if err != nil {
			t.Errorf("%s:\n%v", b.Name, err)
			continue
		}
		if s.Name != b.Name || s.File != "builtin:"+b.Name || len(data) == 0 || b.Description == "" || b.Description != s.Description {
			t.Errorf("%s: name %q file %q description %q", b.Name, s.Name, s.File, b.Description)
		}
	}
	if _, _, err := Builtin("rolling-upgrad"); err == nil || !strings.Contains(err.Error(), `did you mean "rolling-upgrade"?`) {
		t.Errorf("unknown built-in: %v", err)
	}
	if _, _, err := Builtin("../parse.go"); err == nil {
		t.Error("Builtin must not read outside the library")
	}
}

// rolling-upgrade follows the docs page step for step.
func TestRollingUpgrade(t *testing.T) {
	s, _, err := Builtin("rolling-upgrade")
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, st := range s.Steps {
		x := st.Key()
		if srv := st.Server(); srv != "" {
			x += " " + srv
		}
		if w, ok := st.Action.(*Wait); ok {
			x += " " + string(w.Until)
		}
		steps = append(steps, x)
	}
	want := "wait mesh, start C, wait discovered, kill A, wait connected, check, restart A, wait mesh, " +
		"kill B, wait connected, restart B, wait mesh, stop C, wait connected"
	if got := strings.Join(steps, ", "); got != want {
		t.Errorf("steps:\n got %s\nwant %s", got, want)
	}
	c := s.Cluster
	if c.Name != "C1" || c.Topology != TopologyFull || len(c.Servers) != 3 || c.Servers[2].StartsAtBoot() {
		t.Errorf("cluster: %+v", c)
	}
	if s.TotalClients() < 200 || s.Timeout != 2*time.Minute {
		t.Errorf("clients %d timeout %v", s.TotalClients(), s.Timeout)
	}
	for _, g := range s.Clients {
		o := g.Options
		if strings.Join(g.Servers, ",") != "A" || *o.PingInterval != time.Second || *o.MaxReconnects != -1 ||
			*o.ReconnectWait < 100*time.Millisecond || *o.ReconnectWait > 250*time.Millisecond || o.ReconnectJitter == nil {
			t.Errorf("group %s: servers %v options %+v", g.Name, g.Servers, o)
		}
	}
	e := s.Expect
	for _, p := range []Property{PropMesh, PropDiscovery, PropReconnect, PropNoLoss, PropNoDuplicates, PropBalance} {
		if e.Get(p) == nil {
			t.Errorf("expect has no %s: %+v", p, e)
		}
	}
	if b, m := e.Get(PropBalance), e.Get(PropMesh); b == nil || !b.Warn || m == nil || m.Warn {
		t.Errorf("warn: balance %+v mesh %+v", b, m)
	}
}

func TestSeedServers(t *testing.T) {
	s, _, err := Builtin("seed-servers")
	if err != nil {
		t.Fatal(err)
	}
	c := &s.Cluster
	if c.Topology != TopologySeed || strings.Join(s.ServerNames(), ",") != "A,B,C" {
		t.Errorf("cluster: %+v", c)
	}
	for _, g := range s.Clients {
		if strings.Join(g.Servers, ",") != "A" {
			t.Errorf("group %s is given %v, want only the seed", g.Name, g.Servers)
		}
	}
	if stepOf[Wait](t, s.Steps[0]).Until != WaitMesh || stepOf[Wait](t, s.Steps[1]).Until != WaitDiscovered {
		t.Errorf("steps: %+v", s.Steps)
	}
	if s.Expect.Get(PropMesh) == nil || s.Expect.Get(PropDiscovery) == nil || s.Expect.Get(PropNoLoss) == nil {
		t.Errorf("expect: %+v", s.Expect)
	}
}
