package scenarios

import (
	"fmt"
	"strings"

	"github.com/natschaos/natschaos/faults"
)

func (v *validator) fault(sc *stepCheck, f *Fault, step int, where string) {
	if v.failed(f) {
		return
	}
	v.faultName(sc, &f.Name, step, where, f.Pos)
	v.target(f, where)
	if f.Kind == "" && !v.failed(&f.Kind) {
		v.add(f.Pos, "%s.kind is required: one of %s", where, strings.Join(strs(FaultKinds()), ", "))
	}
	known := enum(v, &f.Kind, where+".kind", "fault kind", FaultKinds(), f.Pos)
	k, _ := faults.LookupKind(string(f.Kind))
	if k.Whole && f.Direction != "" {
		v.add(v.keyAt(&f.Direction, f.Pos), "%s.direction does not apply to %s faults: they act on whole connections", where, f.Kind)
	} else {
		enum(v, &f.Direction, where+".direction", "direction", Directions, f.Pos)
	}
	v.positive(&f.Duration, where+".duration", f.Pos)
	if !known || f.Kind == "" {
		return
	}
	v.faultParams(f, k, where)
}

// targetForms are the targets a fault may name.
const targetForms = "client:<server>, route:<server>-<server>, gateway:<cluster>-<cluster>, leaf:<leaf>-<hub>, leaf:<leaf> or leaf:<hub>"

// target parses a fault's target (targetForms) into f.Link.
// Server names may contain '-', so a route is split where both sides are
// declared servers.
func (v *validator) target(f *Fault, where string) {
	at := v.at(&f.Target, f.Pos)
	if f.Target == "" {
		if !v.failed(&f.Target) {
			v.add(f.Pos, "%s.target is required: %s", where, targetForms)
		}
		return
	}
	kind, rest, ok := strings.Cut(f.Target, ":")
	switch {
	case ok && kind == string(LinkGateway):
		v.gatewayTarget(f, rest, where, at)
	case ok && kind == string(LinkLeaf):
		v.leafTarget(f, rest, where, at)
	case !ok || kind != string(LinkClient) && kind != string(LinkRoute):
		hint := ""
		if s := suggest(kind, strs([]LinkKind{LinkClient, LinkRoute, LinkGateway, LinkLeaf})); ok && s != "" {
			hint = fmt.Sprintf("; did you mean %s:%s?", s, rest)
		}
		v.add(at, "%s.target %q: want %s%s", where, f.Target, targetForms, hint)
	case kind == string(LinkClient):
		if _, known := v.servers[rest]; !known {
			v.add(at, "%s.target: unknown server %q%s", where, rest, v.serverHint(rest))
			return
		}
		f.Link = Link{Kind: LinkClient, Server: rest}
		if cp := v.s.Cluster.ClientProxies; cp != nil && !*cp {
			v.add(at, "%s.target %s needs client proxies, but cluster.client_proxies is false", where, f.Target)
		}
	default:
		var splits []Link
		for i := 0; i < len(rest); i++ {
			if rest[i] != '-' {
				continue
			}
			a, b := rest[:i], rest[i+1:]
			if _, ok := v.servers[a]; ok {
				if _, ok := v.servers[b]; ok {
					splits = append(splits, Link{Kind: LinkRoute, Server: a, Peer: b})
				}
			}
		}
		switch {
		case len(splits) == 1 && splits[0].Server == splits[0].Peer:
			v.add(at, "%s.target %q: a route joins two different servers", where, f.Target)
		case len(splits) == 1:
			f.Link = splits[0]
		case len(splits) > 1:
			v.add(at, "%s.target %q is ambiguous: it splits into %s-%s and %s-%s", where, f.Target,
				splits[0].Server, splits[0].Peer, splits[1].Server, splits[1].Peer)
		default:
			a, b, _ := strings.Cut(rest, "-")
			for _, name := range []string{a, b} {
				if _, ok := v.servers[name]; !ok {
					v.add(at, "%s.target %q: unknown server %q%s", where, f.Target, name, v.serverHint(name))
					return
				}
			}
			v.add(at, "%s.target %q: want route:<server>-<server>", where, f.Target)
		}
	}
}
