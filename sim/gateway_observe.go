package sim

import "sort"

// gatewayView is what the cluster last recorded of each server's gateway
// links, so the timeline gets one event per link that came or went, not
// one per observation.
type gatewayView map[string]map[string]GatewayLink // server -> link key -> link

// observeGateways reads the gateway links of the running servers and
// records every link that appeared (GatewayUp) or went (GatewayDown)
// since the last reading; a server not running has none.
func (c *Cluster) observeGateways(obs []Observation) {
	if !c.super {
		return
	}
	c.gwMu.Lock()
	defer c.gwMu.Unlock()
	if c.gwView == nil {
		c.gwView = gatewayView{}
	}
	for _, o := range obs {
		now := map[string]GatewayLink{}
		if o.Running {
			m, err := c.member(o.Server)
			if err != nil {
				continue
			}
			c.mu.Lock()
			inst := m.inst
			c.mu.Unlock()
			g, ok := inst.(GatewayObserver)
			if !ok {
				continue
			}
			links, err := g.ObserveGateways()
			if err != nil {
				continue // exiting: its exit is recorded next
			}
			for _, l := range links {
				now[l.key()] = l
			}
		}
		before := c.gwView[o.Server]
		for _, k := range sortedLinkKeys(before) {
			if _, still := now[k]; !still {
				c.tl.Add(c.gatewayEvent(GatewayDown, o.Server, before[k]))
			}
		}
		for _, k := range sortedLinkKeys(now) {
			if _, had := before[k]; !had {
				c.tl.Add(c.gatewayEvent(GatewayUp, o.Server, now[k]))
			}
		}
		c.gwView[o.Server] = now
	}
}

func (c *Cluster) gatewayEvent(kind Kind, srv string, l GatewayLink) Event {
	dir := "inbound"
	if l.Outbound {
		dir = "outbound"
	}
	peer := l.PeerID
	if n := c.peerName(l.PeerID); n != "" {
		peer = n
	}
	return Event{Kind: kind, Server: srv, Cluster: c.ClusterOf(srv), Remote: l.Remote, Peer: peer, Detail: dir}
}

func sortedLinkKeys(m map[string]GatewayLink) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// peerName maps a running server's ID to its name.
func (c *Cluster) peerName(id string) string {
	if id == "" {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for n, m := range c.members {
		if m.inst != nil && m.inst.ID() == id {
			return n
		}
	}
	return ""
}
