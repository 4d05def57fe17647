package explore

import (
	"github.com/goccy/go-yaml"

	"github.com/natschaos/natschaos/scenarios"
)

// securityTree writes cluster.security back: TLS and users, no secret
// (a file never holds one).
func securityTree(s *scenarios.Security) tree {
	var t tree
	if s.TLS != nil {
		var tt tree
		tt.boolp("clients", s.TLS.Clients)
		tt.boolp("routes", s.TLS.Routes)
		t.add("tls", flow{yaml.MapSlice(tt)})
	}
	if s.Users != nil {
		t.add("users", usersList(s.Users))
	}
	return t
}

func usersList(users []scenarios.User) []any {
	out := []any{}
	for _, u := range users {
		var ut tree
		ut.add("name", u.Name)
		ut.str("kind", string(u.Kind))
		if p := u.Permissions; p != nil {
			var pt tree
			if p.Publish != nil {
				pt.add("publish", flow{append([]string{}, p.Publish...)})
			}
			if p.Subscribe != nil {
				pt.add("subscribe", flow{append([]string{}, p.Subscribe...)})
			}
			ut.add("permissions", flow{yaml.MapSlice(pt)})
		}
		out = append(out, yaml.MapSlice(ut))
	}
	return out
}

// groupSecurity writes a group's user and probe.
func groupSecurity(t *tree, g *scenarios.ClientGroup) {
	t.str("user", g.User)
	if p := g.Probe; p != nil {
		var pt tree
		pt.add("subject", p.Subject)
		pt.dur("every", p.Every)
		t.add("probe", flow{yaml.MapSlice(pt)})
	}
}
