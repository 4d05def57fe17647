package assert

import (
	"math"
	"slices"
	"strings"

	"github.com/natschaos/natschaos/sim"
)

// GatewayState is what the timeline says about a supercluster's gateways:
// each server's cluster and the gateway links its own observations last
// reported (gateway_up and gateway_down). State.Apply keeps it; it stays
// nil for a single cluster.
type GatewayState struct {
	Cluster map[string]string                 // server -> cluster
	Links   map[string]map[string]GatewayLink // server -> link key -> link
	// Change is the last change of the expected gateway graph: a start,
	// exit or removal of a server of the supercluster, a partition or
	// freeze, or a cutting fault on a gateway:<A>-<B> target or a server.
	Change Change

	cutting map[string]*Fault // active faults that change the graph, by id
}

// GatewayLink is one gateway link a server reported.
type GatewayLink struct {
	Remote   string // the other cluster
	Peer     string // the server at the other end
	Outbound bool
	Seq      int // when it was reported
}

func (s *State) applyGateway(ev sim.Event) {
	switch ev.Kind {
	case sim.ServerStart:
		if ev.Cluster == "" {
			return
		}
		g := s.gateways()
		g.Cluster[ev.Server] = ev.Cluster
		delete(g.Links, ev.Server)
		g.Change = s.Membership
	case sim.ServerExit, sim.ServerRemove:
		if g := s.Gateways; g != nil && g.Cluster[ev.Server] != "" {
			delete(g.Links, ev.Server)
			g.Change = s.Membership
		}
	case sim.GatewayUp, sim.GatewayDown:
		g := s.gateways()
		g.Cluster[ev.Server] = ev.Cluster
		if g.Links[ev.Server] == nil {
			g.Links[ev.Server] = map[string]GatewayLink{}
		}
		key := ev.Detail + " " + ev.Remote + " " + ev.Peer
		if ev.Kind == sim.GatewayDown {
			delete(g.Links[ev.Server], key)
			return
		}
		g.Links[ev.Server][key] = GatewayLink{Remote: ev.Remote, Peer: ev.Peer, Outbound: ev.Detail == "outbound", Seq: s.Seq}
	case sim.FaultStart, sim.FaultEnd:
		g := s.Gateways
		if g == nil {
			return
		}
		f := faultOf(ev)
		if ev.Kind == sim.FaultEnd {
			if old, ok := g.cutting[ev.Fault]; ok {
				delete(g.cutting, ev.Fault)
				g.Change = s.change("end " + old.String())
			}
			return
		}
		if f.topological() || (f.Cuts && (strings.HasPrefix(f.Target, "gateway:") || strings.HasPrefix(f.Target, "server:"))) {
			g.cutting[ev.Fault] = f
			g.Change = s.change(f.String())
		}
	}
}

func (s *State) gateways() *GatewayState {
	if s.Gateways == nil {
		s.Gateways = &GatewayState{Cluster: map[string]string{}, Links: map[string]map[string]GatewayLink{}, cutting: map[string]*Fault{}}
	}
	return s.Gateways
}

// gatewayPair is the two clusters of a "gateway:A-B" fault. Cluster
// names may contain '-', so the clusters of the fault's servers (every
// server of both) are preferred to splitting the target.
func (g *GatewayState) gatewayPair(f *Fault) []string {
	rest, ok := strings.CutPrefix(f.Target, "gateway:")
	if !ok {
		return nil
	}
	var clusters []string
	for _, sv := range f.Servers {
		if c := g.Cluster[sv]; c != "" && !slices.Contains(clusters, c) {
			clusters = append(clusters, c)
		}
	}
	if len(clusters) == 2 {
		return clusters
	}
	if a, b, ok := strings.Cut(rest, "-"); ok {
		return []string{a, b}
	}
	return nil
}

// SameCluster says whether two servers belong to one cluster: always
// outside a supercluster.
func (s *State) SameCluster(a, b string) bool {
	if s.Gateways == nil {
		return true
	}
	return s.Gateways.Cluster[a] == s.Gateways.Cluster[b]
}

// gatewayCut says whether an active fault cuts the gateway links between
// servers a and b: a partition between them, a cutting fault on their
// clusters' gateway target or on either server.
func (s *State) gatewayCut(a, b string) bool {
	if s.Separated(a, b) {
		return true
	}
	ca, cb := s.Gateways.Cluster[a], s.Gateways.Cluster[b]
	for _, f := range s.Faults {
		if !f.Cuts {
			continue
		}
		if p := s.Gateways.gatewayPair(f); p != nil && ((p[0] == ca && p[1] == cb) || (p[0] == cb && p[1] == ca)) {
			return true
		}
		if f.Target == "server:"+a || f.Target == "server:"+b {
			return true
		}
	}
	return false
}

// liveGatewayServers are the running, unfrozen servers of the
// supercluster, sorted.
func (s *State) liveGatewayServers() []string {
	var out []string
	for _, n := range s.Running() {
		if s.Gateways.Cluster[n] != "" && !s.Frozen(n) {
			out = append(out, n)
		}
	}
	return out
}

// GatewayMesh says whether every live server of a supercluster has an
// outbound gateway link to every other cluster it can reach: one with a
// live server not cut from it. A link counts when its peer runs and no
// fault cuts it; one across a cut is a bypass. Servers must have been
// observed since the last change of the gateway graph.
func GatewayMesh(st *State) (bool, string) {
	g := st.Gateways
	if g == nil {
		return true, "no supercluster"
	}
	live := st.liveGatewayServers()
	var problems, graph []string
	for _, a := range live {
		sv := st.Servers[a]
		if sv.Obs == nil || sv.Obs.Seq <= g.Change.Seq {
			problems = append(problems, a+" not observed since "+g.Change.What+" at "+dur(g.Change.T))
			continue
		}
		var want []string
		for _, b := range live {
			if cb := g.Cluster[b]; cb != g.Cluster[a] && !st.gatewayCut(a, b) && !slices.Contains(want, cb) {
				want = append(want, cb)
			}
		}
		var got, bypass, gone []string
		for _, k := range sortedKeys(g.Links[a]) {
			l := g.Links[a][k]
			if !l.Outbound {
				continue
			}
			switch ps, ok := st.Servers[l.Peer]; {
			case !ok || !ps.Running:
				gone = append(gone, l.Remote+"/"+l.Peer)
				continue
			case st.gatewayCut(a, l.Peer):
				bypass = append(bypass, l.Remote+"/"+l.Peer)
			}
			if !slices.Contains(got, l.Remote) {
				got = append(got, l.Remote)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		graph = append(graph, a+"→"+list(got))
		if slices.Equal(got, want) && len(bypass) == 0 {
			continue
		}
		msg := a + " has gateways to " + list(got) + " but expected " + list(want)
		if len(bypass) > 0 {
			msg += " (bypass: " + list(bypass) + " across the cut)"
		}
		if len(gone) > 0 {
			msg += " (" + list(gone) + " not running)"
		}
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return false, joinCap(problems, 3, "; ")
	}
	if len(live) == 0 {
		return true, "no running server with gateways"
	}
	return true, "gateways " + strings.Join(graph, " ")
}

// gatewayLinksJudged counts the (server, reachable cluster) pairs
// GatewayMesh judges in a state.
func gatewayLinksJudged(st *State) int {
	if st.Gateways == nil {
		return 0
	}
	live := st.liveGatewayServers()
	n := 0
	for _, a := range live {
		seen := map[string]bool{}
		for _, b := range live {
			if cb := st.Gateways.Cluster[b]; cb != st.Gateways.Cluster[a] && !seen[cb] && !st.gatewayCut(a, b) {
				seen[cb] = true
				n++
			}
		}
	}
	return n
}

// skewPerCluster is the largest skew of a server's client count off the
// mean of its own cluster: a supercluster's clients never move between
// clusters, so only a cluster's servers share its clients.
func (s *State) skewPerCluster(counts map[string]int) float64 {
	total, servers := map[string]int{}, map[string]int{}
	for n, c := range counts {
		total[s.Gateways.Cluster[n]] += c
		servers[s.Gateways.Cluster[n]]++
	}
	skew := 0.0
	for n, c := range counts {
		cl := s.Gateways.Cluster[n]
		if mean := float64(total[cl]) / float64(servers[cl]); mean > 0 {
			skew = max(skew, math.Abs(float64(c)-mean)/mean)
		}
	}
	return skew
}
