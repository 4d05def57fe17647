package explore

import (
	"strconv"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/natschaos/natschaos/scenarios"
)

// Marshal writes a scenario in the file format's vocabulary, so that
// scenarios.Parse reads back an equivalent scenario. Keys follow the
// contract's order; unset optional values are left out.
func Marshal(sc *scenarios.Scenario) ([]byte, error) {
	return yaml.MarshalWithOptions(scenarioTree(sc), yaml.IndentSequence(true))
}

type kv = yaml.MapItem

// flow writes its value in flow style ({until: mesh, timeout: 5s}, [A, B]):
// the short collections read better on one line.
type flow struct{ v any }

func (f flow) MarshalYAML() ([]byte, error) { return yaml.MarshalWithOptions(f.v, yaml.Flow(true)) }

// sizeValue writes a plain number of bytes as an integer, else with its unit.
func sizeValue(n scenarios.ByteSize) any {
	s := n.String()
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	return s
}

// tree is an ordered mapping; add skips values its caller marks absent.
type tree yaml.MapSlice

func (t *tree) add(key string, v any) { *t = append(*t, kv{Key: key, Value: v}) }

func (t *tree) str(key, v string) {
	if v != "" {
		t.add(key, v)
	}
}

func (t *tree) dur(key string, d time.Duration) {
	if d != 0 {
		t.add(key, d.String())
	}
}

func (t *tree) durp(key string, d *time.Duration) {
	if d != nil {
		t.add(key, d.String())
	}
}

func (t *tree) boolp(key string, b *bool) {
	if b != nil {
		t.add(key, *b)
	}
}

func (t *tree) intp(key string, n *int) {
	if n != nil {
		t.add(key, *n)
	}
}

func (t *tree) sizep(key string, n *scenarios.ByteSize) {
	if n != nil {
		t.add(key, sizeValue(*n))
	}
}

func (t *tree) size(key string, n scenarios.ByteSize) {
	if n != 0 {
		t.add(key, sizeValue(n))
	}
}

func (t *tree) sub(key string, s tree) {
	if len(s) > 0 {
		t.add(key, yaml.MapSlice(s))
	}
}

func scenarioTree(sc *scenarios.Scenario) yaml.MapSlice {
	var t tree
	t.add("name", sc.Name)
	t.str("description", sc.Description)
	if sc.Seed != nil {
		t.add("seed", *sc.Seed)
	}
	t.dur("timeout", sc.Timeout)
	t.str("expected_verdict", string(sc.ExpectedVerdict))
	t.add("cluster", yaml.MapSlice(clusterTree(&sc.Cluster)))
	if len(sc.Clients) > 0 {
		var gs []any
		for i := range sc.Clients {
			gs = append(gs, yaml.MapSlice(groupTree(&sc.Clients[i])))
		}
		t.add("clients", gs)
	}
	if sc.JetStream != nil {
		t.add("jetstream", yaml.MapSlice(jetStreamTree(sc.JetStream)))
	}
	if len(sc.Steps) > 0 {
		var ss []any
		for i := range sc.Steps {
			ss = append(ss, stepTree(sc, &sc.Steps[i]))
		}
		t.add("steps", ss)
	}
	t.sub("expect", expectTree(&sc.Expect))
	return yaml.MapSlice(t)
}

func clusterTree(c *scenarios.Cluster) tree {
	var t tree
	t.str("name", c.Name)
	t.str("topology", string(c.Topology))
	var servers []any
	for _, s := range c.Servers {
		var st tree
		st.add("name", s.Name)
		st.boolp("start", s.Start)
		if s.Version != "" && s.Version != scenarios.DefaultVersion {
			st.add("version", s.Version)
		}
		if s.ServerOptions != nil {
			st.add("server_options", yaml.MapSlice(serverOptionsTree(s.ServerOptions)))
		}
		if s.Users != nil {
			st.add("users", usersList(s.Users))
		}
		servers = append(servers, yaml.MapSlice(st))
	}
	t.add("servers", servers)
	t.sub("server_options", serverOptionsTree(&c.ServerOptions))
	t.boolp("client_proxies", c.ClientProxies)
	if c.Security != nil {
		t.add("security", yaml.MapSlice(securityTree(c.Security)))
	}
	return t
}

func serverOptionsTree(o *scenarios.ServerOptions) tree {
	var t tree
	t.durp("lame_duck_duration", o.LameDuckDuration)
	t.durp("lame_duck_grace_period", o.LameDuckGracePeriod)
	t.boolp("jetstream", o.JetStream)
	t.durp("ping_interval", o.PingInterval)
	t.intp("max_pings_out", o.MaxPingsOut)
	t.durp("write_deadline", o.WriteDeadline)
	t.sizep("max_payload", o.MaxPayload)
	t.sizep("max_pending", o.MaxPending)
	t.intp("max_connections", o.MaxConnections)
	t.boolp("no_advertise", o.NoAdvertise)
	t.intp("connect_retries", o.ConnectRetries)
	t.intp("pool_size", o.PoolSize)
	return t
}

func groupTree(g *scenarios.ClientGroup) tree {
	var t tree
	t.add("name", g.Name)
	if g.Count != 0 {
		t.add("count", g.Count)
	}
	if g.Servers != nil {
		t.add("servers", flow{append([]string{}, g.Servers...)})
	}
	t.sub("options", clientOptionsTree(&g.Options))
	if len(g.Subscribe) > 0 {
		var subs []any
		for _, s := range g.Subscribe {
			var st tree
			st.add("subject", s.Subject)
			st.str("queue", s.Queue)
			st.intp("pending_msgs", s.PendingMsgs)
			st.sizep("pending_bytes", s.PendingBytes)
			st.dur("delay", s.Delay)
			subs = append(subs, yaml.MapSlice(st))
		}
		t.add("subscribe", subs)
	}
	if p := g.Publish; p != nil {
		var pt tree
		pt.add("subject", p.Subject)
		pt.add("rate", p.Rate.String())
		pt.size("size", p.Size)
		t.add("publish", flow{yaml.MapSlice(pt)})
	}
	if st := g.Strategy; st != nil {
		var s tree
		s.add("kind", string(st.Kind))
		s.dur("base", st.Base)
		s.dur("cap", st.Cap)
		s.dur("max_delay", st.MaxDelay)
		t.add("strategy", flow{yaml.MapSlice(s)})
	}
	groupSecurity(&t, g)
	return t
}

func clientOptionsTree(o *scenarios.ClientOptions) tree {
	var t tree
	t.boolp("allow_reconnect", o.AllowReconnect)
	t.intp("max_reconnects", o.MaxReconnects)
	t.durp("reconnect_wait", o.ReconnectWait)
	t.durp("reconnect_jitter", o.ReconnectJitter)
	t.durp("reconnect_jitter_tls", o.ReconnectJitterTLS)
	t.boolp("no_randomize", o.NoRandomize)
	t.boolp("ignore_discovered_servers", o.IgnoreDiscoveredServers)
	t.sizep("reconnect_buf_size", o.ReconnectBufSize)
	t.durp("ping_interval", o.PingInterval)
	t.intp("max_pings_out", o.MaxPingsOut)
	t.durp("timeout", o.Timeout)
	t.durp("drain_timeout", o.DrainTimeout)
	t.durp("flusher_timeout", o.FlusherTimeout)
	t.boolp("no_echo", o.NoEcho)
	t.boolp("retry_on_failed_connect", o.RetryOnFailedConnect)
	return t
}

// stepTree writes one step as a one-key map. A fault is written by
// faultTree, the fault kinds' writer.
func stepTree(sc *scenarios.Scenario, st *scenarios.Step) yaml.MapSlice {
	if f, ok := st.Action.(*scenarios.Fault); ok {
		return yaml.MapSlice{{Key: st.Key(), Value: yaml.MapSlice(faultTree(f))}}
	}
	return yaml.MapSlice{{Key: st.Key(), Value: st.Action.Marshal(sc)}}
}

func faultTree(f *scenarios.Fault) tree {
	var t tree
	t.str("name", f.Name)
	t.add("target", faultTarget(f))
	t.add("kind", string(f.Kind))
	t.str("direction", string(f.Direction))
	t.dur("duration", f.Duration)
	if f.Toxicity != nil {
		t.add("toxicity", strconv.FormatFloat(*f.Toxicity, 'f', -1, 64))
	}
	t.dur("latency", f.Latency)
	t.dur("jitter", f.Jitter)
	if f.Rate != 0 {
		t.add("rate", f.Rate.String())
	}
	t.dur("timeout", f.Timeout)
	t.size("bytes", f.Bytes)
	t.size("average_size", f.AverageSize)
	t.size("size_variation", f.SizeVariation)
	t.dur("delay", f.Delay)
	return t
}

func faultTarget(f *scenarios.Fault) string {
	if f.Target != "" {
		return f.Target
	}
	return f.Link.String()
}

func expectTree(e *scenarios.Expect) tree {
	var t tree
	for _, x := range e.List() {
		var p tree
		switch x := x.(type) {
		case *scenarios.MeshExpect:
			p.dur("within", x.Within)
		case *scenarios.DiscoveryExpect:
			p.dur("within", x.Within)
		case *scenarios.BalanceExpect:
			if x.MaxSkew != 0 {
				p.add("max_skew", x.MaxSkew)
			}
		case *scenarios.ReconnectExpect:
			p.dur("max", x.Max)
			p.dur("p99", x.P99)
			p.intp("max_per_client", x.MaxPerClient)
		case *scenarios.NoLossExpect:
			if x.Strict {
				p.add("strict", true)
			}
			if x.AllowSlowConsumer {
				p.add("allow_slow_consumer", true)
			}
		case *scenarios.NoDuplicatesExpect:
			if x.AllowFailover {
				p.add("allow_failover", true)
			}
		case *scenarios.HerdExpect:
			p.dur("window", x.Window)
			p.add("max_per_server", x.MaxPerServer)
		case *scenarios.ServerListsExpect:
			if len(x.Kept) > 0 {
				p.add("kept", x.Kept)
			}
			if len(x.Pruned) > 0 {
				p.add("pruned", x.Pruned)
			}
		}
		if x.Warning() {
			p.add("warn", true)
		}
		t.add(string(x.Property()), flow{yaml.MapSlice(p)})
	}
	return t
}
