package sim

import (
	"hash/fnv"
	mrand "math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// StrategyKind names a client-side thundering-herd mitigation the framework
// ships, so scenarios can measure it against the library's defaults.
type StrategyKind string

const (
	// StrategyNone keeps nats.go's own behaviour.
	StrategyNone StrategyKind = ""
	// StrategyBackoffFullJitter sleeps rand[0, min(Cap, Base·2^(n−1))) after
	// the n-th full pass of the server list (nats.CustomReconnectDelay). The
	// library only calls it after a full pass, so it cannot spread the first
	// reconnect after one server dies; it spreads a whole-cluster outage.
	StrategyBackoffFullJitter StrategyKind = "backoff_full_jitter"
	// StrategyJitteredFailover waits rand[0, MaxDelay) before every
	// reconnect attempt, the first one included, and tries the other
	// servers from a random start (nats.ReconnectToServer): what the
	// library's own jitter does not do after a single server dies.
	StrategyJitteredFailover StrategyKind = "jittered_failover"
	// StrategyLameDuckMove reacts to a lame-duck notice: after rand[0,
	// MaxDelay) the client reconnects to a random other server it knows
	// (nc.ForceReconnect), before the server closes it.
	StrategyLameDuckMove StrategyKind = "lame_duck_move"
	// StrategyRebalance reacts to servers joining its list: with
	// probability (new servers)/(known servers) the client moves, after
	// rand[0, MaxDelay), to one of the new servers, which evens the load
	// when the others were even.
	StrategyRebalance StrategyKind = "rebalance"
)

// StrategyKinds lists the shipped strategies.
var StrategyKinds = []StrategyKind{StrategyBackoffFullJitter, StrategyJitteredFailover, StrategyLameDuckMove, StrategyRebalance}

// Strategy is one client group's mitigation and its parameters.
type Strategy struct {
	Kind StrategyKind
	// Base and Cap bound backoff_full_jitter's delays.
	Base, Cap time.Duration
	// MaxDelay bounds the random delay of the other strategies.
	MaxDelay time.Duration
	// Seed is the scenario's seed: each client draws from its own source
	// derived from it and its id, so a replay makes the same choices.
	Seed int64
}

// strategyState is one client's strategy: its random source and what it
// has decided.
type strategyState struct {
	spec Strategy

	mu      sync.Mutex
	rng     *mrand.Rand
	attempt int    // reconnect attempts since the last connection
	offset  int    // jittered_failover's random start in the server list
	current string // host:port of the server the client last reached
	target  string // host:port the next reconnect must try first, if any
}

func newStrategyState(s Strategy, clientID string) *strategyState {
	if s.Kind == StrategyNone {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(clientID))
	return &strategyState{spec: s, rng: mrand.New(mrand.NewPCG(uint64(s.Seed), h.Sum64()))}
}

// uniform draws from [0, d); 0 when d ≤ 0. Callers hold st.mu.
func (st *strategyState) uniform(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(st.rng.Int64N(int64(d)))
}

// natsOptions are the library hooks the strategy needs.
func (cl *client) strategyOptions() []nats.Option {
	st := cl.strat
	if st == nil {
		return nil
	}
	if st.spec.Kind == StrategyBackoffFullJitter {
		return []nats.Option{nats.CustomReconnectDelay(st.backoff)}
	}
	// The others steer reconnects: a forced move must reach the server
	// chosen, not the library's next in line.
	return []nats.Option{nats.ReconnectToServer(st.pick)}
}

// backoff is full-jitter exponential backoff: rand[0, min(cap, base·2^(n−1))).
func (st *strategyState) backoff(passes int) time.Duration {
	d := st.spec.Base
	for i := 1; i < passes && d < st.spec.Cap; i++ {
		d *= 2
	}
	d = min(d, st.spec.Cap)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.uniform(d)
}

// pick chooses the server of the next reconnect attempt and the delay
// before it. A nil server leaves both to the library.
func (st *strategyState) pick(servers []nats.Server, _ nats.ServerInfo) (*nats.Server, time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if t := st.target; t != "" {
		st.target = "" // one try: if it fails, the library's order resumes
		for i := range servers {
			if servers[i].URL != nil && servers[i].URL.Host == t {
				return &servers[i], 0
			}
		}
	}
	if st.spec.Kind != StrategyJitteredFailover || len(servers) == 0 {
		return nil, 0
	}
	var others []int
	for i := range servers {
		if servers[i].URL != nil && servers[i].URL.Host != st.current {
			others = append(others, i)
		}
	}
	if len(others) == 0 {
		others = []int{0}
	}
	if st.attempt == 0 {
		st.offset = st.rng.IntN(len(others))
	}
	i := others[(st.offset+st.attempt)%len(others)]
	st.attempt++
	return &servers[i], st.uniform(st.spec.MaxDelay)
}

// connected notes the server reached: later attempts avoid it first.
func (cl *client) strategyConnected(nc *nats.Conn) {
	st := cl.strat
	if st == nil {
		return
	}
	host := ""
	if u := nc.ConnectedUrl(); u != "" {
		host = hostOf(u)
	}
	st.mu.Lock()
	st.attempt, st.current = 0, host
	st.mu.Unlock()
}

// strategyLameDuck moves off a lame-duck server after a random delay.
func (cl *client) strategyLameDuck(nc *nats.Conn) {
	st := cl.strat
	if st == nil || st.spec.Kind != StrategyLameDuckMove {
		return
	}
	from := nc.ConnectedUrl()
	var others []string
	for _, s := range nc.Servers() {
		if h := hostOf(s); h != "" && h != hostOf(from) {
			others = append(others, h)
		}
	}
	st.mu.Lock()
	delay := st.uniform(st.spec.MaxDelay)
	target := ""
	if len(others) > 0 {
		target = others[st.rng.IntN(len(others))]
	}
	st.mu.Unlock()
	cl.later(delay, func() { cl.moveTo(from, target) })
}

// strategyKnown sees the client's server list change from prev to now
// (server names) and rebalances onto servers that joined it.
func (cl *client) strategyKnown(nc *nats.Conn, prev, now []string) {
	st := cl.strat
	if st == nil || st.spec.Kind != StrategyRebalance || len(prev) == 0 {
		return // the first list is the client's start, not a join
	}
	was := map[string]bool{}
	for _, n := range prev {
		was[n] = true
	}
	var fresh []string // hosts of the servers new to the list
	for _, s := range nc.Servers() {
		h := hostOf(s)
		name, ok := cl.fleet.cluster.ServerForAddr(h)
		if ok && !was[name] {
			fresh = append(fresh, h)
		}
	}
	if len(fresh) == 0 || len(now) == 0 {
		return
	}
	st.mu.Lock()
	move := st.rng.Float64() < float64(len(fresh))/float64(len(now))
	target := fresh[st.rng.IntN(len(fresh))]
	delay := st.uniform(st.spec.MaxDelay)
	st.mu.Unlock()
	if move {
		from := nc.ConnectedUrl()
		cl.later(delay, func() { cl.moveTo(from, target) })
	}
}

// moveTo reconnects to target, unless the client already left from.
func (cl *client) moveTo(from, target string) {
	nc := cl.nc
	if nc == nil || !nc.IsConnected() || nc.ConnectedUrl() != from {
		return
	}
	cl.strat.mu.Lock()
	cl.strat.target = target
	cl.strat.mu.Unlock()
	_ = nc.ForceReconnect()
}

// later runs fn after d on a goroutine the fleet's Close waits for; Close
// cancels what has not run yet.
func (cl *client) later(d time.Duration, fn func()) {
	f := cl.fleet
	f.background(func() {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			fn()
		case <-f.stopBg:
		}
	})
}

// hostOf is the host:port of a server URL, "" when it does not parse.
func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}
