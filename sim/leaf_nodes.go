package sim

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// LeafNodeSpec declares one leaf server.
type LeafNodeSpec struct {
	Name string
	// Version selects the release; "" is the embedded one.
	Version string
	// Hubs are the hub servers its remote is configured with, by name;
	// it learns the hub's other servers by gossip.
	Hubs []string
	// Reconnect, when set, is this leaf's own reconnect interval (a
	// mitigation spreads them); 0 keeps the set's.
	Reconnect time.Duration
}

// LeafNodesSpec declares the leaves of one hub cluster.
type LeafNodesSpec struct {
	Leaves []LeafNodeSpec
	// Options are every leaf's server options (ping, lame duck ...).
	Options ServerOptions
	// Leaf carries the leaf side: reconnect interval, TLS and the
	// credential; Remotes and Accept are filled in per leaf.
	Leaf LeafSpec
	// Backends run the leaves (DefaultBackends when empty).
	Backends []Backend
	LogDir   string
	Verbose  bool
	// ObserveEvery is the period of the leaf-link observations (both
	// sides, LeafUp / LeafDown) and the leaves' own observations; 0 means
	// 50ms, negative means only on demand.
	ObserveEvery time.Duration
}

// LeafNodes runs the leaf servers of one hub cluster. Each leaf is a
// one-server Cluster of its own (named after it, so its cluster name
// differs from the hub's), behind the same network as the hub; its
// lifecycle events are recorded under the leaf kinds, and every leaf link
// is observed from both ends.
type LeafNodes struct {
	hub    *Cluster
	tl     *Timeline
	leaves map[string]*Cluster
	order  []string
	hubs   map[string][]string // leaf -> configured hub servers

	links leafLinkState

	wg   sync.WaitGroup
	stop chan struct{}
	once sync.Once
}

// NewLeafNodes declares the leaves (it starts nothing). The hub must
// accept leaf nodes (ClusterSpec.Leaf.Accept). Leaf names must differ
// from the hub's server names when they share net.
func NewLeafNodes(spec LeafNodesSpec, hub *Cluster, tl *Timeline, net Network) (*LeafNodes, error) {
	if hub.spec.Leaf == nil || !hub.spec.Leaf.Accept {
		return nil, errors.New("leaf nodes: the hub cluster does not accept leaf nodes")
	}
	ln := &LeafNodes{hub: hub, tl: tl, leaves: map[string]*Cluster{}, hubs: map[string][]string{}, stop: make(chan struct{})}
	ln.links.init()
	for _, l := range spec.Leaves {
		if err := ln.declare(spec, l, net); err != nil {
			ln.Close()
			return nil, err
		}
	}
	if every := spec.ObserveEvery; every >= 0 {
		if every == 0 {
			every = 50 * time.Millisecond
		}
		ln.wg.Add(1)
		go ln.observeLoop(every)
	}
	return ln, nil
}

func (ln *LeafNodes) declare(spec LeafNodesSpec, l LeafNodeSpec, net Network) error {
	if _, dup := ln.leaves[l.Name]; dup {
		return fmt.Errorf("leaf %s declared twice", l.Name)
	}
	if slices.Contains(ln.hub.Names(), l.Name) {
		return fmt.Errorf("leaf %s: a hub server has that name", l.Name)
	}
	if len(l.Hubs) == 0 {
		return fmt.Errorf("leaf %s: no hub servers to dial", l.Name)
	}
	leaf := spec.Leaf
	leaf.Accept, leaf.NoAdvertise, leaf.Remotes = false, false, nil
	if l.Reconnect > 0 {
		leaf.ReconnectInterval = l.Reconnect
	}
	for _, h := range l.Hubs {
		u := ln.hub.LeafURL(h)
		if u == "" {
			return fmt.Errorf("leaf %s: no hub server named %q", l.Name, h)
		}
		leaf.Remotes = append(leaf.Remotes, u)
	}
	relay := NewRelayTimeline(ln.tl.Start())
	hubs := slices.Clone(l.Hubs)
	relay.Subscribe(func(ev Event) {
		kind, ok := leafKinds[ev.Kind]
		if !ok {
			return
		}
		ev.Kind = kind
		if kind == LeafStart {
			ev.Known = hubs
		}
		ln.tl.Add(ev)
	})
	c, err := NewCluster(ClusterSpec{
		Name:         l.Name,
		Servers:      []ServerSpec{{Name: l.Name, Version: l.Version}},
		Options:      spec.Options,
		Backends:     spec.Backends,
		LogDir:       spec.LogDir,
		Verbose:      spec.Verbose,
		ObserveEvery: -1, // observed by LeafNodes' own loop
		Leaf:         &leaf,
	}, relay, net)
	if err != nil {
		return fmt.Errorf("leaf %s: %w", l.Name, err)
	}
	if lnw, ok := net.(LeafNetwork); ok {
		lnw.LeafServer(l.Name)
	}
	ln.leaves[l.Name] = c
	ln.order = append(ln.order, l.Name)
	ln.hubs[l.Name] = hubs
	return nil
}

// Names lists the leaves in declaration order.
func (ln *LeafNodes) Names() []string { return slices.Clone(ln.order) }

// Has says whether a leaf of that name is declared.
func (ln *LeafNodes) Has(name string) bool { _, ok := ln.leaves[name]; return ok }

// Hubs are the hub servers a leaf is configured with.
func (ln *LeafNodes) Hubs(leaf string) []string { return slices.Clone(ln.hubs[leaf]) }

// Cluster is the one-server cluster that runs a leaf, for the operations
// a Cluster has (Kill, Stop, LameDuck, Restart, Suspend, ClientURL).
func (ln *LeafNodes) Cluster(leaf string) (*Cluster, error) {
	c, ok := ln.leaves[leaf]
	if !ok {
		return nil, fmt.Errorf("no leaf named %q", leaf)
	}
	return c, nil
}

// StartAll starts every leaf, in declaration order.
func (ln *LeafNodes) StartAll() error {
	var errs []error
	for _, n := range ln.order {
		if err := ln.leaves[n].StartAll(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Running lists the leaves that run now (lame duck included).
func (ln *LeafNodes) Running() []string {
	var out []string
	for _, n := range ln.order {
		if ln.leaves[n].IsRunning(n) {
			out = append(out, n)
		}
	}
	return out
}

// Abort makes operations waiting on a leaf return at once.
func (ln *LeafNodes) Abort() {
	for _, c := range ln.leaves {
		c.Abort()
	}
}

// Close stops every leaf and the observer. The hub and the network are
// the caller's.
func (ln *LeafNodes) Close() error {
	ln.once.Do(func() { close(ln.stop) })
	ln.wg.Wait()
	var errs []error
	for _, n := range ln.order {
		errs = append(errs, ln.leaves[n].Close())
	}
	return errors.Join(errs...)
}
