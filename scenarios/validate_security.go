package scenarios

import (
	"fmt"
	"strings"
)

// security checks cluster.security, servers' own users, the groups' user
// and probe, and refuses steps that route TLS would make inexact.
func (v *validator) security() {
	c := &v.s.Cluster
	sec := c.Security
	var names []string
	declared := map[string]*User{}
	if sec != nil {
		v.users(sec.Users, "cluster.security.users")
		for i := range sec.Users {
			u := &sec.Users[i]
			if u.Name != "" && declared[u.Name] == nil {
				declared[u.Name] = u
				names = append(names, u.Name)
			}
		}
	}
	for i := range c.Servers {
		srv := &c.Servers[i]
		if srv.Users == nil {
			continue
		}
		where := fmt.Sprintf("cluster.servers[%d].users", i)
		if sec == nil {
			v.add(v.keyAt(&srv.Users, srv.Pos), "%s: set cluster.security first (a server's users replace the cluster's)", where)
			continue
		}
		v.users(srv.Users, where)
	}
	authOn := sec != nil && len(sec.Users) > 0
	for i := range v.s.Clients {
		g := &v.s.Clients[i]
		where := fmt.Sprintf("clients[%d]", i)
		if g.User == "" {
			if authOn && !v.failed(&g.User) {
				v.add(g.Pos, "%s: the cluster requires authentication: set user to one of %s", where, strings.Join(names, ", "))
			}
		} else if declared[g.User] == nil {
			hint := didYouMean(g.User, names)
			if hint == "" {
				hint = " (no users are declared under cluster.security.users)"
				if len(names) > 0 {
					hint = " (declared: " + strings.Join(names, ", ") + ")"
				}
			}
			v.add(v.at(&g.User, g.Pos), "%s.user: unknown user %q%s", where, g.User, hint)
		}
		if g.Probe != nil {
			v.probe(g, declared[g.User], where+".probe")
		}
	}
	if sec != nil && sec.TLS.RoutesOn() {
		v.routeTLSSteps()
	}
}

func (v *validator) users(users []User, where string) {
	first := map[string]Pos{}
	for i := range users {
		u := &users[i]
		w := fmt.Sprintf("%s[%d]", where, i)
		v.name(&u.Name, w+".name", true, u.Pos)
		if u.Name != "" {
			p := v.at(&u.Name, u.Pos)
			if f, dup := first[u.Name]; dup {
				v.add(p, "%s: duplicate user %q (first at line %d)", w, u.Name, f.Line)
			}
			first[u.Name] = p
		}
		enum(v, &u.Kind, w+".kind", "user kind", UserKinds, u.Pos)
		if u.KindOr() == KindToken {
			if len(users) > 1 {
				v.add(v.at(&u.Kind, u.Pos), "%s: a token user must be the only user of its list (nats-server cannot have a token and users)", w)
			}
			if u.Permissions != nil {
				v.add(v.keyAt(&u.Permissions, u.Pos), "%s.permissions: a token user cannot have permissions", w)
			}
		}
		if p := u.Permissions; p != nil {
			v.subjectList(&p.Publish, w+".permissions.publish", p.Pos)
			v.subjectList(&p.Subscribe, w+".permissions.subscribe", p.Pos)
		}
	}
}

func (v *validator) subjectList(l *[]string, where string, fallback Pos) {
	if *l != nil && len(*l) == 0 {
		v.add(v.at(l, fallback), "%s is empty; leave it out to allow everything", where)
	}
	for j := range *l {
		s := &(*l)[j]
		if err := checkSubject(*s, true); err != nil {
			v.add(v.at(s, fallback), "%s[%d]: %v", where, j, err)
		}
	}
}

func (v *validator) probe(g *ClientGroup, u *User, where string) {
	p := g.Probe
	at := v.at(&p.Subject, p.Pos)
	switch {
	case p.Subject == "":
		if !v.failed(&p.Subject) {
			v.add(p.Pos, "%s: subject is required", where)
		}
		return
	case checkSubject(p.Subject, false) != nil:
		v.add(at, "%s: %v", where, checkSubject(p.Subject, false))
		return
	}
	v.nonNegative(&p.Every, where+".every", p.Pos)
	if g.User == "" {
		v.add(p.Pos, "%s: a probe needs the group's user (clients[].user)", where)
		return
	}
	if u == nil {
		return // unknown user: said above
	}
	if u.Permissions == nil || u.Permissions.Publish == nil || allows(u.Permissions.Publish, p.Subject) {
		v.add(at, "%s: user %q may publish to %q under cluster.security.users, so the probe proves nothing: pick a subject outside its publish permissions", where, u.Name, p.Subject)
	}
}

// allows says whether any allow-list pattern matches a literal subject.
func allows(patterns []string, subject string) bool {
	for _, p := range patterns {
		if subjectMatches(p, subject) {
			return true
		}
	}
	return false
}

func subjectMatches(pattern, subject string) bool {
	pt, st := strings.Split(pattern, "."), strings.Split(subject, ".")
	for i, t := range pt {
		if t == ">" {
			return len(st) > i
		}
		if i >= len(st) || (t != "*" && t != st[i]) {
			return false
		}
	}
	return len(pt) == len(st)
}

// routeTLSSteps refuses what route TLS would make inexact: the fault layer
// tells route links apart by the dialler's CONNECT, which TLS encrypts.
func (v *validator) routeTLSSteps() {
	why := "cluster.security.tls.routes is on: TLS hides the route handshake the fault layer reads to tell route links apart, so this step could cut the wrong links; turn route TLS off for this scenario"
	for i := range v.s.Steps {
		st := &v.s.Steps[i]
		if f, ok := injection(st); ok && f.routeLinks {
			v.add(st.Pos, "steps[%d].%s: %s", i, st.Key(), why)
		}
	}
}
