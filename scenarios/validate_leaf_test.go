package scenarios

import (
	"strings"
	"testing"
)

// A bad leafnodes section is refused with its position and what to do.
func TestLeafNodesValidation(t *testing.T) {
	for _, tc := range []struct{ section, want string }{
		{"leafnodes: {count: 2, names: [X]}", "give count or names, not both"},
		{"leafnodes: {}", "leafnodes: give count or names"},
		{"leafnodes: {count: 1, hubs: [Q]}", `leafnodes.hubs[0]: unknown server "Q"`},
		{"leafnodes: {names: [A]}", `"A" is already a server's name`},
		{"leafnodes: {count: 1, tls: true}", "leafnodes.tls needs cluster.security.tls"},
		{"leafnodes: {count: 1, reconnect: 2s, reconnect_spread: 1s}", "reconnect_spread 1s is below reconnect 2s"},
		{"leafnodes: {count: 1, clients: [{name: c, servers: [A]}]}", "a leaf group runs on every leaf"},
		{"leafnodes: {count: 1, user: nobody}", `leafnodes.user "nobody": not a password user of cluster.security.users`},
	} {
		src := "name: t\ncluster:\n  servers: [A, B]\n" + tc.section + "\n"
		_, err := Parse("t.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.section, err, tc.want)
		}
	}
	ok := "name: t\ncluster:\n  servers: [A, B]\nleafnodes: {count: 2}\nsteps:\n  - kill: L2\n  - restart: L2\nclients:\n  - {name: c, servers: [L1]}\n"
	if _, err := Parse("t.yaml", []byte(ok)); err != nil {
		t.Errorf("leaves named by steps and a client group: %v", err)
	}
}
