package assert

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// State is what the timeline says about the system after a prefix of its
// events. It is built only by Apply, in timeline order, and is the one
// reading of events shared by every checker and by the runner's live
// `wait`/`check` steps (feed it from Timeline.Subscribe). It is not safe
// for concurrent use: a live user guards it with its own lock.
type State struct {
	// T is the time of the last applied event. Seq counts applied events:
	// times can tie, so "observed after the change" compares Seq.
	T   time.Duration
	Seq int

	Servers map[string]*ServerState
	Clients map[string]*ClientState
	Faults  map[string]*Fault // active faults and partitions, by id
	// Leaves are the leaf servers that run now (leaf_start to leaf_exit):
	// clients may be on them; the hub's predicates do not count them.
	Leaves map[string]bool

	// Membership is the last server start, exit, add or remove.
	Membership Change
	// Topology is the last change of the expected route graph: any
	// membership change, and the start or end of a partition, a route
	// fault that cuts, or a freeze. Observations older than it are stale.
	Topology Change

	// Gateways is the supercluster's gateway graph (gateway_state.go);
	// nil for a single cluster.
	Gateways *GatewayState
}

// Change is one event that changed what a predicate expects.
type Change struct {
	Seq  int // the State.Seq right after it was applied; 0: none yet
	T    time.Duration
	What string // "exit A", "partition p1 [A] | [B C]", "end freeze f2 of B"
}

// ServerState is one server as the timeline knows it.
type ServerState struct {
	Name     string
	Running  bool // started and not exited; lame duck included
	LameDuck bool
	Removed  bool
	Version  string
	Started  Change       // the latest start
	Obs      *Observation // the latest observation; nil if none
}

// Observation is a server's own report of itself (an Observe event).
type Observation struct {
	Seq           int
	T             time.Duration
	Clients       int
	Peers         []string
	SlowConsumers uint64
}

// ClientState is one client as the timeline knows it.
type ClientState struct {
	Name      string
	Group     string
	Connected bool   // between connect/reconnect and disconnect/close
	Server    string // where it is connected; "" while not connected
	Closed    bool   // closed for good
	Left      bool   // closed on purpose by a leave step: nothing is expected of it
	Known     []string
	Since     time.Duration // last change of Connected
}

// Fault is an active fault window, as its FaultStart described it.
type Fault struct {
	ID      string
	Kind    string
	Target  string
	Servers []string
	Groups  [][]string
	Cuts    bool
	Start   time.Duration
}

// NewState is the state before any event.
func NewState() *State {
	return &State{Servers: map[string]*ServerState{}, Clients: map[string]*ClientState{}, Faults: map[string]*Fault{}, Leaves: map[string]bool{}}
}

// Fold applies every event in order.
func Fold(events []sim.Event) *State {
	st := NewState()
	for _, ev := range events {
		st.Apply(ev)
	}
	return st
}

// Apply advances the state by one event.
func (s *State) Apply(ev sim.Event) {
	s.Seq++
	s.T = ev.T
	switch ev.Kind {
	case sim.ServerStart:
		sv := s.server(ev.Server)
		sv.Running, sv.LameDuck, sv.Removed = true, false, false
		sv.Version = ev.Version
		what := "start " + ev.Server
		if ev.Detail == "restart" {
			what = "restart " + ev.Server
		}
		sv.Started = s.change(what)
		s.membership(what)
	case sim.ServerLameDuck:
		s.server(ev.Server).LameDuck = true
	case sim.ServerExit:
		sv := s.server(ev.Server)
		sv.Running, sv.LameDuck = false, false
		s.membership("exit " + ev.Server)
	case sim.ServerAdd:
		s.server(ev.Server)
		s.membership("add " + ev.Server)
	case sim.ServerRemove:
		sv := s.server(ev.Server)
		sv.Running, sv.LameDuck, sv.Removed = false, false, true
		s.membership("remove " + ev.Server)
	case sim.LeafStart:
		s.Leaves[ev.Server] = true
	case sim.LeafExit:
		delete(s.Leaves, ev.Server)
	case sim.Observe:
		s.server(ev.Server).Obs = &Observation{Seq: s.Seq, T: ev.T, Clients: ev.Clients, Peers: ev.Peers, SlowConsumers: ev.SlowConsumers}
	case sim.FaultStart:
		f := faultOf(ev)
		s.Faults[ev.Fault] = f
		if f.topological() {
			s.Topology = s.change(f.String())
		}
	case sim.FaultEnd:
		f, ok := s.Faults[ev.Fault]
		if !ok { // an end without a start: describe it from the end itself
			f = faultOf(ev)
		}
		delete(s.Faults, ev.Fault)
		if f.topological() {
			s.Topology = s.change("end " + f.String())
		}
	case sim.ClientConnect, sim.ClientReconnect:
		c := s.client(ev)
		c.Connected, c.Server, c.Closed, c.Since = true, ev.Server, false, ev.T
		if ev.Known != nil {
			c.Known = ev.Known
		}
	case sim.ClientDisconnect:
		c := s.client(ev)
		c.Connected, c.Server, c.Since = false, "", ev.T
	case sim.ClientClosed:
		c := s.client(ev)
		c.Connected, c.Server, c.Closed, c.Since = false, "", true, ev.T
	case sim.ClientLeave:
		c := s.client(ev)
		c.Connected, c.Server, c.Closed, c.Left, c.Since = false, "", true, true, ev.T
	case sim.ClientDiscovered:
		s.client(ev).Known = ev.Known
	case sim.ClientLameDuck, sim.ClientResubscribed, sim.ClientError, sim.SubReady, sim.PublishProgress, sim.PublishRefused, sim.PublishEnd:
		s.client(ev) // a client is known from its first event
	}
	s.applyGateway(ev)
}

func (s *State) change(what string) Change { return Change{Seq: s.Seq, T: s.T, What: what} }

func (s *State) membership(what string) {
	s.Membership = s.change(what)
	s.Topology = s.Membership
}

func (s *State) server(name string) *ServerState {
	sv, ok := s.Servers[name]
	if !ok {
		sv = &ServerState{Name: name}
		s.Servers[name] = sv
	}
	return sv
}

func (s *State) client(ev sim.Event) *ClientState {
	c, ok := s.Clients[ev.Client]
	if !ok {
		c = &ClientState{Name: ev.Client}
		s.Clients[ev.Client] = c
	}
	if ev.Group != "" {
		c.Group = ev.Group
	}
	return c
}

// Running lists the running servers (lame duck included), sorted.
func (s *State) Running() []string {
	var out []string
	for n, sv := range s.Servers {
		if sv.Running {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Frozen says whether an active freeze holds the server.
func (s *State) Frozen(server string) bool {
	for _, f := range s.Faults {
		if f.freezes(server) {
			return true
		}
	}
	return false
}

// Separated says whether an active partition puts a and b in different
// groups, or an active cutting fault targets the route between them.
// A server no group lists is not cut from anyone: partitions cut only
// between the groups they name.
func (s *State) Separated(a, b string) bool {
	for _, f := range s.Faults {
		if f.separates(a, b) {
			return true
		}
	}
	return false
}

// CutOff returns the active fault that cuts the client links of server
// (a cutting fault on "client:X" or "server:X", or a freeze of X), nil if none.
func (s *State) CutOff(server string) *Fault {
	for _, id := range sortedKeys(s.Faults) {
		if f := s.Faults[id]; f.cutsClients(server) {
			return f
		}
	}
	return nil
}

// faultOf reads a fault from its FaultStart (or FaultEnd) event.
func faultOf(ev sim.Event) *Fault {
	return &Fault{ID: ev.Fault, Kind: ev.FaultKind, Target: ev.Target, Servers: ev.Servers, Groups: ev.Groups, Cuts: ev.Cuts, Start: ev.T}
}

// topological says whether the fault changes the expected route graph.
func (f *Fault) topological() bool {
	return len(f.Groups) > 0 || f.Kind == "freeze" || (f.Cuts && f.routePair() != nil)
}

func (f *Fault) freezes(server string) bool {
	return f.Kind == "freeze" && (f.Target == "server:"+server || slices.Contains(f.Servers, server))
}

func (f *Fault) cutsClients(server string) bool {
	if f.freezes(server) {
		return true
	}
	return f.Cuts && (f.Target == "client:"+server || f.Target == "server:"+server)
}

func (f *Fault) separates(a, b string) bool {
	if len(f.Groups) > 0 {
		ga, gb := groupOf(f.Groups, a), groupOf(f.Groups, b)
		return ga >= 0 && gb >= 0 && ga != gb
	}
	if p := f.routePair(); f.Cuts && p != nil {
		return (p[0] == a && p[1] == b) || (p[0] == b && p[1] == a)
	}
	return false
}

// routePair is the two servers of a "route:A-B" fault. Names may contain
// '-', so the fault's Servers are preferred to parsing the target.
func (f *Fault) routePair() []string {
	if !strings.HasPrefix(f.Target, "route:") {
		return nil
	}
	if len(f.Servers) == 2 {
		return f.Servers
	}
	if a, b, ok := strings.Cut(strings.TrimPrefix(f.Target, "route:"), "-"); ok {
		return []string{a, b}
	}
	return nil
}

func groupOf(groups [][]string, server string) int {
	for i, g := range groups {
		if slices.Contains(g, server) {
			return i
		}
	}
	return -1
}

// String names the fault for evidence: "partition p1 [A] | [B C]",
// "freeze f2 of B", "down f3 on route:A-B".
func (f *Fault) String() string {
	switch {
	case len(f.Groups) > 0:
		parts := make([]string, len(f.Groups))
		for i, g := range f.Groups {
			parts[i] = list(g)
		}
		return "partition " + f.ID + " " + strings.Join(parts, " | ")
	case f.Kind == "freeze" && len(f.Servers) > 0:
		return "freeze " + f.ID + " of " + strings.Join(f.Servers, ",")
	default:
		return f.Kind + " " + f.ID + " on " + f.Target
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
