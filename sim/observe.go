package sim

import (
	"sort"
	"time"
)

// Observation is one server's own view of itself at one moment.
type Observation struct {
	Server        string
	Running       bool
	Clients       int
	Peers         []string // distinct route peers by server name, sorted
	SlowConsumers uint64
}

// Observe reads every declared server now, without recording anything.
func (c *Cluster) Observe() []Observation {
	var out []Observation
	for _, n := range c.Names() {
		m, err := c.member(n)
		if err != nil {
			continue
		}
		o := Observation{Server: n}
		c.mu.Lock()
		p, inst := m.phase, m.inst
		c.mu.Unlock()
		if (p == phaseRunning || p == phaseLameDuck) && inst != nil {
			clients, peers, slow, err := inst.Observe()
			if err == nil {
				o.Running = true
				o.Clients, o.Peers, o.SlowConsumers = clients, peers, slow
			}
		}
		out = append(out, o)
	}
	return out
}

// ObserveNow reads every running server and records what it saw on the
// timeline. Checkers and waits judge only from these records.
func (c *Cluster) ObserveNow() []Observation {
	obs := c.Observe()
	for _, o := range obs {
		if o.Running {
			c.tl.Add(Event{Kind: Observe, Server: o.Server, Clients: o.Clients, Peers: o.Peers, SlowConsumers: o.SlowConsumers})
		}
	}
	c.observeGateways(obs)
	return obs
}

func (c *Cluster) observeLoop(every time.Duration) {
	defer c.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.ObserveNow()
		}
	}
}

// distinctPeers turns a server's route list into its distinct peers, by
// server name (ID when a peer has none), sorted. Route pooling gives every
// peer several routes (three pooled and one for the system account), so
// route counts are not peer counts.
func distinctPeers(n int, route func(i int) (name, id string)) []string {
	seen := map[string]bool{}
	var peers []string
	for i := 0; i < n; i++ {
		name, id := route(i)
		if name == "" {
			name = id
		}
		if !seen[name] {
			seen[name] = true
			peers = append(peers, name)
		}
	}
	sort.Strings(peers)
	return peers
}
