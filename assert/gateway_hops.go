package assert

import (
	"slices"
	"strings"

	"github.com/natschaos/natschaos/sim"
)

// hopIndex says which gateway a message crossed between a publisher and
// a subscriber: the clusters of the servers each client was connected to
// over the run. Outside a supercluster it names nothing.
type hopIndex struct {
	cluster  map[string]string   // server -> cluster
	clusters map[string][]string // client -> clusters it was on, first first
	pubs     map[int]string      // publisher index -> client
}

func hopsOf(events []sim.Event) *hopIndex {
	h := &hopIndex{cluster: map[string]string{}, clusters: map[string][]string{}, pubs: map[int]string{}}
	for _, ev := range events {
		switch ev.Kind {
		case sim.ServerStart:
			if ev.Cluster != "" {
				h.cluster[ev.Server] = ev.Cluster
			}
		case sim.ClientConnect, sim.ClientReconnect:
			if c := h.cluster[ev.Server]; c != "" && !slices.Contains(h.clusters[ev.Client], c) {
				h.clusters[ev.Client] = append(h.clusters[ev.Client], c)
			}
		case sim.PublishProgress, sim.PublishEnd:
			if ev.Client != "" {
				h.pubs[ev.Pub] = ev.Client
			}
		}
	}
	return h
}

// hop is "gateway east→west" when the publisher and a subscriber member
// were ever on servers of different clusters (several: comma-joined), ""
// otherwise.
func (h *hopIndex) hop(pubClient string, subClients ...string) string {
	if len(h.cluster) == 0 {
		return ""
	}
	var hops []string
	for _, pc := range h.clusters[pubClient] {
		for _, m := range subClients {
			for _, sc := range h.clusters[m] {
				if hop := "gateway " + pc + "→" + sc; pc != sc && !slices.Contains(hops, hop) {
					hops = append(hops, hop)
				}
			}
		}
	}
	return strings.Join(hops, ", ")
}

// gatewayPathUp says whether the path between servers a and b of
// different clusters is back after a fault: each, observed after
// afterSeq, has an outbound gateway to the other's cluster through a
// running peer. It stands for routeUp across clusters.
func (s *State) gatewayPathUp(a, b string, afterSeq int) bool {
	g := s.Gateways
	return g != nil && s.outboundTo(a, g.Cluster[b], afterSeq) && s.outboundTo(b, g.Cluster[a], afterSeq)
}

func (s *State) outboundTo(server, cluster string, afterSeq int) bool {
	sv := s.Servers[server]
	if sv == nil || !sv.Running || sv.Obs == nil || sv.Obs.Seq <= afterSeq {
		return false
	}
	for _, l := range s.Gateways.Links[server] {
		if p := s.Servers[l.Peer]; l.Outbound && l.Remote == cluster && p != nil && p.Running {
			return true
		}
	}
	return false
}

// gatewayPairs are the server pairs of different clusters a
// gateway:<A>-<B> fault cuts: its servers are every server of both.
func (s *State) gatewayPairs(fl *Fault) [][2]string {
	if !strings.HasPrefix(fl.Target, "gateway:") || s.Gateways == nil {
		return nil
	}
	var out [][2]string
	for i, a := range fl.Servers {
		for _, b := range fl.Servers[i+1:] {
			if !s.SameCluster(a, b) {
				out = append(out, pairOf(a, b))
			}
		}
	}
	return out
}
