package sim

import (
	"fmt"
	"time"
)

// Leaf nodes: an edge server (a leaf) dials the leafnode port of the
// servers of a hub cluster and keeps one link to one of them per remote.
//
//	leaf L ──dial, INFO from hub, CONNECT──> LP_H ──> H's leafnode port   collection leaf:L>H
//
// A hub cluster is a Cluster whose spec has Leaf.Accept set: each of its
// servers listens for leaf nodes, behind the network's leaf endpoint when
// the network has them (LeafNetwork). Leaves are run by LeafNodes
// (leaf_nodes.go): each leaf is a one-server cluster of its own, so it
// starts, stops, is killed, lame-ducks and restarts exactly as a cluster
// server does, and its lifecycle goes on the timeline under the leaf_*
// kinds (leaf_event.go), so nothing that judges the hub's mesh sees it.

// LeafSpec makes a cluster's servers take part in leaf links.
type LeafSpec struct {
	// Accept makes every server listen for leaf nodes: a hub.
	Accept bool
	// NoAdvertise stops a hub from gossiping its servers' leafnode URLs
	// to its leaves (leafnodes.no_advertise).
	NoAdvertise bool
	// Remotes are the URLs (nats-leaf://host:port) of hub leaf
	// endpoints every server of this cluster dials, as one remote: the
	// server keeps one link, to one of them, and learns the others by
	// gossip.
	Remotes []string
	// ReconnectInterval is how long a leaf waits before redialling
	// (leafnodes.reconnect); 0 keeps the server's default (1 s).
	ReconnectInterval time.Duration
	// TLS, when set, puts leaf links under TLS: a hub presents the
	// certificate and verifies leaves against the CA; a leaf verifies
	// the hub and presents the certificate too.
	TLS *TLSFiles
	// User and Password, when set, are the one credential a hub accepts
	// from leaves and the one a leaf presents.
	User, Password string
}

func (s *LeafSpec) active() bool { return s != nil && (s.Accept || len(s.Remotes) > 0) }

// LeafLaunch is the leaf part of one server's LaunchConfig.
type LeafLaunch struct {
	Spec *LeafSpec
	// Port is the hub's real leafnode port; 0 picks a fresh one.
	Port int
	// Advertise is the address a hub gossips to leaves (the network's
	// leaf endpoint, when there is one).
	Advertise string
	// OnListening, when set, is called with a hub's real leafnode
	// address once the server listens on it.
	OnListening func(addr string)
}

// LeafNetwork is a Network that also puts leaf links through itself
// (the fault layer does). A cluster whose network is not one connects
// leaves directly.
type LeafNetwork interface {
	Network
	// AttachLeaf creates a hub server's leaf endpoint (host:port), stable
	// for the server's whole life; it listens from the server's Up.
	AttachLeaf(hub string) (string, error)
	// LeafListening gives the hub's real leafnode address on each start.
	LeafListening(hub, leafAddr string) error
	// LeafServer says an attached server is a leaf, not a hub server: a
	// partition of the hub cluster need not place it.
	LeafServer(name string)
}

// leafHub is the hub side of a Cluster: each server's leaf address.
type leafHub struct {
	addrs map[string]string // what leaves dial: the network's endpoint or a stable port
	ports map[string]int    // stable direct ports when there is no leaf network
}

// declareLeafLocked gives a hub server its leaf address. Called under c.mu.
func (c *Cluster) declareLeafLocked(name string) error {
	if c.spec.Leaf == nil || !c.spec.Leaf.Accept {
		return nil
	}
	if c.leaf.addrs == nil {
		c.leaf.addrs, c.leaf.ports = map[string]string{}, map[string]int{}
	}
	if ln, ok := c.net.(LeafNetwork); ok {
		addr, err := ln.AttachLeaf(name)
		if err != nil {
			return fmt.Errorf("server %s: %w", name, err)
		}
		c.leaf.addrs[name] = addr
		return nil
	}
	p, err := freePort()
	if err != nil {
		return err
	}
	c.leaf.ports[name] = p
	c.leaf.addrs[name] = fmt.Sprintf("127.0.0.1:%d", p)
	return nil
}

// leafLaunch fills a server's leaf part of its launch.
func (c *Cluster) leafLaunch(cfg *LaunchConfig) {
	if !c.spec.Leaf.active() {
		return
	}
	cfg.Leaf.Spec = c.spec.Leaf
	if !c.spec.Leaf.Accept {
		return
	}
	c.mu.Lock()
	addr, port := c.leaf.addrs[cfg.Name], c.leaf.ports[cfg.Name]
	c.mu.Unlock()
	if ln, ok := c.net.(LeafNetwork); ok {
		name := cfg.Name
		cfg.Leaf.Advertise = addr
		cfg.Leaf.OnListening = func(a string) { _ = ln.LeafListening(name, a) } // Up reports a failure
		return
	}
	cfg.Leaf.Port = port
}

// LeafURL is the URL leaves dial for a hub server, stable across its
// restarts; "" when the cluster does not accept leaf nodes.
func (c *Cluster) LeafURL(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a := c.leaf.addrs[name]; a != "" {
		return "nats-leaf://" + a
	}
	return ""
}

// instance is a running server's instance, nil when it does not run.
func (c *Cluster) instance(name string) Instance {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.members[name]
	if !ok || (m.phase != phaseRunning && m.phase != phaseLameDuck) {
		return nil
	}
	return m.inst
}

// releaseLeafPorts gives up the stable leaf ports picked for a hub
// without a leaf network: the cluster is closing.
func (c *Cluster) releaseLeafPorts() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for n, p := range c.leaf.ports {
		releasePort(p)
		delete(c.leaf.ports, n)
	}
}
