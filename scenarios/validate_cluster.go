package scenarios

import (
	"fmt"
	"regexp"
	"time"
)

var versionRE = regexp.MustCompile(`^(embedded|v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$`)

func (v *validator) cluster() {
	c := &v.s.Cluster
	if !v.given(&v.s.Cluster, len(c.Servers) > 0) {
		v.add(fileStart, "cluster is required: declare at least one server under cluster.servers")
		return
	}
	v.name(&c.Name, "cluster.name", false, c.Pos)
	enum(v, &c.Topology, "cluster.topology", "topology", Topologies, c.Pos)
	if len(c.Servers) == 0 && !v.failed(&c.Servers) {
		v.add(v.keyAt(&c.Servers, c.Pos), "cluster.servers: declare at least one server")
	}
	first := map[string]Pos{}
	for i := range c.Servers {
		srv := &c.Servers[i]
		where := fmt.Sprintf("cluster.servers[%d]", i)
		v.name(&srv.Name, where+".name", true, srv.Pos)
		if srv.Name != "" {
			at := v.at(&srv.Name, srv.Pos)
			if p, dup := first[srv.Name]; dup {
				v.add(at, "duplicate server name %q (first declared at line %d)", srv.Name, p.Line)
			} else {
				first[srv.Name] = at
				v.servers[srv.Name] = srv
				v.names = append(v.names, srv.Name)
			}
		}
		v.version(&srv.Version, where+".version", srv.Pos)
		if srv.ServerOptions != nil {
			v.serverOptions(srv.ServerOptions, where+".server_options", v.at(srv.ServerOptions, srv.Pos))
		}
	}
	v.serverOptions(&c.ServerOptions, "cluster.server_options", v.at(&c.ServerOptions, c.Pos))
	v.lameDuck()
}

func (v *validator) version(field *string, what string, fallback Pos) {
	if *field != "" && v.ok(field, true) && !versionRE.MatchString(*field) {
		v.add(v.at(field, fallback), "%s: %q is not a release: use embedded or a version like v2.14.9", what, *field)
	}
}

func (v *validator) serverOptions(o *ServerOptions, where string, at Pos) {
	v.positivePtr(&o.LameDuckDuration, where+".lame_duck_duration", at)
	v.nonNegativePtr(&o.LameDuckGracePeriod, where+".lame_duck_grace_period", at)
	v.positivePtr(&o.PingInterval, where+".ping_interval", at)
	v.atLeast(&o.MaxPingsOut, 1, where+".max_pings_out", at)
	v.positivePtr(&o.WriteDeadline, where+".write_deadline", at)
	v.sizeAtLeast(&o.MaxPayload, 1, false, where+".max_payload", at)
	v.sizeAtLeast(&o.MaxPending, 1, false, where+".max_pending", at)
	v.atLeast(&o.MaxConnections, 1, where+".max_connections", at)
	v.atLeast(&o.ConnectRetries, 0, where+".connect_retries", at)
	v.atLeast(&o.PoolSize, -1, where+".pool_size", at)
}

// lameDuck checks that each server's grace period (override, else cluster
// setting, else nats-server's default) is below its lame duck duration, as
// nats-server requires. A pair is reported once, at the grace period that
// was written (or the duration when only that was).
func (v *validator) lameDuck() {
	c := &v.s.Cluster
	check := func(dur, grace *time.Duration, at Pos, suffix string) {
		d, g := DefaultLameDuck, DefaultLameDuckWait
		if dur != nil {
			d = *dur
		}
		if grace != nil {
			g = *grace
		}
		if d > 0 && g >= 0 && g >= d {
			v.add(at, "lame_duck_grace_period (%v) must be below lame_duck_duration (%v)%s", g, d, suffix)
		}
	}
	base := &c.ServerOptions
	check(base.LameDuckDuration, base.LameDuckGracePeriod, v.ldPos(base), "")
	for i := range c.Servers {
		o := c.Servers[i].ServerOptions
		if o == nil || o.LameDuckDuration == nil && o.LameDuckGracePeriod == nil {
			continue
		}
		dur, grace := base.LameDuckDuration, base.LameDuckGracePeriod
		if o.LameDuckDuration != nil {
			dur = o.LameDuckDuration
		}
		if o.LameDuckGracePeriod != nil {
			grace = o.LameDuckGracePeriod
		}
		check(dur, grace, v.ldPos(o), " for server "+c.Servers[i].Name)
	}
}

func (v *validator) ldPos(o *ServerOptions) Pos {
	if o.LameDuckGracePeriod != nil {
		return v.at(o.LameDuckGracePeriod, v.at(o, fileStart))
	}
	if o.LameDuckDuration != nil {
		return v.at(o.LameDuckDuration, v.at(o, fileStart))
	}
	return v.at(o, fileStart)
}
