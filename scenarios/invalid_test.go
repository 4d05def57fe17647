package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// head is a valid start every case below builds on: servers A, B and C
// (C starts later), lines 1 to 7.
const head = `name: t
cluster:
  servers:
    - name: A
    - name: B
    - name: C
      start: false
`

// problemsOf parses src and returns its problems as "line:col: message".
func problemsOf(t *testing.T, src string) []string {
	t.Helper()
	_, err := Parse("t.yaml", []byte(src))
	if err == nil {
		return nil
	}
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want *ValidationError, got %T: %v", err, err)
	}
	var out []string
	for _, p := range verr.Problems {
		if p.File != "t.yaml" {
			t.Errorf("problem without the file name: %+v", p)
		}
		out = append(out, fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg))
	}
	return out
}

// wantProblems checks that src has exactly the problems want, in order,
// each given by a prefix ("line:col: message…").
func wantProblems(t *testing.T, src string, want []string) {
	t.Helper()
	wantPrefixes(t, "problems", problemsOf(t, src), want)
}

// wantPrefixes checks that got has exactly as many lines as want, each
// starting with its counterpart.
func wantPrefixes(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d %s, want %d:\n%s", len(got), what, len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("%s %d:\n got %s\nwant %s…", what, i, got[i], w)
		}
	}
}

func TestInvalidFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string // "line:col: start of the message", in file order
	}{
		{"unknown top-level key", head + "stesp: []\n",
			[]string{`8:1: unknown key "stesp"; did you mean "steps"?`}},
		{"unknown key without a close match", head + "expect:\n  liveness: {}\n",
			[]string{`9:3: unknown key "liveness" in expect (known keys: auth_consistent, balance, discovery,`}},
		{"misspelled client option", head + "clients:\n  - name: c\n    options: {reconect_wait: 1s}\n",
			[]string{`10:15: unknown key "reconect_wait" in clients[0].options; did you mean "reconnect_wait"?`}},
		{"duplicate key", head + "timeout: 1m\ntimeout: 2m\n",
			[]string{`9:1: duplicate key "timeout" (first at line 8)`}},
		{"missing name", "cluster: {servers: [{name: A}]}\n",
			[]string{`1:1: name is required`}},
		{"missing cluster", "name: x\n",
			[]string{`1:1: cluster is required`}},
		{"bad scenario name", "name: rolling upgrade\ncluster: {servers: [{name: A}]}\n",
			[]string{`1:7: name "rolling upgrade" is not a valid name`}},
		{"bad server name", "name: t\ncluster:\n  servers:\n    - name: A.1\n",
			[]string{`4:13: cluster.servers[0].name "A.1" is not a valid name: use letters, digits, _ and -`}},
		{"duplicate server", head + "    - name: B\n",
			[]string{`8:13: duplicate server name "B" (first declared at line 5)`}},
		{"no servers", "name: t\ncluster:\n  servers: []\n",
			[]string{`3:3: cluster.servers: declare at least one server`}},
		{"unknown topology", "name: t\ncluster:\n  topology: mesh\n  servers: [{name: A}]\n",
			[]string{`3:13: cluster.topology: unknown topology "mesh" (want one of: full, seed)`}},
		{"bad duration", head + "timeout: 2 minutes\n",
			[]string{`8:10: timeout: invalid duration "2 minutes": use Go syntax`}},
		{"duration without unit", head + "timeout: 90\n",
			[]string{`8:10: timeout: duration "90" has no unit; write it like 90s or 90ms`}},
		{"negative timeout", head + "timeout: -1m\n",
			[]string{`8:10: timeout must be positive, got -1m0s`}},
		{"bad rate", head + "clients:\n  - name: p\n    publish: {subject: a, rate: 500/min}\n",
			[]string{`10:33: clients[0].publish.rate: invalid rate "500/min": write it as N/s, like 500/s`}},
		{"rate without /s", head + "clients:\n  - name: p\n    publish: {subject: a, rate: 500}\n",
			[]string{`10:33: clients[0].publish.rate: expected a rate like 500/s, got the number 500 (write 500/s)`}},
		{"missing rate", head + "clients:\n  - name: p\n    publish: {subject: a}\n",
			[]string{`10:5: clients[0].publish.rate is required, like rate: 100/s`}},
		{"bad size", head + "clients:\n  - name: c\n    options: {reconnect_buf_size: 8 megs}\n",
			[]string{`10:35: clients[0].options.reconnect_buf_size: invalid size "8 megs": unknown unit "megs"`}},
		{"negative count", head + "clients:\n  - name: c\n    count: -5\n",
			[]string{`10:12: clients[0].count must be at least 1, got -5`}},
		{"count is not a number", head + "clients:\n  - name: c\n    count: many\n",
			[]string{`10:12: clients[0].count: expected an integer, got "many"`}},
		{"huge count", head + "clients:\n  - name: c\n    count: 99999999999999999999\n",
			[]string{`10:12: clients[0].count: 99999999999999999999 is out of range`}},
		{"unknown server in client list", head + "clients:\n  - name: c\n    servers: [A, D]\n",
			[]string{`10:18: clients[0].servers[1]: unknown server "D" (declared: A, B, C)`}},
		{"servers is not a list", head + "clients:\n  - name: c\n    servers: A\n",
			[]string{`10:14: clients[0].servers: expected a list, got "A" (write [A])`}},
		{"duplicate client group", head + "clients:\n  - name: c\n  - name: c\n",
			[]string{`10:11: duplicate client group name "c" (first at line 9)`}},
		{"bad subject", head + "clients:\n  - name: c\n    subscribe: [\"a.>.b\"]\n",
			[]string{`10:17: clients[0].subscribe[0]: subject "a.>.b": > must be the last token`}},
		{"unknown placeholder", head + "clients:\n  - name: p\n    publish: {subject: \"x.{clint}\", rate: 1/s}\n",
			[]string{`10:24: clients[0].publish.subject: unknown placeholder {clint}; did you mean "client"?`}},
		{"lame duck grace not below duration", head + "  server_options: {lame_duck_duration: 1s, lame_duck_grace_period: 1s}\n",
			[]string{`8:68: lame_duck_grace_period (1s) must be below lame_duck_duration (1s)`}},
		{"lame duck override", head + "    - name: D\n      server_options: {lame_duck_duration: 5s}\n  server_options: {lame_duck_grace_period: 10s}\n",
			[]string{`9:44: lame_duck_grace_period (10s) must be below lame_duck_duration (5s) for server D`}},
		{"unknown step", head + "steps:\n  - restrat: A\n",
			[]string{`9:5: steps[0]: unknown step "restrat"; did you mean "restart"?`}},
		{"two keys in a step", head + "steps:\n  - wait: mesh\n    timeout: 5s\n",
			[]string{`10:5: steps[0]: a step has exactly one key, but "timeout" follows "wait"; start each step with its own "- "; or, if timeout belongs to wait, indent it under wait`}},
		{"step without value", head + "steps:\n  - kill\n",
			[]string{`9:5: steps[0]: a step is a one-key map like ` + "`kill: A`" + `, got "kill" (kill needs a value`}},
		{"kill an unknown server", head + "steps:\n  - kill: D\n",
			[]string{`9:11: steps[0].kill: unknown server "D" (declared: A, B, C)`}},
		{"did you mean a server", "name: t\ncluster:\n  servers: [{name: alpha}, {name: beta}]\nsteps:\n  - kill: alpah\n",
			[]string{`5:11: steps[0].kill: unknown server "alpah"; did you mean "alpha"?`}},
		{"restart of an undeclared server", head + "steps:\n  - restart: {server: D, version: v2.15.2}\n",
			[]string{`9:23: steps[0].restart: unknown server "D" (declared: A, B, C)`}},
		{"restart to a bad version", head + "steps:\n  - restart: {server: A, version: latest}\n",
			[]string{`9:35: steps[0].restart.version: "latest" is not a release`}},
		{"start a running server", head + "steps:\n  - start: A\n",
			[]string{`9:12: steps[0].start: server "A" is already running (started with the scenario at line 4)`}},
		{"stop a server not started", head + "steps:\n  - stop: C\n",
			[]string{`9:11: steps[0].stop: server "C" is not running (declared with start: false at line 6)`}},
		{"kill twice", head + "steps:\n  - kill: A\n  - kill: A\n",
			[]string{`10:11: steps[1].kill: server "A" is not running (killed at line 9)`}},
		{"start during lame duck", head + "steps:\n  - lame_duck: A\n  - start: A\n",
			[]string{`10:12: steps[1].start: server "A" is in lame duck mode since line 9; use restart`}},
		{"unknown wait condition", head + "steps:\n  - wait: {until: meshed}\n",
			[]string{`9:19: steps[0].wait.until: unknown wait condition "meshed"; did you mean "mesh"?`}},
		{"wait without until", head + "steps:\n  - wait: {timeout: 5s}\n",
			[]string{`9:5: steps[0].wait.until is required: one of mesh, discovered, connected, balanced`}},
		{"unknown fault kind", head + "steps:\n  - fault: {target: client:A, kind: latancy, latency: 1s}\n",
			[]string{`9:37: steps[0].fault.kind: unknown fault kind "latancy"; did you mean "latency"?`}},
		{"unknown direction", head + "steps:\n  - fault: {target: client:A, kind: down, direction: up}\n",
			[]string{`9:43: steps[0].fault.direction does not apply to down faults`}},
		{"unknown direction 2", head + "steps:\n  - fault: {target: client:A, kind: latency, latency: 1s, direction: upstrem}\n",
			[]string{`9:70: steps[0].fault.direction: unknown direction "upstrem"; did you mean "upstream"?`}},
		{"fault parameter of another kind", head + "steps:\n  - fault: {target: client:A, kind: latency, latency: 1s, bytes: 1KB}\n",
			[]string{`9:59: steps[0].fault: bytes does not apply to latency faults (latency takes latency, jitter)`}},
		{"fault missing its parameter", head + "steps:\n  - fault: {target: client:A, kind: limit_data}\n",
			[]string{`9:5: steps[0].fault: a limit_data fault needs bytes`}},
		{"fault unknown key", head + "steps:\n  - fault: {target: client:A, kind: latency, latency: 1s, jiter: 5ms}\n",
			[]string{`9:59: unknown key "jiter" in steps[0].fault; did you mean "jitter"?`}},
		{"fault target", head + "steps:\n  - fault: {target: clients:A, kind: down}\n",
			[]string{`9:21: steps[0].fault.target "clients:A": want client:<server>, route:<server>-<server>, gateway:<cluster>-<cluster>, leaf:<leaf>-<hub>, leaf:<leaf> or leaf:<hub>; did you mean client:A?`}},
		{"route to unknown server", head + "steps:\n  - fault: {target: route:A-Z, kind: down}\n",
			[]string{`9:21: steps[0].fault.target "route:A-Z": unknown server "Z"`}},
		{"client link with proxies off", head + "  client_proxies: false\nsteps:\n  - fault: {target: client:A, kind: down}\n",
			[]string{`10:21: steps[0].fault.target client:A needs client proxies, but cluster.client_proxies is false`}},
		{"partition with one group", head + "steps:\n  - partition: {groups: [[A, B, C]]}\n",
			[]string{`9:25: steps[0].partition.groups: a partition needs at least two groups`}},
		{"partition overlap", head + "steps:\n  - partition: {groups: [[A, B], [B, C]]}\n",
			[]string{`9:35: steps[0].partition.groups[1][0]: server "B" is already in a group (line 9:30)`}},
		{"partition misses a server", head + "steps:\n  - partition: {groups: [[A], [B]]}\n",
			[]string{`9:25: steps[0].partition.groups leave out C; list every server in exactly one group`}},
		{"partition unknown server", head + "steps:\n  - partition: {groups: [[A], [B, C, X]]}\n",
			[]string{`9:38: steps[0].partition.groups[1][2]: unknown server "X"`}},
		{"partition mode", head + "steps:\n  - partition: {groups: [[A], [B, C]], mode: silent}\n",
			[]string{`9:46: steps[0].partition.mode: unknown partition mode "silent" (want one of: close, stall)`}},
		{"heal an unknown name", head + "steps:\n  - fault: {name: slow, target: client:A, kind: latency, latency: 1s}\n  - heal: slo\n",
			[]string{`10:11: steps[1].heal: no earlier fault, partition or freeze is named "slo"; did you mean "slow"?`}},
		{"heal a fault number out of range", head + "steps:\n  - freeze: A\n  - heal: 2\n",
			[]string{`10:11: steps[1].heal: there is no fault number 2: 1 fault, partition or freeze steps come before it`}},
		{"duplicate fault name", head + "steps:\n  - freeze: {server: A, name: f}\n  - freeze: {server: B, name: f}\n",
			[]string{`10:31: steps[1].freeze.name: "f" already names the step at line 9`}},
		{"sleep", head + "steps:\n  - sleep: 0s\n",
			[]string{`9:12: steps[0].sleep must be positive, got 0s`}},
		{"check an expectation not under expect", head + "steps:\n  - check: [mesh, balanse]\nexpect:\n  mesh: {}\n",
			[]string{`9:19: steps[0].check: unknown expectation "balanse"; did you mean "balance"?`}},
		{"check an absent expectation", head + "steps:\n  - check: [balance]\n",
			[]string{`9:13: steps[0].check: balance is not under expect; add it there with its parameters`}},
		{"expectation parameters", head + "expect:\n  reconnect: {max: 1s, p99: 2s}\n  balance: {max_skew: -0.1}\n  herd: {window: 100ms}\n",
			[]string{`9:29: expect.reconnect.p99 (2s) cannot exceed max (1s)`,
				`10:23: expect.balance.max_skew must be a fraction ≥ 0 like 0.25, got -0.1`,
				`11:3: expect.herd.max_per_server is required`}},
		{"leaf_reconnect's bounds, as reconnect's", head + "leafnodes: {count: 1}\nexpect:\n  leaf_reconnect: {max: 1s, p99: 2s}\n",
			[]string{`10:34: expect.leaf_reconnect.p99 (2s) cannot exceed max (1s)`}},
		{"warn is a bool", head + "expect:\n  mesh: {warn: maybe}\n",
			[]string{`9:16: expect.mesh.warn: expected true or false, got "maybe"`}},
		{"strict and allow_slow_consumer", head + "expect:\n  no_loss: {strict: true, allow_slow_consumer: true}\n",
			[]string{`9:48: expect.no_loss.allow_slow_consumer contradicts strict, which fails on every gap`}},
		{"expectation not a mapping", head + "expect:\n  mesh: 2s\n",
			[]string{`9:9: expect.mesh: expected a mapping, got "2s"`}},
		{"unknown alias", head + "clients:\n  - name: c\n    options: *opts\n",
			[]string{`10:14: unknown alias *opts: no anchor &opts before it`}},
		{"syntax error", "name: [t\n",
			[]string{`1:7: YAML syntax:`}},
		{"empty file", "# nothing\n",
			[]string{`1:1: the file is empty`}},
		{"not a mapping", "- name: t\n",
			[]string{`1:1: a scenario file is a mapping`}},
		{"two documents", head + "---\nname: u\n",
			[]string{`9:1: a scenario file holds one YAML document`}},
	} {
		t.Run(tc.name, func(t *testing.T) { wantProblems(t, tc.src, tc.want) })
	}
}
