package scenarios

import (
	"strings"
	"testing"
	"time"
)

func TestParseAxisErrors(t *testing.T) {
	for flag, want := range map[string]string{
		"strategy":                     "want KEY=VALUE",
		"clients=":                     "want KEY=VALUE",
		"clients=100,,200":             "an empty value",
		"clients=0":                    "not a client count",
		"fault=kil":                    `unknown fault "kil" (kill, stop or lame_duck); did you mean "kill"?`,
		"strategy=none,rebalanse":      `did you mean "rebalance"?`,
		"stratgy=none":                 `unknown key (clients, fault, strategy, strategy.<parameter>, option.<client option>, server.<server option>, leaf.<leafnodes key>); did you mean "strategy"?`,
		"option.reconect_wait=1s":      `unknown client option "reconect_wait"; did you mean "option.reconnect_wait"?`,
		"option.reconnect_wait=fast":   `--vary option.reconnect_wait=fast`,
		"server.lame_duck_duraton=3s":  `did you mean "server.lame_duck_duration"?`,
		"server.max_connections=lots":  `--vary server.max_connections=lots`,
		"option.no_randomize=sometime": `--vary option.no_randomize=sometime`,
		"strategy.max_dlay=1s":         `unknown strategy parameter "max_dlay"; did you mean "strategy.max_delay"?`,
		"strategy.max_delay=soon":      `--vary strategy.max_delay=soon`,
		"strategy.kind=rebalance":      `vary the kind with --vary strategy=`,
	} {
		_, err := ParseAxis(flag)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", flag, err, want)
		}
	}
}

func TestVariantsApply(t *testing.T) {
	var axes []Axis
	for _, f := range []string{"strategy=none,rebalance", "fault=kill,lame_duck", "option.reconnect_jitter=0s,1s", "server.lame_duck_duration=3s", "server.lame_duck_grace_period=500ms", "clients=600"} {
		a, err := ParseAxis(f)
		if err != nil {
			t.Fatal(err)
		}
		axes = append(axes, a)
	}
	vs := Variants(axes)
	if len(vs) != 8 || vs[0].Name != "strategy=none,fault=kill,option.reconnect_jitter=0s" ||
		vs[7].Name != "strategy=rebalance,fault=lame_duck,option.reconnect_jitter=1s" || len(vs[7].Settings) != 6 {
		t.Fatalf("variants: %d, first %q, last %q", len(vs), vs[0].Name, vs[len(vs)-1].Name)
	}
	sc, _, err := Builtin("herd-single-kill")
	if err != nil {
		t.Fatal(err)
	}
	scale, err := vs[7].Apply(sc)
	if err != nil {
		t.Fatal(err)
	}
	g := sc.Clients[0]
	if scale != 2 || g.Strategy == nil || g.Strategy.Kind != "rebalance" || *g.Options.ReconnectJitter != time.Second || *g.Options.ReconnectWait != 100*time.Millisecond {
		t.Errorf("scale %v group %+v", scale, g)
	}
	if d := sc.Cluster.ServerOptions.LameDuckDuration; d == nil || *d != 3*time.Second {
		t.Errorf("server option: %v", d)
	}
	var steps []string
	for _, st := range sc.Steps {
		steps = append(steps, st.Key()+" "+st.Server())
	}
	if got := strings.Join(steps, ","); got != "wait ,lame_duck A,sleep ,wait " || stepOf[Sleep](t, sc.Steps[2]).Duration != 3300*time.Millisecond {
		t.Errorf("steps: %s (sleep %v)", got, sc.Steps[2].Action)
	}
	// A count the groups cannot reach exactly is refused.
	sc, _, _ = Builtin("herd-cluster-restart")
	a, _ := ParseAxis("clients=1000")
	if _, err := Variants([]Axis{a})[0].Apply(sc); err == nil || !strings.Contains(err.Error(), "pick a multiple") {
		t.Errorf("clients=1000 over 3 groups: %v", err)
	}
	// A variant that makes the scenario invalid says so.
	sc, _, _ = Builtin("herd-no-randomize")
	a, _ = ParseAxis("fault=kill")
	if _, err := Variants([]Axis{a})[0].Apply(sc); err == nil || !strings.Contains(err.Error(), "no kill, stop or lame_duck step") {
		t.Errorf("fault on a scenario without one: %v", err)
	}
	// Strategy parameters apply to the strategy, whatever the axis order.
	sc, _, _ = Builtin("herd-single-kill")
	md, _ := ParseAxis("strategy.max_delay=5s")
	kind, _ := ParseAxis("strategy=jittered_failover")
	if _, err := Variants([]Axis{md, kind})[0].Apply(sc); err != nil || sc.Clients[0].Strategy.MaxDelay != 5*time.Second {
		t.Errorf("strategy.max_delay: %v %+v", err, sc.Clients[0].Strategy)
	}
	sc, _, _ = Builtin("herd-single-kill")
	if _, err := Variants([]Axis{md})[0].Apply(sc); err == nil || !strings.Contains(err.Error(), "no client group has a strategy") {
		t.Errorf("a parameter without a strategy: %v", err)
	}
	if v := Variants(nil); len(v) != 1 || v[0].Name != "as written" {
		t.Errorf("no axes: %+v", v)
	}
	if v := Variants([]Axis{{Key: "clients", Values: []string{"90"}}}); len(v) != 1 || v[0].Name != "clients=90" {
		t.Errorf("one fixed axis: %+v", v)
	}
}
