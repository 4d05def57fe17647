package explore

import (
	"encoding"
	"reflect"
	"strconv"
	"strings"
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
	clients := sc.Clients
	if len(sc.Clusters) > 0 {
		// A supercluster: each cluster writes its own servers and client
		// groups; cluster: keeps what every server shares.
		cl := sc.Cluster
		cl.Servers = nil
		t.sub("cluster", clusterTree(&cl))
		t.add("clusters", clustersList(sc.Clusters))
		clients = ungrouped(sc)
	} else {
		t.add("cluster", yaml.MapSlice(clusterTree(&sc.Cluster)))
	}
	if len(clients) > 0 {
		var gs []any
		for i := range clients {
			gs = append(gs, yaml.MapSlice(groupTree(&clients[i])))
		}
		t.add("clients", gs)
	}
	if sc.LeafNodes != nil {
		t.add("leafnodes", yaml.MapSlice(leafTree(sc.LeafNodes)))
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

// clustersList writes a supercluster's clusters: name, topology,
// servers and client groups.
func clustersList(cs []scenarios.NamedCluster) []any {
	var out []any
	for i := range cs {
		c := &cs[i]
		var t tree
		t.add("name", c.Name)
		t.str("topology", string(c.Topology))
		t.add("servers", serversList(c.Servers))
		if len(c.Clients) > 0 {
			var gs []any
			for j := range c.Clients {
				gs = append(gs, yaml.MapSlice(groupTree(&c.Clients[j])))
			}
			t.add("clients", gs)
		}
		out = append(out, yaml.MapSlice(t))
	}
	return out
}

// ungrouped are the client groups no cluster of a supercluster declared.
func ungrouped(sc *scenarios.Scenario) []scenarios.ClientGroup {
	declared := map[string]bool{}
	for _, c := range sc.Clusters {
		for _, g := range c.Clients {
			declared[g.Name] = true
		}
	}
	var out []scenarios.ClientGroup
	for _, g := range sc.Clients {
		if !declared[g.Name] {
			out = append(out, g)
		}
	}
	return out
}

func clusterTree(c *scenarios.Cluster) tree {
	var t tree
	t.str("name", c.Name)
	t.str("topology", string(c.Topology))
	if len(c.Servers) > 0 {
		t.add("servers", serversList(c.Servers))
	}
	t.sub("server_options", serverOptionsTree(&c.ServerOptions))
	t.boolp("client_proxies", c.ClientProxies)
	if c.Security != nil {
		t.add("security", yaml.MapSlice(securityTree(c.Security)))
	}
	return t
}

func serversList(ss []scenarios.Server) []any {
	var servers []any
	for _, s := range ss {
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
	return servers
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

// stepTree writes one step as a one-key map, by the step's own Marshal.
func stepTree(sc *scenarios.Scenario, st *scenarios.Step) yaml.MapSlice {
	return yaml.MapSlice{{Key: st.Key(), Value: st.Action.Marshal(sc)}}
}

func expectTree(e *scenarios.Expect) tree {
	var t tree
	for _, x := range e.List() {
		p := paramsTree(x.Name, x.Params)
		if x.Warn {
			p.add("warn", true)
		}
		t.add(string(x.Name), flow{yaml.MapSlice(p)})
	}
	return t
}

// paramsTree writes a property's parameter struct by its yaml tags: the
// fields that are set, differ from the property's defaults, or are
// required.
func paramsTree(name scenarios.Property, params any) tree {
	var t tree
	v := reflect.ValueOf(params)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return t
	}
	def := reflect.New(v.Type()).Elem()
	if x := scenarios.NewExpectation(name); x != nil && reflect.TypeOf(x.Params) == reflect.PointerTo(v.Type()) {
		def = reflect.ValueOf(x.Params).Elem()
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		required := strings.Contains(","+f.Tag.Get("jsonschema")+",", ",required,")
		if fv.IsZero() && reflect.DeepEqual(fv.Interface(), def.Field(i).Interface()) && !required {
			continue
		}
		t.add(key, plainValue(fv))
	}
	return t
}

// plainValue is a parameter's value in the file's syntax: durations and
// units as text, pointers followed.
func plainValue(v reflect.Value) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case time.Duration:
		return x.String()
	case scenarios.ByteSize:
		return sizeValue(x)
	case encoding.TextMarshaler:
		text, _ := x.MarshalText()
		return string(text)
	case []string:
		return flow{append([]string{}, x...)}
	}
	return v.Interface()
}
