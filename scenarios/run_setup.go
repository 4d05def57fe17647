package scenarios

import (
	"math"
	"path/filepath"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// The mapping from the file's vocabulary onto the engine's: the engine
// knows no file format, so this is the only place the two meet.

func clusterSpec(sc *Scenario, opts Options) sim.ClusterSpec {
	spec := sim.ClusterSpec{
		Name:     sc.Cluster.Name,
		Topology: sim.Topology(sc.Cluster.Topology),
		Options:  serverOptions(sc.Cluster.ServerOptions),
		Verbose:  opts.Verbose,
		Backends: opts.Backends,
	}
	if opts.Out != "" {
		spec.LogDir = filepath.Join(opts.Out, "servers") // process servers' logs
	}
	for _, s := range sc.Cluster.Servers {
		ss := sim.ServerSpec{Name: s.Name, Version: engineVersion(s.Version), Deferred: !s.StartsAtBoot()}
		if s.ServerOptions != nil {
			o := serverOptions(sc.Cluster.OptionsFor(s.Name))
			ss.Options = &o
		}
		ss.Cluster = sc.ClusterOf(s.Name)
		spec.Servers = append(spec.Servers, ss)
	}
	spec.Topologies = clusterTopologies(sc)
	return spec
}

// scenarioReleases lists every release the scenario runs, at boot or on restart.
func scenarioReleases(sc *Scenario) []string {
	var out []string
	for _, s := range sc.Cluster.Servers {
		out = append(out, engineVersion(s.Version))
	}
	for _, st := range sc.Steps {
		if r, ok := st.Action.(*Restart); ok && r != nil && r.Version != "" {
			out = append(out, engineVersion(r.Version))
		}
	}
	return out
}

// engineVersion maps the file's "embedded" onto the engine's "".
func engineVersion(v string) string {
	if v == DefaultVersion {
		return ""
	}
	return v
}

func serverOptions(o ServerOptions) sim.ServerOptions {
	var out sim.ServerOptions
	if o.LameDuckDuration != nil {
		out.LameDuckDuration = *o.LameDuckDuration
	}
	if o.LameDuckGracePeriod != nil {
		out.LameDuckGracePeriod = *o.LameDuckGracePeriod
	}
	if o.JetStream != nil {
		out.JetStream = *o.JetStream
	}
	if o.PingInterval != nil {
		out.PingInterval = *o.PingInterval
	}
	if o.MaxPingsOut != nil {
		out.MaxPingsOut = *o.MaxPingsOut
	}
	if o.WriteDeadline != nil {
		out.WriteDeadline = *o.WriteDeadline
	}
	if o.MaxPayload != nil {
		out.MaxPayload = int32(*o.MaxPayload)
	}
	if o.MaxPending != nil {
		out.MaxPending = int64(*o.MaxPending)
	}
	if o.MaxConnections != nil {
		out.MaxConnections = *o.MaxConnections
	}
	if o.NoAdvertise != nil {
		out.NoAdvertise = *o.NoAdvertise
	}
	if o.ConnectRetries != nil {
		out.ConnectRetries = *o.ConnectRetries
	}
	if o.PoolSize != nil {
		out.PoolSize = *o.PoolSize
	}
	return out
}

func groupSpecs(sc *Scenario, scale float64) []sim.GroupSpec {
	var out []sim.GroupSpec
	for _, g := range sc.Clients {
		gs := sim.GroupSpec{Name: g.Name, Count: scaledCount(g.Count, scale), Servers: g.Servers, Options: clientOptions(g.Options)}
		if gs.Servers == nil {
			gs.Servers = initialServers(sc)
		}
		for _, s := range g.Subscribe {
			sub := sim.Subscription{Subject: s.Subject, Queue: s.Queue, Delay: s.Delay}
			if s.PendingMsgs != nil {
				sub.PendingMsgs = *s.PendingMsgs
			}
			if s.PendingBytes != nil {
				sub.PendingBytes = int(*s.PendingBytes)
			}
			gs.Subscribe = append(gs.Subscribe, sub)
		}
		if p := g.Publish; p != nil {
			gs.Publish = &sim.Publish{Subject: p.Subject, Rate: float64(p.Rate), Size: int(p.Size)}
		}
		out = append(out, gs)
	}
	return out
}

// scaledCount is a client count as written (0: the default, 1) under
// --clients-scale: at least one.
func scaledCount(n int, scale float64) int {
	if scale <= 0 {
		scale = 1
	}
	return max(1, int(math.Round(float64(max(n, 1))*scale)))
}

// initialServers is the default URL list: every server started at boot.
func initialServers(sc *Scenario) []string {
	var out []string
	for _, s := range sc.Cluster.Servers {
		if s.StartsAtBoot() {
			out = append(out, s.Name)
		}
	}
	return out
}

func clientOptions(o ClientOptions) sim.ClientOptions {
	var out sim.ClientOptions
	if o.ReconnectWait != nil {
		out.ReconnectWait = *o.ReconnectWait
	}
	if o.ReconnectJitter != nil {
		out.ReconnectJitter = *o.ReconnectJitter
	}
	if o.ReconnectJitterTLS != nil {
		out.ReconnectJitterTLS = *o.ReconnectJitterTLS
	}
	if o.MaxReconnects != nil {
		v := *o.MaxReconnects
		out.MaxReconnects = &v
	}
	if o.NoRandomize != nil {
		out.NoRandomize = *o.NoRandomize
	}
	if o.IgnoreDiscoveredServers != nil {
		out.IgnoreDiscoveredServers = *o.IgnoreDiscoveredServers
	}
	if o.ReconnectBufSize != nil {
		out.ReconnectBufSize = int(*o.ReconnectBufSize)
	}
	if o.PingInterval != nil {
		out.PingInterval = *o.PingInterval
	}
	if o.MaxPingsOut != nil {
		out.MaxPingsOut = *o.MaxPingsOut
	}
	if o.Timeout != nil {
		out.Timeout = *o.Timeout
	}
	if o.AllowReconnect != nil && !*o.AllowReconnect {
		out.NoReconnect = true
	}
	if o.DrainTimeout != nil {
		out.DrainTimeout = *o.DrainTimeout
	}
	if o.FlusherTimeout != nil {
		out.FlusherTimeout = *o.FlusherTimeout
	}
	if o.NoEcho != nil {
		out.NoEcho = *o.NoEcho
	}
	return out
}

// needsClientProxies: client links go through the fault layer when a step
// faults them or freezes a server (a freeze stops client links too), or
// when the file asks. Otherwise clients dial servers directly, which halves
// the file descriptors each client costs.
func needsClientProxies(sc *Scenario) bool {
	if sc.Cluster.ClientProxies != nil {
		return *sc.Cluster.ClientProxies
	}
	if sc.JetStream != nil {
		return jetStreamNeedsProxies
	}
	for _, st := range sc.Steps {
		if cp, ok := st.Action.(clientProxier); ok && !isNilPointer(cp) && cp.clientProxies() {
			return true
		}
	}
	return false
}

// expectations maps the file's expect section onto the checkers' params.
func expectations(sc *Scenario) []assert.Expectation {
	var out []assert.Expectation
	for _, e := range sc.Expect.List() {
		out = append(out, assert.Expectation{Name: string(e.Name), Params: e.Params, Warn: e.Warn})
	}
	return out
}
