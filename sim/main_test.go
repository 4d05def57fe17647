package sim

import (
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/natschaos/natschaos/internal/ports"
)

// TestMain checks that no goroutine is left behind, and no port reserved.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) { os.Exit(ports.ExitCode(code)) }))
}

// fullMesh says whether every running server routes to every other.
func fullMesh(c *Cluster) bool {
	obs := c.Observe()
	for _, o := range obs {
		if !o.Running {
			continue
		}
		for _, p := range obs {
			if p.Running && p.Server != o.Server && !contains(o.Peers, p.Server) {
				return false
			}
		}
	}
	return true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func names(n int) []ServerSpec {
	var out []ServerSpec
	for i := 0; i < n; i++ {
		out = append(out, ServerSpec{Name: string(rune('A' + i))})
	}
	return out
}

func newTestCluster(t testing.TB, spec ClusterSpec, net Network) (*Cluster, *Timeline) {
	t.Helper()
	tl := NewTimeline()
	c, err := NewCluster(spec, tl, net)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.StartAll(); err != nil {
		t.Fatal(err)
	}
	return c, tl
}
