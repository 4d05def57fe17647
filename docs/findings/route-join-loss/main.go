// Command route-join-loss looks for messages lost between B and C while a
// third server, A, restarts and joins the cluster, with plain nats-server
// (embedded) and nats.go: no proxy, no fault injection.
//
// It follows the rolling-upgrade scenario: A and B list each other's
// route, C (started later) lists both. Every client (subscribers to ">"
// and publishers of numbered messages) starts on A, with B or C (half
// each) as its second URL. A is shut down, so the clients move to B or C.
// Once all are connected again (and, with -confirm, flushed), A restarts
// on the same ports with a new server ID (as after an upgrade) and joins,
// -cycles times. Every message published after the move must reach every
// subscriber that did not move again. Each missing one is printed with
// where its publisher and subscriber were and when it was published,
// relative to A's last restart.
//
// It also prints how long after nats.go's reconnected callback a flush
// (PING/PONG) returned: an upper bound on when the server had the
// resubscriptions.
//
//	go run ./docs/findings/route-join-loss -trials 4
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

var (
	trials   = flag.Int("trials", 1, "how many trials, each on a fresh cluster")
	subsN    = flag.Int("subs", 300, "subscribers to \">\"")
	pubsN    = flag.Int("pubs", 4, "publishers")
	rate     = flag.Int("rate", 20, "messages per second per publisher")
	cycles   = flag.Int("cycles", 1, "restarts of A per trial, after the clients moved")
	down     = flag.Duration("down", 300*time.Millisecond, "how long A stays down before each restart")
	up       = flag.Duration("up", time.Second, "how long A runs after each restart")
	poolSize = flag.Int("pool-size", 0, "route pool_size (0: the server's default, -1: no pooling)")
	verbose  = flag.Bool("v", false, "server logs on stderr")
	confirm  = flag.Bool("confirm", true, "after the move, flush every client (a PING/PONG round trip) before judging: "+
		"nats.go reports a reconnect once it has resent the subscriptions, not once the server has them")
)

// node is one server's fixed ports and routes, so it can restart in place.
type node struct {
	name               string
	clientPort, rtPort int
	routes             []string
	s                  *server.Server
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (n *node) start() {
	o := &server.Options{
		ServerName: n.name,
		Host:       "127.0.0.1",
		Port:       n.clientPort,
		NoLog:      !*verbose,
		NoSigs:     true,
		Cluster: server.ClusterOpts{
			Name:     "C1",
			Host:     "127.0.0.1",
			Port:     n.rtPort,
			PoolSize: *poolSize,
		},
		Routes: server.RoutesFromStr(strings.Join(n.routes, ",")),
	}
	s, err := server.NewServer(o)
	if err != nil {
		log.Fatal(err)
	}
	if *verbose {
		s.ConfigureLogger()
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		log.Fatalf("%s not ready", n.name)
	}
	n.s = s
}

func (n *node) stop() {
	n.s.Shutdown()
	n.s.WaitForShutdown()
}

func (n *node) routeURL() string  { return fmt.Sprintf("nats-route://127.0.0.1:%d", n.rtPort) }
func (n *node) clientURL() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.clientPort) }

func waitFor(what string, d time.Duration, ok func() bool) {
	if !within(d, ok) {
		log.Fatalf("timed out waiting for %s", what)
	}
}

// within polls ok every 5 ms for up to d.
func within(d time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// asyncErrs holds the clients' asynchronous errors (slow consumer ...).
var (
	asyncErrs sync.Map
	asyncErrN atomic.Int64
)

// lags collects durations, safe for concurrent use.
type lags struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *lags) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// summary returns "n, p50, p99, max" and forgets them.
func (l *lags) summary() string {
	l.mu.Lock()
	d := l.d
	l.d = nil
	l.mu.Unlock()
	if len(d) == 0 {
		return "none"
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	q := func(f float64) time.Duration { return d[int(f*float64(len(d)-1))].Round(time.Millisecond) }
	over := 0
	for _, x := range d {
		if x > 250*time.Millisecond {
			over++
		}
	}
	return fmt.Sprintf("%d reconnects: p50 %v, p99 %v, max %v; %d over 250ms", len(d), q(0.5), q(0.99), d[len(d)-1].Round(time.Millisecond), over)
}

// confirmLags: from nats.go's reconnected callback to the server's PONG.
var confirmLags lags

// client is one connection and what it did.
type client struct {
	name string
	nc   *nats.Conn

	mu   sync.Mutex
	got  map[int][]bool // subscriber: per publisher, per seq
	ends map[int]bool   // subscriber: publishers whose last message came
	sent []int64        // publisher: unix ns of each seq's publish (index seq-1)
}

// moves counts the client's reconnections; nats.go updates it before
// any callback runs. A client disconnected now counts one more.
func (c *client) moves() uint64 {
	n := c.nc.Stats().Reconnects
	if !c.nc.IsConnected() {
		n++
	}
	return n
}

func (c *client) server() string {
	if c.nc == nil {
		return "?"
	}
	return c.nc.ConnectedServerName()
}

func (c *client) receive(m *nats.Msg) {
	if len(m.Data) < 8 {
		return
	}
	p, seq := int(binary.BigEndian.Uint32(m.Data[0:4])), int(binary.BigEndian.Uint32(m.Data[4:8]))
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.Data[8] == 1 {
		c.ends[p] = true
		return
	}
	for len(c.got[p]) <= seq {
		c.got[p] = append(c.got[p], make([]bool, 1024)...)
	}
	c.got[p][seq] = true
}

func (c *client) publish(p int, stop <-chan struct{}) {
	buf := make([]byte, 128)
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	for seq := 1; ; seq++ {
		select {
		case <-stop:
			// The last message: once a subscriber has it, it has had
			// everything it will get from this publisher (one route, in
			// order).
			buf[8] = 1
			_ = c.nc.Publish(fmt.Sprintf("orders.pubs-%d", p), buf)
			_ = c.nc.Flush()
			return
		case <-tick.C:
		}
		binary.BigEndian.PutUint32(buf[0:4], uint32(p))
		binary.BigEndian.PutUint32(buf[4:8], uint32(seq))
		c.mu.Lock()
		c.sent = append(c.sent, time.Now().UnixNano())
		c.mu.Unlock()
		_ = c.nc.Publish(fmt.Sprintf("orders.pubs-%d", p), buf)
	}
}

// connect starts on the first URL; the second says where to go when it
// dies, so the clients split evenly between B and C.
func (c *client) connect(urls ...string) {
	nc, err := nats.Connect(strings.Join(urls, ","), nats.Name(c.name), nats.MaxReconnects(-1), nats.DontRandomize(),
		nats.ReconnectWait(250*time.Millisecond), nats.ReconnectJitter(100*time.Millisecond, 0),
		nats.PingInterval(time.Second), nats.MaxPingsOutstanding(2), nats.ReconnectBufSize(8<<20),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			asyncErrs.Store(err.Error(), struct{}{})
			asyncErrN.Add(1)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			// How long after nats.go reports the reconnect the server
			// has the resent subscriptions: a PING sent now is answered
			// after them. (Not on the callback goroutine: it would hold
			// up the connection's later callbacks.)
			start := time.Now()
			go func() {
				if nc.FlushTimeout(time.Minute) == nil {
					confirmLags.add(time.Since(start))
				}
			}()
		}))
	if err != nil {
		log.Fatal(err)
	}
	c.nc = nc
}

// trial runs one fresh cluster and returns the messages lost after the
// move, or -1 when the clients did not all get back (nothing judged).
func trial(i int) int {
	a := &node{name: "A", clientPort: freePort(), rtPort: freePort()}
	b := &node{name: "B", clientPort: freePort(), rtPort: freePort()}
	c := &node{name: "C", clientPort: freePort(), rtPort: freePort()}
	a.routes = []string{b.routeURL()}
	b.routes = []string{a.routeURL()}
	c.routes = []string{a.routeURL(), b.routeURL()}
	a.start()
	b.start()
	defer b.stop()
	waitFor("A-B mesh", 5*time.Second, func() bool { return a.s.NumRemotes() == 1 && b.s.NumRemotes() == 1 })

	var subs, pubs []*client
	for j := range *subsN {
		s := &client{name: fmt.Sprintf("subs-%d", j), got: map[int][]bool{}, ends: map[int]bool{}}
		s.connect(a.clientURL(), []string{b.clientURL(), c.clientURL()}[j%2])
		if _, err := s.nc.Subscribe(">", s.receive); err != nil {
			log.Fatal(err)
		}
		subs = append(subs, s)
	}
	for j := range *pubsN {
		p := &client{name: fmt.Sprintf("pubs-%d", j)}
		p.connect(a.clientURL(), []string{c.clientURL(), b.clientURL()}[j%2])
		pubs = append(pubs, p)
	}
	all := append(append([]*client{}, subs...), pubs...)
	defer func() {
		for _, cl := range all {
			cl.nc.Close()
		}
	}()
	c.start()
	defer c.stop()
	waitFor("full mesh", 10*time.Second, func() bool {
		return a.s.NumRemotes() == 2 && b.s.NumRemotes() == 2 && c.s.NumRemotes() == 2
	})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for j, p := range pubs {
		wg.Add(1)
		go func() { defer wg.Done(); p.publish(j, stop) }()
	}
	time.Sleep(200 * time.Millisecond)

	a.stop() // the move: every client goes to B or C
	connected := func() bool {
		for _, cl := range all {
			if !cl.nc.IsConnected() {
				return false
			}
		}
		return true
	}
	if !within(30*time.Second, connected) {
		n := 0
		for _, cl := range all {
			if !cl.nc.IsConnected() {
				n++
			}
		}
		fmt.Printf("trial %d: skipped: %d of %d clients not on B or C within 30s of A's shutdown\n", i, n, len(all))
		close(stop)
		wg.Wait()
		return -1
	}
	if *confirm {
		// A client that moves again meanwhile (a missed PONG under load)
		// is flushed once back, and not judged.
		var fw sync.WaitGroup
		for _, cl := range all {
			fw.Add(1)
			go func() {
				defer fw.Done()
				if !within(time.Minute, func() bool { return cl.nc.FlushTimeout(10*time.Second) == nil }) {
					log.Fatalf("%s: no flush after the move within 1m", cl.name)
				}
			}()
		}
		fw.Wait()
	}
	moved := time.Now() // from here on, nothing may be lost
	movesAt := make(map[*client]uint64, len(all))
	for _, cl := range all {
		movesAt[cl] = cl.moves()
	}
	var restarts []time.Time
	for k := range *cycles {
		if k > 0 {
			a.stop()
		}
		time.Sleep(*down)
		restarts = append(restarts, time.Now())
		a.start()
		waitFor("full mesh after A's restart", 20*time.Second, func() bool {
			return a.s.NumRemotes() == 2 && b.s.NumRemotes() == 2 && c.s.NumRemotes() == 2
		})
		time.Sleep(*up)
	}
	close(stop)
	wg.Wait()
	end := time.Now()
	defer a.stop()
	// Under load the subscribers' handlers lag: wait until every judged
	// subscriber has every judged publisher's last message.
	drained := within(2*time.Minute, func() bool {
		for _, s := range subs {
			if s.moves() != movesAt[s] {
				continue
			}
			s.mu.Lock()
			for j, p := range pubs {
				if p.moves() == movesAt[p] && !s.ends[j] {
					s.mu.Unlock()
					return false
				}
			}
			s.mu.Unlock()
		}
		return true
	})
	if !drained {
		fmt.Println("warning: some subscribers did not get every publisher's last message within 2m")
	}

	type key struct {
		pub, seq     int
		pubAt, subAt string
	}
	lost := map[key]int{}
	total := 0
	for _, s := range subs {
		if s.moves() != movesAt[s] {
			continue // moved again: not judged
		}
		s.mu.Lock()
		for p, pc := range pubs {
			if pc.moves() != movesAt[pc] {
				continue
			}
			pc.mu.Lock()
			for seq := 1; seq <= len(pc.sent); seq++ {
				at := time.Unix(0, pc.sent[seq-1])
				if at.Before(moved) || at.After(end) {
					continue
				}
				if seq < len(s.got[p]) && s.got[p][seq] {
					continue
				}
				lost[key{p, seq, pc.server(), s.server()}]++
				total++
			}
			pc.mu.Unlock()
		}
		s.mu.Unlock()
	}
	fmt.Printf("slow consumers: B %d, C %d (server side); %d client async errors:", b.s.NumSlowConsumers(), c.s.NumSlowConsumers(), asyncErrN.Swap(0))
	asyncErrs.Range(func(k, _ any) bool { fmt.Printf(" %q", k); asyncErrs.Delete(k); return true })
	fmt.Println()
	fmt.Printf("resent subscriptions confirmed after the reconnected callback: %s\n", confirmLags.summary())
	onB := 0
	for _, s := range subs {
		if s.server() == "B" {
			onB++
		}
	}
	pubsOnB := 0
	for _, p := range pubs {
		if p.server() == "B" {
			pubsOnB++
		}
	}
	fmt.Printf("trial %d: %d subscribers (%d on B, %d on C), %d publishers (%d on B, %d on C); %d restarts of A; lost %d\n",
		i, len(subs), onB, len(subs)-onB, len(pubs), pubsOnB, len(pubs)-pubsOnB, len(restarts), total)
	keys := make([]key, 0, len(lost))
	for k := range lost {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(x, y int) bool {
		if keys[x].pub != keys[y].pub {
			return keys[x].pub < keys[y].pub
		}
		return keys[x].seq < keys[y].seq
	})
	for _, k := range keys {
		at := time.Unix(0, pubs[k.pub].sent[k.seq-1])
		since := fmt.Sprintf("%v after the move", at.Sub(moved).Round(time.Millisecond))
		for r := len(restarts) - 1; r >= 0; r-- {
			if !at.Before(restarts[r]) {
				since = fmt.Sprintf("%v after A's restart %d", at.Sub(restarts[r]).Round(time.Millisecond), r+1)
				break
			}
		}
		fmt.Printf("  LOST pubs-%d seq %d (publisher on %s, published %s) at %d subscribers on %s\n",
			k.pub, k.seq, k.pubAt, since, lost[k], k.subAt)
	}
	return total
}

func main() {
	flag.Parse()
	fmt.Printf("nats-server %s (embedded), nats.go %s, pool_size %d, confirm %v\n", server.VERSION, nats.Version, *poolSize, *confirm)
	bad, skipped := 0, 0
	for i := 1; i <= *trials; i++ {
		switch lost := trial(i); {
		case lost < 0:
			skipped++
		case lost > 0:
			bad++
		}
	}
	fmt.Printf("%d of %d trials lost messages after the move (%d skipped)\n", bad, *trials-skipped, skipped)
	if bad > 0 {
		os.Exit(1)
	}
}
