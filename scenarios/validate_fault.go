package scenarios

import (
	"fmt"
	"strings"
)

func (v *validator) fault(sc *stepCheck, f *Fault, step int, where string) {
	v.faultName(sc, &f.Name, step, where, f.Pos)
	v.target(f, where)
	if f.Kind == "" && !v.failed(&f.Kind) {
		v.add(f.Pos, "%s.kind is required: one of %s", where, strings.Join(strs(FaultKinds), ", "))
	}
	known := enum(v, &f.Kind, where+".kind", "fault kind", FaultKinds, f.Pos)
	if f.Kind == FaultDown && f.Direction != "" {
		v.add(v.keyAt(&f.Direction, f.Pos), "%s.direction does not apply to down faults: the whole link goes down", where)
	} else {
		enum(v, &f.Direction, where+".direction", "direction", Directions, f.Pos)
	}
	v.positive(&f.Duration, where+".duration", f.Pos)
	if f.Toxicity != nil && !(*f.Toxicity >= 0 && *f.Toxicity <= 1) {
		v.add(v.at(f.Toxicity, f.Pos), "%s.toxicity must be between 0 and 1, got %v", where, *f.Toxicity)
	}
	if !known || f.Kind == "" {
		return
	}
	params := faultParams[f.Kind]
	takes := "takes no parameters"
	if all := append(append([]string(nil), params.required...), params.optional...); len(all) > 0 {
		takes = "takes " + strings.Join(all, ", ")
	}
	for _, key := range faultParamKeys {
		field, nonzero := f.param(key)
		given := v.given(field, nonzero)
		switch {
		case oneOf(key, params.required) && !given:
			v.add(f.Pos, "%s: a %s fault needs %s", where, f.Kind, key)
		case !oneOf(key, params.required) && !oneOf(key, params.optional) && given:
			v.add(v.keyAt(field, f.Pos), "%s: %s does not apply to %s faults (%s %s)", where, key, f.Kind, f.Kind, takes)
		}
	}
	v.nonNegative(&f.Latency, where+".latency", f.Pos)
	v.nonNegative(&f.Jitter, where+".jitter", f.Pos)
	v.nonNegative(&f.Timeout, where+".timeout", f.Pos)
	v.nonNegative(&f.Delay, where+".delay", f.Pos)
	if v.ok(&f.Rate, f.Rate != 0) && f.Rate <= 0 {
		v.add(v.at(&f.Rate, f.Pos), "%s.rate must be positive, got %v", where, f.Rate)
	}
	for _, b := range []struct {
		key  string
		size *ByteSize
		min  ByteSize
	}{{"bytes", &f.Bytes, 1}, {"average_size", &f.AverageSize, 1}, {"size_variation", &f.SizeVariation, 0}} {
		if v.ok(b.size, *b.size != 0) && *b.size < b.min {
			v.add(v.at(b.size, f.Pos), "%s.%s must be at least %d, got %d", where, b.key, int64(b.min), int64(*b.size))
		}
	}
	if f.Kind == FaultSlicer && f.SizeVariation >= f.AverageSize && f.AverageSize > 0 && f.SizeVariation > 0 {
		v.add(v.at(&f.SizeVariation, f.Pos), "%s.size_variation must be below average_size", where)
	}
}

// target parses client:<server> or route:<server>-<server> into f.Link.
// Server names may contain '-', so a route is split where both sides are
// declared servers.
func (v *validator) target(f *Fault, where string) {
	at := v.at(&f.Target, f.Pos)
	if f.Target == "" {
		if !v.failed(&f.Target) {
			v.add(f.Pos, "%s.target is required: client:<server> or route:<server>-<server>", where)
		}
		return
	}
	kind, rest, ok := strings.Cut(f.Target, ":")
	switch {
	case ok && kind == string(LinkGateway):
		v.gatewayTarget(f, rest, where, at)
	case !ok || kind != string(LinkClient) && kind != string(LinkRoute):
		hint := ""
		if s := suggest(kind, []string{string(LinkClient), string(LinkRoute)}); ok && s != "" {
			hint = fmt.Sprintf("; did you mean %s:%s?", s, rest)
		}
		v.add(at, "%s.target %q: want client:<server> or route:<server>-<server>%s", where, f.Target, hint)
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
