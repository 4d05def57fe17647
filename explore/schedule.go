package explore

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"pgregory.net/rapid"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
)

// Config sizes the schedules drawn.
type Config struct {
	Servers int // servers in the cluster (default 3, at least 2)
	Clients int // clients in all (default 100): a few publish, the rest subscribe to ">"
	Steps   int // actions per schedule (default 10); each is followed by its waits
}

func (c Config) withDefaults() Config {
	if c.Servers <= 0 {
		c.Servers = 3
	}
	c.Servers = max(2, min(c.Servers, 26))
	if c.Clients <= 0 {
		c.Clients = 100
	}
	c.Clients = max(2, c.Clients)
	if c.Steps <= 0 {
		c.Steps = 10
	}
	return c
}

// Timing of every drawn schedule: short enough that a schedule of ten
// actions runs in a few seconds, long enough that NATS can do its part.
const (
	waitTimeout    = 15 * time.Second // each wait after an action
	lameDuck       = time.Second      // server_options.lame_duck_duration
	lameDuckGrace  = 200 * time.Millisecond
	serverPing     = time.Second            // server_options.ping_interval: finds frozen routes
	clientPing     = 300 * time.Millisecond // finds a frozen or silent server in about a second
	publishRate    = 100                    // per publisher, per second: schedules are short, losses must show
	clientsPerPub  = 33                     // one publisher per this many clients
	scheduleBudget = 3 * time.Minute
	observeFor     = 500 * time.Millisecond // traffic after the last action
)

// Action kinds, simplest first: rapid shrinks a drawn kind towards the
// first one valid in the state.
const (
	actKill        = "kill"
	actStop        = "stop"
	actRestart     = "restart"
	actStart       = "start"
	actLameDuck    = "lame_duck"
	actPartition   = "partition"
	actHeal        = "heal"
	actClientFault = "client_fault"
	actRouteFault  = "route_fault"
	actFreeze      = "freeze"
	actRemove      = "remove"
	actJoin        = "join"
	actLeave       = "leave"
	actBurst       = "burst"
)

// Client churn: how much one join or leave draws, and the floor a leave
// keeps, so that every schedule keeps a publisher and a subscriber.
const (
	churnShare = 10  // a join or leave moves up to 1/churnShare of a group
	burstMin   = 100 // messages per publisher in a burst
	burstMax   = 2000
)

type srvState int

const (
	up srvState = iota
	down
	lameDucking // exits on its own; only restart applies
)

// model is what the schedule has done so far: actions are drawn only when
// they make sense in it.
type model struct {
	names     []string // servers not removed
	state     map[string]srvState
	present   map[string]int // clients of each group now
	initial   map[string]int // clients of each group at the start
	partition string         // name of the partition in force, "" when none
	cuts      int            // fault, partition and freeze steps so far, for names
}

func (m *model) with(s srvState) []string {
	var out []string
	for _, n := range m.names {
		if m.state[n] == s {
			out = append(out, n)
		}
	}
	return out
}

// valid lists the actions that make sense now.
func (m *model) valid() []string {
	ups := len(m.with(up))
	var out []string
	if ups >= 2 { // keep a server up
		out = append(out, actKill, actStop)
	}
	if ups > 0 || len(m.with(lameDucking)) > 0 {
		out = append(out, actRestart)
	}
	if len(m.with(down)) > 0 {
		out = append(out, actStart)
	}
	if ups >= 2 {
		out = append(out, actLameDuck)
	}
	if m.partition == "" {
		out = append(out, actPartition)
	} else {
		out = append(out, actHeal)
	}
	if ups > 0 {
		out = append(out, actClientFault)
	}
	if ups >= 2 {
		out = append(out, actRouteFault)
	}
	if ups > 0 {
		out = append(out, actFreeze)
	}
	// Removing needs no partition in force (its groups name every server)
	// and keeps two servers, so partitions stay possible.
	if len(m.names) >= 3 && m.partition == "" && ups >= 2 {
		out = append(out, actRemove)
	}
	out = append(out, actJoin)
	for _, g := range sortedGroups(m.present) {
		if m.present[g] > 1 {
			out = append(out, actLeave)
			break
		}
	}
	if m.present["pubs"] > 0 {
		out = append(out, actBurst)
	}
	return out
}

func sortedGroups(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for g := range m {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// Draw draws one schedule and returns it as a scenario, built in memory:
// Marshal it and Parse the text to get the scenario that runs (Schedule
// does both).
func Draw(t *rapid.T, cfg Config, seed int64) *scenarios.Scenario {
	cfg = cfg.withDefaults()
	m := &model{state: map[string]srvState{}, present: map[string]int{}, initial: map[string]int{}}
	for i := 0; i < cfg.Servers; i++ {
		n := string(rune('A' + i))
		m.names = append(m.names, n)
		m.state[n] = up
	}
	sc := skeleton(cfg, m.names, seed)
	for _, g := range sc.Clients {
		m.present[g.Name], m.initial[g.Name] = g.Count, g.Count
	}
	actions := 0
	for i := 0; i < cfg.Steps; i++ {
		// An action is left out only when both draws are zero: rare when
		// drawn (about 1 in 100), and what the shrinker reaches by
		// minimising them, which is how it deletes an action.
		a := rapid.IntRange(0, 1000).Draw(t, "keep")
		b := rapid.IntRange(0, 1000).Draw(t, "keep_too")
		kind := rapid.SampledFrom(m.valid()).Draw(t, "action")
		if a == 0 && b == 0 {
			continue
		}
		step := m.step(t, kind)
		sc.Steps = append(sc.Steps, step)
		sc.Steps = append(sc.Steps, waits()...)
		actions++
	}
	// Losses show only in traffic after recovery: the last action's
	// waits end as soon as clients are back, so publishing goes on for an
	// observation window before the run ends. It is not synchronisation:
	// every wait above is on a condition.
	sc.Steps = append(sc.Steps, scenarios.Step{Action: &scenarios.Sleep{Duration: observeFor}})
	sc.Description = fmt.Sprintf("A fault schedule of %d actions drawn by natschaos explore; each action is followed by waits for connected, mesh and discovered, the last by %v of traffic.", actions, observeFor)
	return sc
}

// Actions counts the steps of a scenario that act: not waits, checks or
// sleeps.
func Actions(sc *scenarios.Scenario) int {
	n := 0
	for _, st := range sc.Steps {
		switch st.Action.(type) {
		case *scenarios.Wait, *scenarios.Check, *scenarios.Sleep:
		default:
			n++
		}
	}
	return n
}

func waits() []scenarios.Step {
	var out []scenarios.Step
	for _, c := range []scenarios.WaitCondition{scenarios.WaitConnected, scenarios.WaitMesh, scenarios.WaitDiscovered} {
		out = append(out, scenarios.Step{Action: &scenarios.Wait{Until: c, Timeout: waitTimeout}})
	}
	return out
}

// shortDuration is how long faults and freezes last: 200ms to 1s.
func shortDuration(t *rapid.T, label string) time.Duration {
	return time.Duration(rapid.IntRange(2, 10).Draw(t, label)) * 100 * time.Millisecond
}

func (m *model) step(t *rapid.T, kind string) scenarios.Step {
	pick := func(from []string) string { return rapid.SampledFrom(from).Draw(t, "server") }
	switch kind {
	case actKill, actStop, actLameDuck:
		s := pick(m.with(up))
		switch kind {
		case actKill:
			m.state[s] = down
			return scenarios.Step{Action: &scenarios.Kill{ServerStep: scenarios.ServerStep{Server: s}}}
		case actStop:
			m.state[s] = down
			return scenarios.Step{Action: &scenarios.Stop{ServerStep: scenarios.ServerStep{Server: s}}}
		}
		m.state[s] = lameDucking
		return scenarios.Step{Action: &scenarios.LameDuck{ServerStep: scenarios.ServerStep{Server: s}}}
	case actRestart:
		s := pick(append(m.with(up), m.with(lameDucking)...))
		m.state[s] = up
		return scenarios.Step{Action: &scenarios.Restart{Server: s}}
	case actStart:
		s := pick(m.with(down))
		m.state[s] = up
		return scenarios.Step{Action: &scenarios.Start{ServerStep: scenarios.ServerStep{Server: s}}}
	case actPartition:
		// A non-empty proper subset of the servers on one side.
		mask := rapid.IntRange(1, 1<<len(m.names)-2).Draw(t, "side")
		var one, two []string
		for i, n := range m.names {
			if mask&(1<<i) != 0 {
				one = append(one, n)
			} else {
				two = append(two, n)
			}
		}
		m.cuts++
		m.partition = fmt.Sprintf("cut%d", m.cuts)
		return scenarios.Step{Action: &scenarios.Partition{
			Name: m.partition, Groups: [][]string{one, two}, Mode: scenarios.PartitionClose}}
	case actHeal:
		name := m.partition
		m.partition = ""
		return scenarios.Step{Action: &scenarios.Heal{Name: name}}
	case actClientFault, actRouteFault:
		f := &scenarios.Fault{Duration: shortDuration(t, "duration")}
		if kind == actClientFault {
			f.Target = "client:" + pick(m.with(up))
		} else {
			ups := m.with(up)
			a := rapid.IntRange(0, len(ups)-1).Draw(t, "from")
			b := (a + 1 + rapid.IntRange(0, len(ups)-2).Draw(t, "to")) % len(ups)
			pair := []string{ups[a], ups[b]}
			sort.Strings(pair)
			f.Target = "route:" + pair[0] + "-" + pair[1]
		}
		switch rapid.SampledFrom([]scenarios.FaultKind{scenarios.FaultDown, scenarios.FaultLatency, scenarios.FaultTimeout}).Draw(t, "kind") {
		case scenarios.FaultDown:
			f.Kind = scenarios.FaultDown
		case scenarios.FaultLatency:
			f.Kind, f.Direction = scenarios.FaultLatency, scenarios.DirectionBoth
			f.Params = []scenarios.FaultParam{{Name: "latency", Value: time.Duration(rapid.IntRange(1, 15).Draw(t, "latency")) * 10 * time.Millisecond}}
		default:
			f.Kind, f.Direction = scenarios.FaultTimeout, scenarios.DirectionBoth
			f.Params = []scenarios.FaultParam{{Name: "timeout", Value: time.Duration(rapid.IntRange(1, 10).Draw(t, "timeout")) * 100 * time.Millisecond}}
		}
		m.cuts++
		return scenarios.Step{Action: f}
	case actFreeze:
		m.cuts++
		return scenarios.Step{Action: &scenarios.Freeze{Server: pick(m.with(up)), Duration: shortDuration(t, "duration")}}
	case actRemove:
		// Only an up server: removing one that is down already changes
		// nothing a client or route would see.
		s := pick(m.with(up))
		delete(m.state, s)
		m.names = slices.DeleteFunc(m.names, func(n string) bool { return n == s })
		return scenarios.Step{Action: &scenarios.Remove{ServerStep: scenarios.ServerStep{Server: s}}}
	case actJoin:
		g := rapid.SampledFrom(sortedGroups(m.present)).Draw(t, "group")
		n := rapid.IntRange(1, max(1, m.initial[g]/churnShare)).Draw(t, "count")
		m.present[g] += n
		return scenarios.Step{Action: &scenarios.Join{Group: g, Count: n}}
	case actLeave:
		var can []string
		for _, g := range sortedGroups(m.present) {
			if m.present[g] > 1 {
				can = append(can, g)
			}
		}
		g := rapid.SampledFrom(can).Draw(t, "group")
		n := rapid.IntRange(1, max(1, min(m.present[g]-1, m.initial[g]/churnShare))).Draw(t, "count")
		m.present[g] -= n
		return scenarios.Step{Action: &scenarios.Leave{Group: g, Count: n}}
	case actBurst:
		n := rapid.IntRange(burstMin, burstMax).Draw(t, "messages")
		return scenarios.Step{Action: &scenarios.Burst{Group: "pubs", Messages: n}}
	}
	panic("explore: unknown action " + kind)
}

// skeleton is the scenario every schedule starts from: the cluster, the
// clients, and the invariants as expectations.
func skeleton(cfg Config, names []string, seed int64) *scenarios.Scenario {
	d := func(v time.Duration) *time.Duration { return &v }
	i := func(v int) *int { return &v }
	pubs := max(1, cfg.Clients/clientsPerPub)
	subs := cfg.Clients - pubs
	sc := &scenarios.Scenario{
		Name:    fmt.Sprintf("explore-%d", seed),
		Seed:    &seed,
		Timeout: scheduleBudget,
		Cluster: scenarios.Cluster{
			Name:     "C1",
			Topology: scenarios.TopologyFull,
			ServerOptions: scenarios.ServerOptions{
				LameDuckDuration:    d(lameDuck),
				LameDuckGracePeriod: d(lameDuckGrace),
				PingInterval:        d(serverPing),
				MaxPingsOut:         i(2),
			},
		},
		Expect: scenarios.Expect{
			{Name: scenarios.PropMesh, Params: &assert.MeshParams{Within: 5 * time.Second}},
			{Name: scenarios.PropDiscovery, Params: &assert.DiscoveryParams{Within: 5 * time.Second}},
			{Name: scenarios.PropNoLoss, Params: &assert.NoLossParams{}},
			{Name: scenarios.PropNoDuplicates, Params: &assert.NoDuplicatesParams{AllowFailover: true}}, // core NATS: at most once per connection
		},
	}
	for _, n := range names {
		sc.Cluster.Servers = append(sc.Cluster.Servers, scenarios.Server{Name: n})
	}
	// No reconnect buffer: nats.go resends what it buffered while
	// disconnected, which may repeat a message the server already had
	// (nats.io maintainers advise -1 where duplicates matter: stan.js#91).
	// Core NATS is at most once; with the buffer on, no_duplicates fails
	// now and then on a healthy cluster (about 1 schedule in 40).
	noBuffer := scenarios.ByteSize(-1)
	opts := scenarios.ClientOptions{
		ReconnectBufSize: &noBuffer,
		MaxReconnects:    i(-1),
		ReconnectWait:    d(100 * time.Millisecond),
		ReconnectJitter:  d(50 * time.Millisecond),
		PingInterval:     d(clientPing),
		MaxPingsOut:      i(2),
	}
	sc.Clients = []scenarios.ClientGroup{
		{Name: "subs", Count: subs, Options: opts, Subscribe: []scenarios.Subscription{{Subject: ">"}}},
		{Name: "pubs", Count: pubs, Options: opts, Publish: &scenarios.Publish{Subject: "explore.{client}", Rate: publishRate, Size: 128}},
	}
	if subs == 0 {
		sc.Clients = sc.Clients[1:]
	}
	return sc
}

// Schedule draws a schedule and returns the scenario that runs it, as
// scenarios.Parse reads it back from its own file text, with that text.
func Schedule(t *rapid.T, cfg Config, seed int64) (*scenarios.Scenario, []byte) {
	sc := Draw(t, cfg, seed)
	text, err := Marshal(sc)
	if err != nil {
		panic(fmt.Sprintf("explore: marshal: %v", err))
	}
	parsed, err := scenarios.Parse(sc.Name+".yaml", text)
	if err != nil {
		panic(fmt.Sprintf("explore: a drawn schedule does not validate (a bug of the generator):\n%s\n%v", text, err))
	}
	return parsed, text
}
