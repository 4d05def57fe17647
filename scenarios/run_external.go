package scenarios

import (
	"net/url"
	"time"

	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/sim"
)

// FaultLayer is what the steps ask of the fault layer: the in-process one
// (faults.Layer), or an external toxiproxy (faults.Toxiproxy).
type FaultLayer interface {
	Inject(faults.Spec) (string, error)
	Partition([][]string, faults.Mode, time.Duration) (string, error)
	Freeze(string, time.Duration) (string, error)
	Heal(string) error
	HealAll()
	Active() []string
	Err() error
	Close() error
}

var (
	_ FaultLayer = (*faults.Layer)(nil)
	_ FaultLayer = (*faults.Toxiproxy)(nil)
)

// newLayer returns the fault layer and the network the servers sit behind
// (nil for an external cluster: it has its own).
func (r *run) newLayer() (FaultLayer, sim.Network, error) {
	x := r.sc.Cluster.External
	if x == nil {
		l := faults.New(r.tl, faults.Options{ClientProxies: needsClientProxies(r.sc), OpaqueRoutes: routeTLS(r.sc), OpaqueLeaves: r.sc.LeafNodes.TLSOn()})
		return l, l, nil
	}
	var api string
	var links []faults.ProxyLink
	if x.Toxiproxy != nil {
		api = x.Toxiproxy.API
		for _, p := range x.Toxiproxy.Proxies {
			links = append(links, faults.ProxyLink{Link: p.Link, Proxy: p.Proxy})
		}
	}
	// Without a toxiproxy, validation let no fault step through: the
	// layer only ever heals nothing.
	var names []string
	for _, s := range r.sc.Cluster.Servers {
		names = append(names, s.Name)
	}
	t, err := faults.NewToxiproxy(r.tl, api, names, links)
	return t, nil, err
}

// externalSpec points the cluster at an external cluster's servers: their
// own URLs, watched and commanded by the external backend.
func (r *run) externalSpec(spec sim.ClusterSpec) sim.ClusterSpec {
	x := r.sc.Cluster.External
	if x == nil {
		return spec
	}
	servers := map[string]sim.ExternalServer{}
	addrs := map[string]string{}
	for _, s := range x.Servers {
		cmds := map[string]string{"kill": x.Commands.Kill, "stop": x.Commands.Stop, "lame_duck": x.Commands.LameDuck, "restart": x.Commands.Restart}
		servers[s.Name] = sim.ExternalServer{Monitor: s.Monitor, Commands: cmds}
		if u, err := url.Parse(s.URL); err == nil {
			addrs[s.Name] = u.Host
		}
	}
	r.external = sim.NewExternal(servers, 0)
	spec.Backends = []sim.Backend{r.external}
	for i := range spec.Servers {
		spec.Servers[i].Version = sim.ExternalVersion
		spec.Servers[i].ClientAddr = addrs[spec.Servers[i].Name]
	}
	return spec
}
