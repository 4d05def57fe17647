package qualify

import (
	"slices"
	"testing"

	"github.com/natschaos/natschaos/internal/compare"
)

func TestDefaultSuite(t *testing.T) {
	s := DefaultSuite(false)
	for _, want := range []string{"herd-lame-duck", "herd-cluster-restart", "seed-servers", "herd-single-kill", "herd-late-joiner"} {
		if !slices.Contains(s, want) {
			t.Errorf("default suite %v lacks %s", s, want)
		}
	}
	for _, not := range []string{"js-kill-leader", "upgrade", "downgrade"} {
		if slices.Contains(s, not) {
			t.Errorf("default suite holds %s", not)
		}
	}
	js := JetStreamSuite()
	if len(js) == 0 || !slices.Contains(js, "js-kill-leader") {
		t.Errorf("jetstream suite %v", js)
	}
	if c := DefaultSuite(true); slices.Contains(c, "auth-consistent") || !slices.Contains(s, "auth-consistent") || len(c) != len(s)-2 {
		t.Errorf("client suite %v: want the default one (%v) less the two with security", c, s)
	}
	if _, err := Resolve([]string{"auth-warning"}, true); err == nil {
		t.Error("a scenario with security was accepted for a client qualification")
	}
	got, err := Resolve([]string{"jetstream", "testdata", "herd-lame-duck"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := append(slices.Clone(js), "testdata/reconnect-wait.yaml", "herd-lame-duck"); !slices.Equal(got, want) {
		t.Errorf("Resolve: %v, want %v", got, want)
	}
	if _, err := Resolve([]string{"herd-lame-duk"}, false); err == nil {
		t.Error("a misspelt built-in resolved")
	}
}

func TestParseTolerance(t *testing.T) {
	for _, c := range []struct {
		in   string
		name string
		want compare.Tolerance
	}{
		{"reconnect.p99=20%", "reconnect.p99", compare.Tolerance{Rel: 0.2}},
		{"all_back=50ms", "all_back", compare.Tolerance{Abs: 50}},
		{"herd.peak.A=3", "herd.peak.A", compare.Tolerance{Abs: 3}},
		{"verdict.no_loss=0", "verdict.no_loss", compare.Tolerance{}},
	} {
		name, tol, err := ParseTolerance(c.in)
		if err != nil || name != c.name || tol != c.want {
			t.Errorf("%s: %s %+v %v, want %s %+v", c.in, name, tol, err, c.name, c.want)
		}
	}
	for _, bad := range []string{"reconnect.p99", "nope=1", "herd.peak=-1", "reconnect.p99=x%"} {
		if _, _, err := ParseTolerance(bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}
