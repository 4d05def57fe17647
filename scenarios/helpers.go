package scenarios

import (
	"strconv"
	"strings"
)

// ServerNames returns the declared servers' names in file order.
func (s *Scenario) ServerNames() []string {
	out := make([]string, len(s.Cluster.Servers))
	for i, srv := range s.Cluster.Servers {
		out[i] = srv.Name
	}
	return out
}

// Server returns the declared server with that name, or nil.
func (s *Scenario) Server(name string) *Server {
	for i := range s.Cluster.Servers {
		if s.Cluster.Servers[i].Name == name {
			return &s.Cluster.Servers[i]
		}
	}
	return nil
}

// InitialServers is a client group's initial URL list, by server name: its
// servers list, or every server that starts with the scenario.
func (s *Scenario) InitialServers(g *ClientGroup) []string {
	if g.Servers != nil {
		return g.Servers
	}
	var out []string
	for _, srv := range s.Cluster.Servers {
		if srv.StartsAtBoot() {
			out = append(out, srv.Name)
		}
	}
	return out
}

// TotalClients is the number of clients over all groups.
func (s *Scenario) TotalClients() int {
	n := 0
	for _, g := range s.Clients {
		n += g.Count
	}
	return n
}

// UsesClientProxies says whether clients must reach servers through the
// fault proxies: cluster.client_proxies when set, else whether any fault
// step targets a client link.
func (s *Scenario) UsesClientProxies() bool {
	if cp := s.Cluster.ClientProxies; cp != nil {
		return *cp
	}
	for _, st := range s.Steps {
		if f, ok := st.Action.(*Fault); ok && f != nil && strings.HasPrefix(f.Target, string(LinkClient)+":") {
			return true
		}
	}
	return false
}

// OptionsFor returns the options of a server: the cluster's server_options
// overlaid with the server's own.
func (c *Cluster) OptionsFor(server string) ServerOptions {
	out := c.ServerOptions
	for _, srv := range c.Servers {
		if srv.Name == server && srv.ServerOptions != nil {
			out = out.overlay(*srv.ServerOptions)
		}
	}
	return out
}

// overlay returns o with every field set in over replacing its own.
func (o ServerOptions) overlay(over ServerOptions) ServerOptions {
	if over.LameDuckDuration != nil {
		o.LameDuckDuration = over.LameDuckDuration
	}
	if over.LameDuckGracePeriod != nil {
		o.LameDuckGracePeriod = over.LameDuckGracePeriod
	}
	if over.JetStream != nil {
		o.JetStream = over.JetStream
	}
	if over.PingInterval != nil {
		o.PingInterval = over.PingInterval
	}
	if over.MaxPingsOut != nil {
		o.MaxPingsOut = over.MaxPingsOut
	}
	if over.WriteDeadline != nil {
		o.WriteDeadline = over.WriteDeadline
	}
	if over.MaxPayload != nil {
		o.MaxPayload = over.MaxPayload
	}
	if over.MaxPending != nil {
		o.MaxPending = over.MaxPending
	}
	if over.MaxConnections != nil {
		o.MaxConnections = over.MaxConnections
	}
	if over.NoAdvertise != nil {
		o.NoAdvertise = over.NoAdvertise
	}
	if over.ConnectRetries != nil {
		o.ConnectRetries = over.ConnectRetries
	}
	if over.PoolSize != nil {
		o.PoolSize = over.PoolSize
	}
	return o
}

// ClientName is the name of the group's i-th client (from 0): "<group>-<i>".
// It is what {client} stands for in a publish subject.
func (g *ClientGroup) ClientName(i int) string {
	return g.Name + "-" + strconv.Itoa(i)
}

// SubjectFor is the subject a client publishes to: {client} replaced.
func (p *Publish) SubjectFor(client string) string {
	return strings.ReplaceAll(p.Subject, "{client}", client)
}
