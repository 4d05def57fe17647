package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

func TestMeshFormsDirect(t *testing.T) {
	for _, topo := range []Topology{TopologyFull, TopologySeed} {
		for _, n := range []int{3, 5} {
			t.Run(fmt.Sprintf("%s/%d", topo, n), func(t *testing.T) {
				c, _ := newTestCluster(t, ClusterSpec{Topology: topo, Servers: names(n)}, nil)
				testwait.Until(t, 10*time.Second, "full mesh", func() bool { return fullMesh(c) })
			})
		}
	}
}

func TestLifecycleEventsRecorded(t *testing.T) {
	c, tl := newTestCluster(t, ClusterSpec{Servers: names(3)}, nil)
	testwait.Until(t, 10*time.Second, "full mesh", func() bool { return fullMesh(c) })
	if err := c.Kill("A"); err != nil {
		t.Fatal(err)
	}
	if c.IsRunning("A") {
		t.Fatal("A still running after kill")
	}
	if err := c.Restart("A", ""); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "mesh after restart", func() bool { return fullMesh(c) })
	var kinds []Kind
	for _, ev := range tl.Events() {
		if ev.Server == "A" && ev.Kind != Observe {
			kinds = append(kinds, ev.Kind)
		}
	}
	want := []Kind{ServerStart, ServerKill, ServerExit, ServerStart}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Fatalf("A's lifecycle = %v, want %v", kinds, want)
	}
}

func TestDeferredServerRefusesUntilStarted(t *testing.T) {
	spec := ClusterSpec{Servers: []ServerSpec{{Name: "A"}, {Name: "B"}, {Name: "C", Deferred: true}}}
	c, _ := newTestCluster(t, spec, nil)
	if c.IsRunning("C") {
		t.Fatal("deferred C runs before Start")
	}
	if err := c.Start("C"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "mesh with C", func() bool { return fullMesh(c) && len(c.Running()) == 3 })
}
