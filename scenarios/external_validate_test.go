package scenarios

import (
	"strings"
	"testing"
)

// externalHead is an external cluster of A and B with a toxiproxy carrying
// A's clients and the routes between A and B; the steps follow (line 20).
const externalHead = `name: ext
cluster:
  servers: [A, B]
  external:
    servers:
      - {name: A, url: "nats://10.0.0.1:4222", monitor: "http://10.0.0.1:8222"}
      - {name: B, url: "nats://10.0.0.2:4222", monitor: "http://10.0.0.2:8222"}
    toxiproxy:
      api: "http://10.0.0.9:8474"
      proxies:
        - {link: "client:A", proxy: nats-a}
        - {link: "route:A-B", proxy: route-a-b}
        - {link: "route:B-A", proxy: route-b-a}
    commands:
      stop: "kubectl delete pod {server}"
clients:
  - name: subs
    subscribe: [">"]
steps:
`

func TestExternalValid(t *testing.T) {
	src := externalHead + `  - partition: {groups: [[A], [B]]}
  - heal: all
  - fault: {target: "client:A", kind: latency, latency: 100ms}
  - fault: {target: "route:B-A", kind: down, duration: 1s}
  - stop: B
  - restart: B
`
	if ps := problemsOf(t, src); len(ps) > 0 {
		t.Fatalf("valid external scenario rejected: %v", ps)
	}
}

func TestExternalInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, edit, steps string
		want              []string
	}{
		{"kill without a command", "", "  - kill: A\n",
			[]string{`20:5: steps[0].kill: an external cluster runs kill through a command: set cluster.external.commands.kill`}},
		{"freeze", "", "  - freeze: {server: A}\n",
			[]string{`20:5: steps[0].freeze: not possible on an external cluster`}},
		{"a client link no proxy carries", "", "  - fault: {target: \"client:B\", kind: down}\n",
			[]string{`20:5: steps[0].fault: no toxiproxy proxy carries client:B: list it under cluster.external.toxiproxy.proxies`}},
		{"restart as another version", "", "  - restart: {server: A, version: v2.14.9}\n",
			[]string{`20:5: steps[0].restart: an external server cannot be restarted as another version`}},
		{"a server not described", "servers: [A, B]|servers: [A, B, C]", "",
			[]string{`3:19: cluster.servers: "C" has no entry under cluster.external.servers`}},
		{"a bad URL", `url: "nats://10.0.0.2:4222"|url: "http://10.0.0.2:4222"`, "",
			[]string{`7:24: cluster.external.servers[1].url: want nats://host:port, got "http://10.0.0.2:4222"`}},
		{"a proxy for an unknown server", `link: "route:B-A"|link: "route:B-D"`, "",
			[]string{`13:18: cluster.external.toxiproxy.proxies[2].link: "route:B-D" names no two declared servers`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := externalHead + tc.steps
			if tc.edit != "" {
				from, to, _ := strings.Cut(tc.edit, "|")
				src = strings.Replace(src, from, to, 1)
			}
			got := problemsOf(t, src)
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], w)
				}
			}
		})
	}
}
