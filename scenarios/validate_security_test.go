package scenarios

import (
	"strings"
	"testing"
)

// secHead declares servers A and B with TLS on routes and two users
// (lines 1 to 17; the group on line 17).
const secHead = `name: t
cluster:
  security:
    tls: {clients: true, routes: true}
    users:
      - name: app
        permissions: {publish: ["orders.>"]}
      - name: svc
        kind: nkey
  servers:
    - name: A
    - name: B
      users:
        - name: app
          kind: tokn
clients:
  - name: c
`

func TestInvalidSecurity(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string // "line:col: start of the message", in file order
	}{
		{"unknown kind; group without a user", secHead,
			[]string{`15:17: cluster.servers[1].users[0].kind: unknown user kind "tokn"; did you mean "token"?`,
				`17:5: clients[0]: the cluster requires authentication: set user to one of app, svc`}},
		{"unknown user", strings.Replace(secHead, "tokn", "token", 1) + "    user: appp\n",
			[]string{`18:11: clients[0].user: unknown user "appp"; did you mean "app"?`}},
		{"probe of an allowed subject", strings.Replace(secHead, "tokn", "token", 1) + "    user: app\n    probe: orders.x\n",
			[]string{`19:12: clients[0].probe: user "app" may publish to "orders.x"`}},
		{"probe without permissions to gain", strings.Replace(secHead, "tokn", "token", 1) + "    user: svc\n    probe: {subject: admin.x}\n",
			[]string{`19:22: clients[0].probe: user "svc" may publish to "admin.x"`}},
		{"partition with route TLS", strings.Replace(secHead, "tokn", "token", 1) + "    user: app\nsteps:\n  - partition: {groups: [[A], [B]]}\n",
			[]string{`20:5: steps[0].partition: cluster.security.tls.routes is on: TLS hides the route handshake`}},
		{"route fault with route TLS", strings.Replace(secHead, "tokn", "token", 1) + "    user: app\nsteps:\n  - fault: {target: route:A-B, kind: latency, latency: 10ms}\n",
			[]string{`20:5: steps[0].fault: cluster.security.tls.routes is on`}},
		{"token with others", strings.Replace(strings.Replace(secHead, "tokn", "token", 1), "      - name: svc\n        kind: nkey\n", "      - name: svc\n        kind: token\n", 1) + "    user: app\n",
			[]string{`9:15: cluster.security.users[1]: a token user must be the only user of its list`}},
		{"server users without security", "name: t\ncluster:\n  servers:\n    - name: A\n      users: []\n",
			[]string{`5:7: cluster.servers[0].users: set cluster.security first`}},
		{"empty permission list", "name: t\ncluster:\n  security:\n    users: [{name: a, permissions: {publish: []}}]\n  servers: [A]\n",
			[]string{`4:46: cluster.security.users[0].permissions.publish is empty`}},
	} {
		t.Run(tc.name, func(t *testing.T) { wantProblems(t, tc.src, tc.want) })
	}
}

// A client-link fault is exact with route TLS (client links are told
// apart by their endpoint, not by a handshake): allowed.
func TestRouteTLSAllowsClientFaults(t *testing.T) {
	src := strings.Replace(secHead, "tokn", "token", 1) + "    user: app\nsteps:\n  - fault: {target: client:A, kind: latency, latency: 10ms}\n"
	if got := problemsOf(t, src); len(got) != 0 {
		t.Fatalf("problems: %v", got)
	}
}

func TestSubjectMatches(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"orders.>", "orders.x", true}, {"orders.>", "orders", false}, {"orders.*", "orders.x.y", false},
		{"*.x", "a.x", true}, {">", "a", true}, {"a.b", "a.b", true}, {"a.b", "a.c", false},
	} {
		if got := subjectMatches(c.p, c.s); got != c.want {
			t.Errorf("subjectMatches(%q, %q) = %v", c.p, c.s, got)
		}
	}
}
