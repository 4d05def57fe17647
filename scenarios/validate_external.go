package scenarios

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/natschaos/natschaos/faults"
)

// external checks cluster.external: every declared server described once,
// URLs that parse, proxies for the links the steps fault, and a command
// for every process step; steps an existing cluster cannot take are
// refused where they are written.
func (v *validator) external() {
	x := v.s.Cluster.External
	if x == nil {
		return
	}
	if v.s.Cluster.Security != nil {
		// An external cluster keeps its own TLS and users: natschaos
		// generates neither for it.
		v.add(v.keyAt(&v.s.Cluster.Security, v.s.Cluster.Pos), "cluster.security cannot be combined with cluster.external: an external cluster's TLS and users are its own")
	}
	described := map[string]bool{}
	for i := range x.Servers {
		s := &x.Servers[i]
		where := fmt.Sprintf("cluster.external.servers[%d]", i)
		switch {
		case s.Name == "":
			v.add(s.Pos, "%s.name is required", where)
		case v.servers[s.Name] == nil:
			v.add(v.at(&s.Name, s.Pos), "%s.name: %q is not declared under cluster.servers", where, s.Name)
		case described[s.Name]:
			v.add(v.at(&s.Name, s.Pos), "%s.name: %q is described twice", where, s.Name)
		}
		described[s.Name] = true
		if u, err := url.Parse(s.URL); err != nil || u.Scheme != "nats" || u.Host == "" {
			v.add(v.at(&s.URL, s.Pos), "%s.url: want nats://host:port, got %q", where, s.URL)
		}
		if u, err := url.Parse(s.Monitor); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add(v.at(&s.Monitor, s.Pos), "%s.monitor: want http://host:port, got %q", where, s.Monitor)
		}
	}
	for _, name := range v.names {
		srv := v.servers[name]
		if !described[name] {
			v.add(srv.Pos, "cluster.servers: %q has no entry under cluster.external.servers", name)
		}
		if !srv.StartsAtBoot() {
			v.add(v.at(&srv.Start, srv.Pos), "cluster.servers: %q: an external cluster's servers run already (start: false is not possible)", name)
		}
		if srv.Version != "" && srv.Version != DefaultVersion {
			v.add(v.at(&srv.Version, srv.Pos), "cluster.servers: %q: an external server's version is what it runs; drop version", name)
		}
	}
	links := map[string]bool{}
	if t := x.Toxiproxy; t != nil {
		if u, err := url.Parse(t.API); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.add(v.at(&t.API, t.Pos), "cluster.external.toxiproxy.api: want http://host:8474, got %q", t.API)
		}
		for i := range t.Proxies {
			p := &t.Proxies[i]
			links[p.Link] = true
			kind, rest, _ := strings.Cut(p.Link, ":")
			switch {
			case kind == "client" && v.servers[rest] == nil:
				v.add(v.at(&p.Link, p.Pos), "cluster.external.toxiproxy.proxies[%d].link: unknown server %q", i, rest)
			case kind == "route":
				if _, _, ok := faults.SplitRoute(rest, v.names); !ok {
					v.add(v.at(&p.Link, p.Pos), "cluster.external.toxiproxy.proxies[%d].link: %q names no two declared servers", i, p.Link)
				}
			case kind != "client":
				v.add(v.at(&p.Link, p.Pos), "cluster.external.toxiproxy.proxies[%d].link: want client:<server> or route:<dialler>-<target>", i)
			}
		}
	}
	v.externalSteps(x, links)
}

func (v *validator) externalSteps(x *External, links map[string]bool) {
	sc := &stepCheck{}
	for i := range v.s.Steps {
		st := &v.s.Steps[i]
		if ec, ok := st.Action.(externalChecker); ok && !isNilPointer(ec) {
			ec.checkExternal(&StepValidator{v: v, sc: sc, index: i, step: st, where: fmt.Sprintf("steps[%d].%s", i, st.Key())}, x, links)
		}
	}
	if v.s.JetStream != nil {
		v.add(fileStart, "jetstream: not supported on an external cluster yet")
	}
}

func (v *validator) externalLink(l Link, links map[string]bool) bool {
	if l.Kind == LinkRoute {
		return links["route:"+l.Server+"-"+l.Peer] || links["route:"+l.Peer+"-"+l.Server]
	}
	return links[l.String()]
}

func anyRoute(links map[string]bool) bool {
	for l := range links {
		if strings.HasPrefix(l, "route:") {
			return true
		}
	}
	return false
}
