// Command lameduck-duplicates reproduces the duplicates of a mass migration
// off a lame-duck server with plain nats-server (embedded) and nats.go, and
// sorts every duplicate by its subscriber's own move.
//
// Two routed servers A and B. Subscribers "moving" (on A, free to fail over
// to B) and "staying" (on B only) all subscribe to ">". Publishers on A only
// publish numbered, timestamped messages at a fixed rate. A enters lame duck
// mode.
//
// A copy that A delivered on a subscriber's old connection was published
// before that connection closed, so before the subscriber saw the
// disconnect. A duplicate of a message published earlier is a failover
// duplicate: core NATS delivers at most once per connection, not across a
// move. A duplicate of a message published after the disconnect came twice
// on the new connection, and any duplicate at a subscriber that was never
// disconnected came twice on one connection: either would break at most
// once per connection. The command exits 1 if it sees one.
//
//	go run ./docs/findings/lameduck-duplicates -runs 3
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

var (
	runs     = flag.Int("runs", 1, "how many runs")
	moving   = flag.Int("moving", 200, "subscribers on A, free to move to B")
	staying  = flag.Int("staying", 20, "subscribers on B only")
	pubs     = flag.Int("pubs", 3, "publishers on A only")
	rate     = flag.Int("rate", 3000, "messages per second per publisher")
	lameDuck = flag.Duration("lame-duck", 2*time.Second, "A's lame_duck_duration")
	after    = flag.Duration("after", 2500*time.Millisecond, "how long to publish after lame duck starts")
	poolSize = flag.Int("pool-size", 0, "route pool_size (0: the server's default, -1: no pooling)")
)

// subscriber counts what one subscription received, per publisher and seq.
type subscriber struct {
	staying      bool
	disconnected atomic.Int64 // unix ns of the first disconnect, 0 while connected
	moved        atomic.Int32 // reconnections
	mu           sync.Mutex
	seen         [][]bool // per publisher, per seq
	dups         counts
}

// counts sorts duplicates. A copy that A delivered on the subscriber's old
// connection was published before that connection closed, so before the
// subscriber saw the disconnect: a duplicate of a message published later
// cannot have come from A on the old connection, and breaks at most once
// per connection. So does any duplicate at a subscriber that never moved.
type counts struct {
	failover       int           // published before the subscriber's disconnect
	afterMove      int           // published after it: both copies on the new connection
	neverMoved     int           // at a subscriber that was never disconnected
	oldestFailover time.Duration // the largest publish-to-second-copy delay
}

func (c *counts) add(o counts) {
	c.failover += o.failover
	c.afterMove += o.afterMove
	c.neverMoved += o.neverMoved
	c.oldestFailover = max(c.oldestFailover, o.oldestFailover)
}

func (s *subscriber) receive(m *nats.Msg) {
	if len(m.Data) < 13 {
		return
	}
	p, seq := int(m.Data[0]), int(binary.BigEndian.Uint32(m.Data[1:5]))
	sent := int64(binary.BigEndian.Uint64(m.Data[5:13]))
	s.mu.Lock()
	defer s.mu.Unlock()
	if p >= len(s.seen) || seq >= len(s.seen[p]) {
		return
	}
	if !s.seen[p][seq] {
		s.seen[p][seq] = true
		return
	}
	switch d := s.disconnected.Load(); {
	case d == 0:
		s.dups.neverMoved++
	case sent < d:
		s.dups.failover++
		s.dups.oldestFailover = max(s.dups.oldestFailover, time.Since(time.Unix(0, sent)))
	default:
		s.dups.afterMove++
	}
}

func startServer(name, routeTo string) *server.Server {
	o := &server.Options{
		ServerName:          name,
		Host:                "127.0.0.1",
		Port:                -1,
		NoLog:               true,
		NoSigs:              true,
		LameDuckDuration:    *lameDuck,
		LameDuckGracePeriod: 200 * time.Millisecond,
		Cluster: server.ClusterOpts{
			Name:     "C1",
			Host:     "127.0.0.1",
			Port:     -1,
			PoolSize: *poolSize,
		},
	}
	if routeTo != "" {
		o.Routes = server.RoutesFromStr(routeTo)
	}
	s, err := server.NewServer(o)
	if err != nil {
		log.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(5 * time.Second) {
		log.Fatalf("%s not ready", name)
	}
	return s
}

func waitFor(what string, d time.Duration, ok func() bool) {
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			log.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func connect(url string, opts ...nats.Option) *nats.Conn {
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		log.Fatal(err)
	}
	return nc
}

type result struct {
	moving, staying counts
	moved           int
}

func run() result {
	a := startServer("A", "")
	aRoute := fmt.Sprintf("nats://%s", a.ClusterAddr().String())
	b := startServer("B", aRoute)
	defer b.Shutdown()
	waitFor("mesh", 5*time.Second, func() bool { return a.NumRemotes() == 1 && b.NumRemotes() == 1 })

	maxSeq := *rate * int((*after + 2*time.Second).Seconds())
	newSub := func(staying bool) *subscriber {
		s := &subscriber{staying: staying, seen: make([][]bool, *pubs)}
		for p := range s.seen {
			s.seen[p] = make([]bool, maxSeq)
		}
		return s
	}
	var conns []*nats.Conn
	defer func() {
		for _, nc := range conns {
			nc.Close()
		}
	}()
	var subs []*subscriber
	add := func(s *subscriber, url string, opts ...nats.Option) {
		opts = append(opts, nats.DisconnectErrHandler(func(*nats.Conn, error) {
			s.disconnected.CompareAndSwap(0, time.Now().UnixNano())
		}), nats.ReconnectHandler(func(*nats.Conn) { s.moved.Add(1) }),
			nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
		nc := connect(url, opts...)
		if _, err := nc.Subscribe(">", s.receive); err != nil {
			log.Fatal(err)
		}
		conns = append(conns, nc)
		subs = append(subs, s)
	}
	for range *moving {
		add(newSub(false), a.ClientURL(), nats.ReconnectWait(50*time.Millisecond), nats.MaxReconnects(-1))
	}
	for range *staying {
		add(newSub(true), b.ClientURL(), nats.IgnoreDiscoveredServers())
	}
	for _, nc := range conns {
		if err := nc.Flush(); err != nil {
			log.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for p := range *pubs {
		nc := connect(a.ClientURL(), nats.IgnoreDiscoveredServers(),
			nats.ReconnectWait(50*time.Millisecond), nats.MaxReconnects(-1),
			nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
		conns = append(conns, nc)
		wg.Add(1)
		go func() {
			defer wg.Done()
			publish(nc, p, maxSeq, stop)
		}()
	}
	time.Sleep(200 * time.Millisecond) // publishing before the lame duck, like the scenario
	lameDuckDone := make(chan struct{})
	go func() { a.LameDuckShutdown(); close(lameDuckDone) }()
	time.Sleep(*after)
	close(stop)
	wg.Wait()
	<-lameDuckDone
	waitFor("every moving subscriber on B", 30*time.Second, func() bool {
		for _, s := range subs {
			if !s.staying && s.moved.Load() == 0 {
				return false
			}
		}
		return true
	})
	time.Sleep(time.Second) // let B drain its route backlog into the subscribers

	var r result
	for _, s := range subs {
		s.mu.Lock()
		if s.staying {
			r.staying.add(s.dups)
		} else {
			r.moving.add(s.dups)
		}
		s.mu.Unlock()
		if !s.staying && s.moved.Load() > 0 {
			r.moved++
		}
	}
	return r
}

// publish sends seq 1, 2, ... on d.pubs-<p> at the rate, paced by the
// clock, each message carrying its publisher, seq and publish time.
func publish(nc *nats.Conn, p, maxSeq int, stop <-chan struct{}) {
	buf := make([]byte, 64)
	subj := fmt.Sprintf("d.pubs-%d", p)
	start := time.Now()
	for seq := 1; seq < maxSeq; seq++ {
		due := start.Add(time.Duration(seq) * time.Second / time.Duration(*rate))
		if d := time.Until(due); d > 0 {
			select {
			case <-stop:
				return
			case <-time.After(d):
			}
		}
		select {
		case <-stop:
			return
		default:
		}
		buf[0] = byte(p)
		binary.BigEndian.PutUint32(buf[1:5], uint32(seq))
		binary.BigEndian.PutUint64(buf[5:13], uint64(time.Now().UnixNano()))
		_ = nc.Publish(subj, buf)
	}
}

func main() {
	flag.Parse()
	fmt.Printf("nats-server %s, nats.go %s, pool_size %d\n", server.VERSION, nats.Version, *poolSize)
	bad := 0
	for i := 1; i <= *runs; i++ {
		r := run()
		m := r.moving
		fmt.Printf("run %d: %d of %d moving subscribers moved; failover duplicates %d (second copy up to %v after publish); after-move duplicates %d; at never-moved subscribers %d (staying %d)\n",
			i, r.moved, *moving, m.failover, m.oldestFailover.Round(time.Millisecond), m.afterMove,
			m.neverMoved+r.staying.neverMoved+r.staying.failover+r.staying.afterMove, r.staying.neverMoved+r.staying.failover+r.staying.afterMove)
		if m.afterMove+m.neverMoved+r.staying.neverMoved+r.staying.failover+r.staying.afterMove > 0 {
			bad++
		}
	}
	if bad > 0 {
		fmt.Printf("%d of %d runs had duplicates that break at most once per connection\n", bad, *runs)
		os.Exit(1)
	}
	fmt.Printf("every duplicate in %d runs was a failover duplicate\n", *runs)
}
