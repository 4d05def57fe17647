package scenarios

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
)

// All problems of a file come back together, in file order, one a line.
func TestAllProblemsTogether(t *testing.T) {
	const golden = "testdata/invalid/many.golden"
	_, err := Parse("many.yaml", mustRead(t, "testdata/invalid/many.yaml"))
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	if len(verr.Problems) < 50 {
		t.Errorf("only %d problems found", len(verr.Problems))
	}
	for i := 1; i < len(verr.Problems); i++ {
		if verr.Problems[i].Pos().before(verr.Problems[i-1].Pos()) {
			t.Errorf("problems out of order: %v before %v", verr.Problems[i-1], verr.Problems[i])
		}
	}
	got := err.Error() + "\n"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := string(mustRead(t, golden))
	if got != want {
		t.Errorf("problems changed (review, then: go test ./scenarios -run TestAllProblemsTogether -update)\ngot:\n%s", got)
	}
}

func TestInputLimits(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"too large", "name: t\n" + strings.Repeat("#", MaxFileSize), "a scenario may have at most"},
		{"flow nesting", "name: " + strings.Repeat("[", 40), "1:39: collections nest more than 32 deep"},
		{"compact nesting", strings.Repeat("- ", 40) + "x\n", "1:65: collections nest more than 32 deep"},
		{"alias expansion", aliasBomb(), "aliases?); it is too large to check"},
		{"many problems", "name: t\ncluster: {servers: [{name: A}]}\nsteps:\n" + strings.Repeat("  - kill: Z\n", 150), "50 more problems not shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("t.yaml", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				msg := fmt.Sprint(err)
				t.Errorf("want %q in:\n%.600s", tc.want, msg)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// aliasBomb merges ten copies of a mapping that merges ten copies of ...
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("name: t\ncluster: {servers: [{name: A}]}\nx-0: &m0 {name: c}\n")
	for i := 1; i < 9; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 10), ", ")
		fmt.Fprintf(&b, "x-%d: &m%d {<<: [%s]}\n", i, i, refs)
	}
	b.WriteString("clients: [{<<: *m8}]\n")
	return b.String()
}

// YAML conveniences work: anchors, aliases, merge keys, top-level x- keys,
// tags, block scalars, numbers as names.
func TestYAMLFeatures(t *testing.T) {
	src := `name: features
x-options: &opts
  reconnect_wait: 100ms
  max_reconnects: -1
cluster:
  servers:
    - name: 1
    - name: "2"
  server_options: {jetstream: !!bool true}
clients:
  - name: a
    options: *opts
  - name: b
    options:
      <<: *opts
      max_reconnects: 5
description: |
  Two lines
  of text.
steps:
  - wait: connected
  - kill: 1
expect:
  ordered:
  no_duplicates: {}
`
	s := mustParse(t, "f.yaml", []byte(src))
	a, b := s.Clients[0].Options, s.Clients[1].Options
	if *a.ReconnectWait != 100*time.Millisecond || *a.MaxReconnects != -1 || *b.ReconnectWait != 100*time.Millisecond || *b.MaxReconnects != 5 {
		t.Errorf("options: %+v %+v", a, b)
	}
	if s.ServerNames()[0] != "1" || stepOf[Kill](t, s.Steps[1]).Server != "1" || !*s.Cluster.ServerOptions.JetStream {
		t.Errorf("servers %v kill %q", s.ServerNames(), s.Steps[1].Server())
	}
	if s.Description != "Two lines\nof text.\n" {
		t.Errorf("description %q", s.Description)
	}
	if w := stepOf[Wait](t, s.Steps[0]); w.Until != WaitConnected || w.Timeout != DefaultWaitTimeout {
		t.Errorf("wait: %+v", w)
	}
	if o := s.Expect.Get(PropOrdered); o == nil || o.Pos != (Pos{Line: 24, Col: 3}) {
		t.Errorf("ordered: %+v", o)
	}
	if got := s.Expect.List(); len(got) != 2 || got[0].Property() != PropOrdered {
		t.Errorf("List: %v", got)
	}
	if s.Timeout != DefaultTimeout || s.Cluster.Name != DefaultClusterName || s.Clients[0].Count != 1 || s.UsesClientProxies() {
		t.Errorf("defaults: timeout %v cluster %q count %d", s.Timeout, s.Cluster.Name, s.Clients[0].Count)
	}
}

// Heal resolves to the step it heals; fault targets to links.
func TestResolution(t *testing.T) {
	src := head + `    - name: my-srv
    - name: my
steps:
  - fault: {target: route:A-my-srv, kind: latency, latency: 10ms}
  - partition: {name: split, groups: [[A, B], [C, my-srv, my]], mode: stall}
  - freeze: {server: B, duration: 1s}
  - heal: split
  - heal: 1
  - heal: all
`
	s := mustParse(t, "r.yaml", []byte(src))
	if l := stepOf[Fault](t, s.Steps[0]).Link; l != (Link{Kind: LinkRoute, Server: "A", Peer: "my-srv"}) || l.String() != "route:A-my-srv" {
		t.Errorf("link: %+v", l)
	}
	if h := stepOf[Heal](t, s.Steps[3]); h.Name != "split" || h.Step != 1 {
		t.Errorf("heal split: %+v", h)
	}
	if h := stepOf[Heal](t, s.Steps[4]); h.Index != 1 || h.Step != 0 {
		t.Errorf("heal 1: %+v", h)
	}
	if h := stepOf[Heal](t, s.Steps[5]); !h.All || h.Step != -1 {
		t.Errorf("heal all: %+v", h)
	}
	if f, p := stepOf[Fault](t, s.Steps[0]), stepOf[Partition](t, s.Steps[1]); f.Direction != DirectionBoth || p.Mode != PartitionStall {
		t.Errorf("defaults: %+v %+v", f, p)
	}

	// A name with '-' can make a route ambiguous.
	amb := head + "    - name: A-B\n    - name: B-C\nsteps:\n  - fault: {target: route:A-B-C, kind: down}\n"
	got := problemsOf(t, amb)
	if len(got) != 1 || !strings.Contains(got[0], `is ambiguous: it splits into A-B-C and A-B-C`) && !strings.Contains(got[0], "ambiguous") {
		t.Errorf("ambiguous route: %v", got)
	}
}

// A Scenario built in Go validates without positions.
func TestValidateBuiltInGo(t *testing.T) {
	yes := true
	s := &Scenario{
		Name: "go",
		Cluster: Cluster{Servers: []Server{{Name: "A"}, {Name: "B", Start: new(bool)}},
			ClientProxies: new(bool)},
		Clients: []ClientGroup{{Name: "c", Count: 2, Servers: []string{"A", "Z"}}},
		Steps: []Step{
			{Action: &Start{ServerStep{Server: "B"}}},
			{Action: &Fault{Target: "client:A", Kind: FaultLatency, Params: []FaultParam{{Name: "latency", Value: time.Millisecond}}}},
			{Action: (*Restart)(nil)},
		},
		Expect: Expect{{Name: PropNoLoss, Params: &assert.NoLossParams{Strict: yes, AllowSlowConsumer: yes}}},
	}
	err := s.Validate()
	want := []string{
		`<scenario>: clients[0].servers[1]: unknown server "Z" (declared: A, B)`,
		`<scenario>: steps[1].fault.target client:A needs client proxies, but cluster.client_proxies is false`,
		`<scenario>: steps[2]: restart step without its value`,
		`<scenario>: expect.no_loss.allow_slow_consumer contradicts strict, which fails on every gap`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	s.Clients[0].Servers = nil
	s.Cluster.ClientProxies = &yes
	s.Steps = s.Steps[:2]
	s.Expect[0].Params.(*assert.NoLossParams).Strict = false
	if err := s.Validate(); err != nil {
		t.Errorf("fixed scenario: %v", err)
	}
	if l := stepOf[Fault](t, s.Steps[1]).Link; l.Server != "A" || s.Where(s.Steps[0].Pos) != "go" {
		t.Errorf("link %+v where %q", l, s.Where(s.Steps[0].Pos))
	}
}

func TestStepRegistry(t *testing.T) {
	keys := StepKeys()
	if len(keys) < 17 || !sort.StringsAreSorted(keys) {
		t.Fatalf("step keys %v", keys)
	}
	for _, k := range keys {
		st := Step{Action: stepKinds[k].make()}
		if st.Key() != k {
			t.Errorf("%s: a new value's key is %q", k, st.Key())
		}
		if reflect.TypeOf(st.Action).Elem() != stepKinds[k].typ {
			t.Errorf("%s: makes a %T, decodes into %v", k, st.Action, stepKinds[k].typ)
		}
	}
	if (&Step{}).Key() != "invalid" {
		t.Error("a step without a value has a key")
	}
}

// stepOf is a step's value as a T, failing the test when it is not one.
func stepOf[T any](t *testing.T, st Step) *T {
	t.Helper()
	v, ok := any(st.Action).(*T)
	if !ok || v == nil {
		t.Fatalf("step %s at line %d is a %T, want a %T", st.Key(), st.Pos.Line, st.Action, v)
	}
	return v
}

func TestOptionsFor(t *testing.T) {
	src := head + `  server_options: {ping_interval: 2s, max_pings_out: 3}
    # (comment lines keep the column)
`
	src = strings.Replace(src, "    - name: B\n", "    - name: B\n      server_options: {ping_interval: 500ms}\n", 1)
	s := mustParse(t, "o.yaml", []byte(src))
	a, b := s.Cluster.OptionsFor("A"), s.Cluster.OptionsFor("B")
	if *a.PingInterval != 2*time.Second || *b.PingInterval != 500*time.Millisecond || *b.MaxPingsOut != 3 {
		t.Errorf("A %+v B %+v", a, b)
	}
	if *s.Cluster.ServerOptions.PingInterval != 2*time.Second {
		t.Error("OptionsFor changed the cluster's options")
	}
}

// Flags must parse before update is read; keep the import used.
var _ = flag.Parsed
